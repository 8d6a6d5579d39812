"""The public site's renderer: relative links, ClaimReview JSON-LD, region pages, Indonesian
template text, the 60 KB first-load budget, the CSP, paging (helper: site)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import trans_real

from saring.factcheck.models import Claim, Clarification, PostMatch
from saring.guide.models import Entry, Revision
from saring.guide.site.render import PER_PAGE, StageRow, render_site, stage_status
from saring.monitoring.models import Post

pytestmark = pytest.mark.django_db

LINK = re.compile(r"""(?:href|src)="([^"]*)\"""")
MARK = "\u2063"  # invisible separator around every translated string in the i18n test


def entry(
    kind,
    slug,
    title,
    body,
    *,
    province=None,
    regency=None,
    title_en="",
    body_en="",
    topic="other",
    **rev,
):
    e = Entry.objects.create(
        kind=kind,
        slug=slug,
        topic=topic,
        province_id=province,
        regency_id=regency,
        status=Entry.Status.PUBLISHED,
        published_at=timezone.now(),
        notice="general" if kind == "announcement" else "",
    )
    r = Revision.objects.create(
        entry=e,
        number=1,
        title_id=title,
        body_id=body,
        title_en=title_en,
        body_en=body_en,
        state=Revision.State.APPROVED,
        **rev,
    )
    Entry.objects.filter(pk=e.pk).update(live=r)
    return e


def clarification(n: int, *, verdict="HOAKS", **extra) -> Clarification:
    claim = Claim.objects.create(text=f"Klaim nomor {n}: pencoblosan diundur", normalized=f"k{n}")
    return Clarification.objects.create(
        claim=claim,
        headline=f"Pemungutan suara tidak diundur ({n})",
        verdict=verdict,
        explanation="KPU menegaskan jadwal tetap.\nLihat PKPU.",
        publisher="KPU RI",
        sources=["https://jdih.kpu.go.id/pkpu-2-2024", "Siaran pers KPU"],
        status="published",
        published_at=timezone.now() - timedelta(hours=n),
        **extra,
    )


@pytest.fixture
def content():
    entry(
        "page",
        "cara-memilih",
        "Cara memilih di TPS",
        "<p>Bawa KTP-el.</p>",
        title_en="How to vote",
        body_en="<p>Bring your ID card.</p>",
        topic="how_to_vote",
    )
    entry("page", "hak-disabilitas", "Hak pemilih disabilitas", "<p>Pendamping boleh.</p>")
    entry("faq", "jam-tps", "Jam berapa TPS buka?", "<p>07.00–13.00.</p>", topic="polling_hours")
    entry("announcement", "masa-tenang", "Masa tenang dimulai", "<p>Tanpa kampanye.</p>")
    entry(
        "announcement",
        "tps-garut-pindah",
        "TPS 12 Garut pindah lokasi",
        "<p>Ke balai desa.</p>",
        province="32",
        regency="32.05",
    )
    entry(
        "announcement",
        "kedaluwarsa",
        "Pengumuman lama",
        "<p>x</p>",
        valid_until=timezone.now() - timedelta(days=1),
        valid_from=timezone.now() - timedelta(days=3),
    )
    first = clarification(0)
    now = timezone.now()
    for i, handle in enumerate(["@penyebar_satu", "@penyebar_satu", "@penyebar_dua"]):
        post = Post.objects.create(
            platform="x",
            platform_id=f"p{i}",
            author_handle=handle,
            text="Pencoblosan diundur!",
            created_at=now,
            observed_at=now,
        )
        PostMatch.objects.create(post=post, clarification=first, score=0.9, decision="auto")
    return first


@pytest.fixture
def site(tmp_path, content):
    out = tmp_path / "site"
    render_site(out, provinces_only=["32"])
    return out


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_stage_status_counts_days_at_build_time():
    stages = [
        StageRow("campaign", "Kampanye", date(2024, 9, 25), date(2024, 11, 23)),
        StageRow("quiet", "Masa tenang", date(2024, 11, 24), date(2024, 11, 26)),
        StageRow("voting", "Pemungutan", date(2024, 11, 27), date(2024, 11, 27)),
        StageRow("counting", "Penghitungan", date(2024, 11, 27), date(2024, 11, 28)),
    ]
    during = stage_status(stages, date(2024, 11, 27), date(2024, 11, 20))
    assert during["current"]["kind"] == "campaign" and during["current"]["days_left"] == 3
    assert during["days_to_vote"] == 7
    assert (
        stage_status(stages, date(2024, 11, 27), date(2024, 11, 27))["current"]["kind"] == "voting"
    )
    before = stage_status(stages, date(2024, 11, 27), date(2024, 9, 1))
    assert before["current"] is None and before["next"]["days_to"] == 24
    after = stage_status(stages, date(2024, 11, 27), date(2025, 1, 1))
    assert after["current"] is None and after["next"] is None and after["days_to_vote"] is None


def test_every_link_is_relative_and_resolves(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 2 * 28  # Jawa Barat and its 27 regencies in each language
    for page in pages:
        for link in LINK.findall(page.read_text(encoding="utf-8")):
            if link.startswith(("http://", "https://", "#", "data:")):
                continue
            assert not link.startswith("/"), f"{page}: absolute link {link}"
            path = link.split("#")[0]
            if (
                path.startswith(("feeds/", "pagefind/"))
                or "/feeds/" in path
                or "/pagefind/" in path
            ):
                continue  # written by the feeds' snapshot and by Pagefind in the full build
            target = (page.parent / path).resolve()
            if path.endswith("/") or path in {"", "."}:
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)}: {link} leads nowhere"


def test_clarification_page_has_claimreview_and_aggregates_only(site, content):
    html = read(site, f"cek-fakta/{content.id}/index.html")
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    inline = [(attrs, body) for attrs, body in scripts if body.strip()]
    assert len(inline) == 1 and 'type="application/ld+json"' in inline[0][0]
    document = json.loads(inline[0][1])
    assert document["@type"] == "ClaimReview"
    assert document["claimReviewed"] == content.claim.text
    assert document["reviewRating"]["alternateName"] == "HOAKS"
    assert re.search(r"data-reach-posts>3<", html) and re.search(r"data-reach-accounts>2<", html)
    assert "penyebar" not in html and "Pencoblosan diundur!" not in html
    assert 'href="https://jdih.kpu.go.id/pkpu-2-2024"' in html
    assert 'href="../../"' in html  # relative to the site's root
    assert "KPU RI" in read(site, f"en/cek-fakta/{content.id}/index.html")


def test_a_headline_cannot_break_out_of_the_json_ld(tmp_path, content):
    bad = clarification(7)
    bad.headline = "</script><script>alert(1)</script>"
    bad.save()
    render_site(tmp_path / "s", provinces_only=[])
    html = read(tmp_path / "s", f"cek-fakta/{bad.id}/index.html")
    assert "<script>alert" not in html
    body = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(body)["headline"] == bad.headline


def test_region_pages_for_garut_and_its_province(site):
    garut = read(site, "wilayah/32-05/index.html")
    assert 'data-region-page="32.05"' in garut
    for election in ("pemilu.2024-02-14", "pilkada.32.2024-11-27", "pilkada.3205.2024-11-27"):
        assert f'data-election="{election}"' in garut
    assert "TPS 12 Garut pindah lokasi" in garut and "Masa tenang dimulai" in garut
    assert "Pengumuman lama" not in garut  # its validity window has closed
    bandung = read(site, "wilayah/32-73/index.html")
    assert "TPS 12 Garut" not in bandung and "Masa tenang dimulai" in bandung
    province = read(site, "wilayah/32/index.html")
    assert 'href="../../wilayah/32-05/" data-region="32.05"' in province
    assert 'data-election="pilkada.3205.2024-11-27"' not in province
    home = read(site, "index.html")
    assert 'href="./wilayah/32/" data-region="32"' in home and "data-my-region" in home
    assert "TPS 12 Garut" not in home  # only national announcements on the home page
    assert (site / "en/wilayah/32-05/index.html").is_file()
    assert len(list((site / "wilayah").iterdir())) == 1 + 27  # the build renders all 552


def test_english_mirror_uses_english_text_where_the_entry_has_it(site):
    en = read(site, "en/halaman/cara-memilih/index.html")
    assert '<html lang="en"' in en and "How to vote" in en and "Bring your ID card." in en
    assert 'href="../../../halaman/cara-memilih/"' in en  # the Indonesian page
    fallback = read(site, "en/halaman/hak-disabilitas/index.html")
    assert 'lang="id"><p>Pendamping boleh.</p>' in fallback
    assert 'href="../../../assets/' in fallback


def test_faq_page_groups_by_topic_with_anchors(site):
    faq = read(site, "tanya-jawab/index.html")
    assert 'id="topik-polling_hours"' in faq and '<article id="jam-tps">' in faq


def test_index_has_no_untranslated_template_text(tmp_path, content, monkeypatch):
    """Every template string of the home page goes through gettext: with every translation
    marked, what is left visible is data only (names of elections and regions, dates)."""
    with translation.override("id"):  # the build time's month name (Django's own catalogue)
        month = formats.date_format(timezone.localtime(), "F")
    catalog = trans_real.translation("id")
    original = catalog.gettext
    monkeypatch.setattr(catalog, "gettext", lambda m: MARK + original(m) + MARK)
    monkeypatch.setattr(catalog, "pgettext", lambda c, m: MARK + m + MARK, raising=False)
    out = tmp_path / "s"
    render_site(out, provinces_only=["32"])
    html = read(out, "index.html")
    body = html.split("<body>", 1)[1]
    body = re.sub(r'<a [^>]*lang="en"[^>]*>.*?</a>', "", body)  # the language switch
    text = re.sub(r"<[^>]+>", " ", body)
    text = re.sub(f"{MARK}.*?{MARK}", " ", text, flags=re.S)
    data = ["Pemilu 2024", "Pilkada 2024", "Saring", "HOAKS", "TPS", "Jawa Barat"]
    data += [e.live.title_id for e in Entry.objects.select_related("live")]
    data += [c.headline for c in Clarification.objects.all()]
    data.append(month)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    leftover = re.findall(r"[A-Za-z]{3,}", text)
    assert leftover == [], f"text outside gettext on /index.html: {leftover[:10]}"


def test_first_load_fits_in_60_kb(tmp_path, content):
    for n in range(40):  # about the demo's pages and FAQs
        entry(
            "page" if n % 2 else "faq",
            f"isi-{n}",
            f"Judul halaman panduan nomor {n}",
            "<p>Isi.</p>" * 20,
        )
    for n in range(8):
        entry("announcement", f"umum-{n}", f"Pengumuman nasional nomor {n} tentang TPS", "<p>x</p>")
    out = tmp_path / "s"
    render_site(out)  # the whole region chooser: all 38 provinces on the home page
    for page in ("index.html", f"cek-fakta/{content.id}/index.html"):
        html = read(out, page)
        total = len(html.encode())
        for ref in re.findall(r'<(?:link rel="stylesheet"|script) (?:href|src)="([^"]+)"', html):
            total += (out / page).parent.joinpath(ref).resolve().stat().st_size
        assert total <= 60 * 1024, f"{page}: {total} bytes before images"


def test_every_page_has_csp_landmarks_and_no_inline_code(site):
    csp = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
    for rel in (
        "index.html",
        "kalender/index.html",
        "cari/index.html",
        "en/tanya-jawab/index.html",
        "wilayah/32-05/index.html",
        "pengumuman/masa-tenang/index.html",
    ):
        html = read(site, rel)
        policy = csp.search(html).group(1)
        assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "object-src 'none'" in policy
        assert "base-uri 'none'" in policy and "style-src 'self'" in policy
        assert 'style="' not in html and "<style" not in html
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*ld\+json)[^>]*>", html)
        for landmark in (
            "<header",
            "<nav",
            '<main id="main"',
            "<footer",
            'class="skip" href="#main"',
        ):
            assert landmark in html, f"{rel}: no {landmark}"
        assert re.search(r'<html lang="(id|en)"', html)
    assert "data-pagefind-body" in read(site, "index.html")
    assert "data-pagefind-body" not in read(site, "wilayah/32-05/index.html")


def test_search_page_says_it_needs_javascript(site):
    html = read(site, "cari/index.html")
    assert "data-needs-js" in html and 'href="../cek-fakta/"' in html
    assert 'src="../pagefind/pagefind-ui.js"' in html and 'id="search"' in html


def test_fact_checks_are_paged_newest_first(tmp_path, content):
    made = [clarification(n) for n in range(1, PER_PAGE + 5)]
    out = tmp_path / "s"
    render_site(out, provinces_only=["32"])
    first, second = read(out, "cek-fakta/index.html"), read(out, "cek-fakta/halaman/2/index.html")
    assert first.count('class="verdict') == PER_PAGE and second.count('class="verdict') == 5
    assert first.index("(0)") < first.index("(1)")  # newest first
    assert 'href="halaman/2/" rel="next"' in first and 'href="../../" rel="prev"' in second
    assert not (out / "cek-fakta/halaman/3/index.html").exists()
    second_id = made[1].pk  # a detail page's address is its id, never a list page's number
    assert "data-clarification=" in read(out, f"cek-fakta/{second_id}/index.html")
