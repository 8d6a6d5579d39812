"""The demo data generator: determinism, schema, ids, observations, shares and the calendar."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from saring.demo import NARRATIVES, generate, generate_labelled, write_jsonl
from saring.demo.geo import load_geo

N = 20_000
SEED = 2024
WIB = timezone(timedelta(hours=7))
START = datetime(2023, 11, 1, tzinfo=WIB)
END = datetime(2024, 4, 1, tzinfo=WIB)
PLATFORMS = {"tiktok", "instagram", "x", "facebook", "youtube"}
MEDIA = {"video", "image", "carousel", "text", "comment"}
REQUIRED = {
    "platform": str, "platform_id": str, "url": str, "author_handle": str, "author_name": str,
    "author_location": str, "text": str, "hashtags": list, "mentions": list, "created_at": str,
    "observed_at": str, "views": int, "likes": int, "shares": int, "comments": int,
    "media_type": str,
}  # fmt: skip
COUNTS = ("views", "likes", "shares", "comments")
ELECTION_WORDS = re.compile(
    r"pemilu|kpu|bawaslu|\btps\b|coblos|nyoblos|paslon|capres|caleg|golput|\bdpt\b|surat suara|"
    r"kotak suara|sirekap|kampanye|pilpres|quick count|kpps|\bpps\b|\bppk\b|rekap|pemilih|"
    r"serangan fajar|amplop|tinta|hak pilih|debat|saksi|cebong|kampret|kadrun|pilih0|timses|"
    r"tim sukses|\bsuara\b|\b0[123]\b|klarifikasi|hoaks",
    re.IGNORECASE,
)
HARM_WORDS = re.compile(
    r"curang|bubarkan|antek|aseng|kafir|kadrun|cebong|kampret|serangan fajar|amplop|sembako|"
    r"uang transport|serbu|bakar|kepung|geruduk|sikat|golput|ditunda|diundur|tercoblos|"
    r"dicoblos|server|haram|babi|\.example|dua kali|2 kali|racun|sirekap|kardus|wna|tka|"
    r"quick count|dibuang|komunis|anti agama|dijual|tidak sah|tembus|paku|diwakilin|"
    r"tutup jam 10|15 februari|tidak usah datang|ogah|percuma|manipulasi|diretas|musuh agama|"
    r"fitnah|boneka|pengajian|didanai|janji palsu|sumbu pendek|buzzer|harga suara|tim sukses|"
    r"minyak goreng|caleg dapil|pemenangan|tidak netral|dibeli|duduki|ktp|dukcapil|"
    r"negara asing|tiongkok|wudhu|halal|karung|lembaga survei|misterius|ngapain nyoblos|"
    r"sama saja|liburan|mana saja|dua gambar|dipindahkan|suara\.\.\.|kotak suara",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def labelled() -> list[tuple[dict, dict]]:
    return list(generate_labelled(N, SEED))


@pytest.fixture(scope="module")
def firsts(labelled) -> list[tuple[dict, dict]]:
    return [(line, meta) for line, meta in labelled if meta["observation"] == 0]


def _dt(s: str) -> datetime:
    return datetime.fromisoformat(s)


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path):
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    na = write_jsonl(a, n_posts=1500, seed=5)
    nb = write_jsonl(b, n_posts=1500, seed=5)
    write_jsonl(c, n_posts=1500, seed=6)
    assert na == nb
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()
    assert len(a.read_text(encoding="utf-8").splitlines()) == na
    assert list(generate(300, 9)) == list(generate(300, 9))


def test_write_jsonl_lines_parse(tmp_path):
    path = tmp_path / "demo.jsonl"
    n = write_jsonl(path, n_posts=500)
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == n >= 500
    assert rows == list(generate(500))


@pytest.mark.parametrize("n", [1, 2, 37, 1000])
def test_unique_posts_equal_n_posts(n):
    ids = {(x["platform"], x["platform_id"]) for x in generate(n, 3)}
    assert len(ids) == n


def test_zero_posts_and_negative():
    assert list(generate(0)) == []
    with pytest.raises(ValueError):
        list(generate(-1))


def test_counts_and_uniqueness(labelled, firsts):
    assert len(firsts) == N
    keys = [(x["platform"], x["platform_id"]) for x, _ in firsts]
    assert len(set(keys)) == N
    assert len(labelled) > N


def test_every_line_has_valid_fields(labelled):
    geo = load_geo()
    codes = {c for c, _ in geo.provinces} | set(geo.by_code)
    for line, _meta in labelled:
        for key, typ in REQUIRED.items():
            assert isinstance(line[key], typ), (key, line)
        assert set(line) <= set(REQUIRED) | {"region_code", "in_reply_to"}
        assert line["platform"] in PLATFORMS
        assert line["media_type"] in MEDIA
        assert line["text"].strip()
        assert line["author_handle"] and line["author_name"]
        created, observed = _dt(line["created_at"]), _dt(line["observed_at"])
        assert created.utcoffset() == timedelta(hours=7)
        assert observed.tzinfo is not None
        assert START <= created < END and START <= observed < END
        assert observed >= created
        assert all(line[k] >= 0 for k in COUNTS)
        assert all(isinstance(h, str) and h and not h.startswith("#") for h in line["hashtags"])
        assert all(f"#{h}" in line["text"] for h in line["hashtags"])
        assert all(isinstance(m, str) and not m.startswith("@") for m in line["mentions"])
        assert all(f"@{m}" in line["text"] for m in line["mentions"])
        if "region_code" in line:
            assert re.fullmatch(r"\d{2}(\.\d{2})?", line["region_code"])
            assert line["region_code"] in codes
        if line["platform"] == "x":
            assert len(line["text"]) <= 280


def test_platform_ids_and_urls_are_plausible(firsts):
    ids_by_platform = defaultdict(set)
    for line, _ in firsts:
        ids_by_platform[line["platform"]].add(line["platform_id"])
    for line, _ in firsts:
        p, pid, url = line["platform"], line["platform_id"], line["url"]
        assert pid in url
        if p in ("tiktok", "x"):
            assert re.fullmatch(r"\d{19}", pid)
            assert url.startswith("https://www.tiktok.com/@" if p == "tiktok" else "https://x.com/")
        elif p == "instagram":
            assert re.fullmatch(r"C[A-Za-z0-9_-]{10}", pid)
            assert url.startswith("https://www.instagram.com/")
        elif p == "facebook":
            assert re.fullmatch(r"\d{15,19}", pid)
            assert url.startswith("https://www.facebook.com/")
        elif line["media_type"] == "comment":
            assert re.fullmatch(r"Ug[A-Za-z0-9_-]{17}4AaABAg", pid)
            assert line["in_reply_to"] in ids_by_platform["youtube"]
        else:
            assert re.fullmatch(r"[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]", pid)
        if p == "x" and "in_reply_to" in line:
            assert line["in_reply_to"] in ids_by_platform["x"]
            assert line["mentions"]


def test_observation_lines_grow_and_come_after_the_original(labelled):
    seen: dict[tuple[str, str], dict] = {}
    later = Counter()
    for line, meta in labelled:
        key = (line["platform"], line["platform_id"])
        if meta["observation"] == 0:
            assert key not in seen
            seen[key] = line
            continue
        prev = seen[key]  # the original (or previous observation) came first
        assert _dt(line["observed_at"]) > _dt(prev["observed_at"])
        assert all(line[k] >= prev[k] for k in COUNTS)
        assert line["created_at"] == prev["created_at"] and line["text"] == prev["text"]
        seen[key] = line
        later[key] += 1
    share = len(later) / N
    assert 0.10 <= share <= 0.20
    assert max(later.values()) <= 3


def test_lines_ordered_by_observation_time(labelled):
    times = [_dt(line["observed_at"]) for line, _ in labelled]
    assert times == sorted(times)


def test_some_narratives_grow_much_faster_than_chatter(labelled):
    first: dict[tuple[str, str], int] = {}
    growth = defaultdict(list)
    for line, meta in labelled:
        key = (line["platform"], line["platform_id"])
        v = line["views"] or line["likes"]
        if meta["observation"] == 0:
            first[key] = v
        elif first[key] > 0:
            growth[meta["key"] if meta["category"] == "hoax" else meta["category"]].append(
                v / first[key]
            )
    chatter = statistics.median(growth["chatter"])
    fast = [k for k, g in growth.items() if len(g) >= 10 and statistics.median(g) > 2 * chatter]
    assert len(fast) >= 3
    assert "sirekap-manipulasi" in fast


def test_election_harm_and_official_shares(firsts):
    n = len(firsts)
    election = sum(bool(ELECTION_WORDS.search(x["text"])) for x, _ in firsts) / n
    harmful = sum(bool(HARM_WORDS.search(x["text"])) for x, _ in firsts) / n
    official = sum(x["author_handle"].startswith(("kpu", "bawaslu")) for x, _ in firsts) / n
    assert 0.45 <= election <= 0.68
    assert 0.10 <= harmful <= 0.30
    assert 0.03 <= official <= 0.10
    cats = Counter(m["category"] for _, m in firsts)
    assert 0.38 <= cats["chatter"] / n <= 0.52
    assert 0.12 <= sum(m["harm"] for _, m in firsts) / n <= 0.18
    # labels agree with the keyword view most of the time
    harm_hits = [bool(HARM_WORDS.search(x["text"])) for x, m in firsts if m["harm"]]
    assert sum(harm_hits) / len(harm_hits) > 0.8
    chatter_hits = [bool(ELECTION_WORDS.search(x["text"])) for x, m in firsts
                    if m["category"] == "chatter"]  # fmt: skip
    assert sum(chatter_hits) / len(chatter_hits) < 0.05


def test_platform_mix_and_engagement(firsts):
    plats = Counter(x["platform"] for x, _ in firsts)
    assert (plats["tiktok"] + plats["x"]) / N > 0.5
    assert plats["youtube"] < plats["instagram"] and plats["facebook"] < plats["x"]
    views = defaultdict(list)
    for x, _ in firsts:
        views[x["platform"]].append(x["views"])
    assert statistics.median(views["tiktok"]) > 5 * statistics.median(views["x"])
    assert max(views["tiktok"]) > 1_000_000
    tk = sorted(views["tiktok"])
    assert tk[int(len(tk) * 0.99)] > 20 * tk[len(tk) // 2]  # heavy tail


def test_calendar_shape(firsts):
    days = Counter(x["created_at"][:10] for x, _ in firsts)
    early_feb = [days[f"2024-02-{d:02d}"] for d in range(1, 11)]
    assert days["2024-02-14"] > 2 * statistics.median(early_feb)
    assert all(days[f"2024-02-1{d}"] < days["2024-02-14"] for d in (1, 2, 3))
    nov = statistics.mean(days[f"2023-11-{d:02d}"] for d in range(1, 21))
    late_jan = statistics.mean(days[f"2024-01-{d:02d}"] for d in range(22, 31))
    assert late_jan > 1.3 * nov  # rising through the campaign
    counting = statistics.mean(days[f"2024-02-{d:02d}"] for d in range(20, 30))
    after = statistics.mean(days[f"2024-03-{d:02d}"] for d in range(22, 32))
    assert counting > 1.15 * after
    hours = Counter(int(x["created_at"][11:13]) for x, _ in firsts)
    assert sum(hours[h] for h in (2, 3, 4)) / N < 0.05
    assert hours[20] > 4 * hours[3]


def test_narratives_recur_in_varied_wording_within_their_life(firsts):
    assert len(NARRATIVES) >= 12
    assert len({n.slug for n in NARRATIVES}) == len(NARRATIVES)
    by_slug = defaultdict(list)
    for x, m in firsts:
        if m["category"] == "hoax":
            by_slug[m["key"]].append(x)
    for nar in NARRATIVES:
        posts = by_slug[nar.slug]
        assert len(posts) >= 10, nar.slug
        texts = [p["text"] for p in posts]
        assert len(set(texts)) / len(texts) > 0.5, nar.slug
        start = (START + timedelta(days=nar.start)).date().isoformat()
        assert min(p["created_at"][:10] for p in posts) >= start
        kw = sum(any(k in p["text"].lower() for k in nar.keywords) for p in posts)
        assert kw / len(posts) > 0.6, nar.slug
        plats = Counter(p["platform"] for p in posts)
        assert len(plats) >= 3, nar.slug


def test_buzzer_clusters_post_identical_messages(firsts):
    by_text = defaultdict(set)
    for x, m in firsts:
        if m["cluster"]:
            by_text[x["text"]].add(x["author_handle"])
    assert max(len(v) for v in by_text.values()) >= 3


def test_authors_are_stable_and_some_are_hyperactive(firsts):
    per_author = Counter((x["platform"], x["author_handle"]) for x, _ in firsts)
    assert 1500 <= len(per_author) <= 6000
    names = defaultdict(set)
    for x, _ in firsts:
        names[(x["platform"], x["author_handle"])].add((x["author_name"], x["author_location"]))
    assert all(len(v) == 1 for v in names.values())
    spreaders = Counter(
        (x["platform"], x["author_handle"]) for x, m in firsts if m["author_kind"] == "spreader"
    )
    assert spreaders.most_common(1)[0][1] > 3 * statistics.median(per_author.values())
    officials = {x["author_handle"] for x, m in firsts if m["official"]}
    assert {"kpu_ri", "bawaslu_ri"} <= officials


def test_places_and_regions(firsts):
    geo = load_geo()
    with_region = [x for x, _ in firsts if x.get("region_code")]
    assert 0.12 <= len(with_region) / N <= 0.18
    provinces = Counter(x["region_code"][:2] for x in with_region)
    assert len(provinces) >= 30
    top5 = {p for p, _ in provinces.most_common(6)}
    assert {"32", "35", "33"} <= top5
    short_names = {r.short for r in geo.regencies if len(r.short) > 4}
    named = sum(any(s in x["text"] for s in short_names) for x, _ in firsts[:3000])
    assert named / 3000 > 0.2
    assert sum(1 for x, _ in firsts if x["author_location"]) / N > 0.25


def test_official_posts_include_clarifications(firsts):
    official = [(x, m) for x, m in firsts if m["official"]]
    clar = [x for x, m in official if m["key"]]
    assert clar and all(("KLARIFIKASI" in x["text"] or "HOAKS" in x["text"]
                         or "Cek fakta" in x["text"] or "tidak benar" in x["text"])
                        for x in clar)  # fmt: skip
    assert any("cekdptonline.kpu.go.id" in x["text"] for x, _ in official)
