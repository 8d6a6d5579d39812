"""Speed of each stage of the text analysis, in microseconds per post (not a pytest module).

Run: ``.venv/bin/python tests/text/measure_speed.py [N]`` (default 5,000 posts). Posts are
generated from informal Indonesian templates, 100-300 characters, with slang, hashtags, mentions,
URLs, emoji and place names, and a fifth of them in Javanese, Malay or English. Build costs are
reported separately: they are paid once per process.
"""

from __future__ import annotations

import csv
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from saring.text.analyze import Analyzer
from saring.text.language import identify, identify_words
from saring.text.places import default_gazetteer
from saring.text.watchlist import WatchlistMatcher, default_specs

OPENERS = [
    "Gk nyangka bgt",
    "Astaga",
    "Wkwkwk",
    "Jujur aja ya",
    "Info dong gaes",
    "Breaking",
    "Dengerin nih",
    "Sumpah",
    "Tolong share",
    "Ya ampun",
    "Hati2 ya",
    "Kabar terbaru",
]
CLAIMS = [
    "pemilu ditunda ke tahun depan katanya, beneran gak sih",
    "ada serangan fajar di kampung sebelah, dikasih amplop 50rb per orang",
    "KPU gak netral, hasil sirekap beda sama C1 di TPS kami",
    "surat suara udah tercoblos sebelum hari H, videonya viral",
    "capres nomor urut 02 janji makan siang gratis buat anak sekolah",
    "debat capres semalam seru bgt, anies vs prabowo vs ganjar",
    "yg gak terdaftar di DPT bisa nyoblos pake KTP di TPS sesuai alamat",
    "kampanye di lapangan kota rame bgt, macet parah sampe malem",
    "jgn golput ya, satu suara nentuin nasib 5 tahun ke depan",
    "harga beras naik terus, rakyat kecil makin susah aja",
    "petugas KPPS kecapekan, semoga sehat selalu buat bapak ibu semua",
    "bawaslu harus usut tuntas politik uang di daerah ini",
    "massa mau geruduk kantor KPU besok pagi, hati2 rusuh",
    "caleg itu bagi2 sembako tapi minta foto KTP warga",
    "quick count udah keluar, real count nanti nunggu rekapitulasi",
]
PLACES = [
    "di Kab. Malang",
    "warga Bandung",
    "di Jaksel",
    "Surabaya",
    "dari Jogja",
    "di kota Medan",
    "Makassar",
    "di Sleman",
    "NTT",
    "Kota Serang",
    "Jateng",
    "",
    "",
    "",
    "",
]
TAILS = [
    "#PemiluDamai",
    "#TolakPemiluCurang",
    "#Pemilu2024",
    "#saringsebelumsharing",
    "@kpu_ri",
    "@bawaslu_ri",
    "https://t.co/x1y2z3",
    "🔥🔥",
    "😡",
    "🙏🇮🇩",
    "wkwkwk",
    "bangeeet",
    "",
]
OTHER_LANGUAGES = [
    "Aku wis nyoblos neng TPS, kowe piye? Ojo golput rek, saiki wayahe milih sing apik",
    "Kerajaan tak boleh buat macam ni, rakyat dah penat dengan janji pilihan raya yang sama",
    "The election commission announced that the official count will finish next month",
    "Monggo sami nyoblos wonten TPS, sampun wekdalipun milih pemimpin ingkang sae",
]


def generate(n: int, seed: int = 2024) -> list[tuple[str, tuple[str, ...], str]]:
    rng = random.Random(seed)
    posts = []
    for k in range(n):
        if k % 5 == 4:
            text = rng.choice(OTHER_LANGUAGES)
        else:
            parts = [rng.choice(OPENERS), rng.choice(CLAIMS), rng.choice(PLACES)]
            while len(" ".join(parts)) < rng.randint(100, 260):
                parts.append(rng.choice(CLAIMS if rng.random() < 0.4 else TAILS))
            text = " ".join(p for p in parts if p)[:300]
        hashtags = ("pemilu2024",) if k % 3 == 0 else ()
        location = rng.choice(["Bandung, Jawa Barat", "Jkt", "Surabaya 🇮🇩", "", "di hatimu"])
        posts.append((text, hashtags, location))
    return posts


def per_post(label: str, fn: Callable[[], object], n: int, repeats: int = 3) -> float:
    """Best of ``repeats`` runs: the machine is shared, the minimum is the least disturbed."""
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) / n * 1e6)
    micro = min(runs)
    print(f"{label:<34} {micro:8.1f} µs/post   (runs: {', '.join(f'{r:.0f}' for r in runs)})")
    return micro


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    posts = generate(n)
    start = time.perf_counter()
    analyzer = Analyzer(default_specs(), default_gazetteer())
    identify("warm up the language model")
    print(
        f"build Analyzer (7 watchlists, gazetteer, language model): "
        f"{time.perf_counter() - start:.2f} s"
    )
    print(f"{n} posts, mean {sum(len(p[0]) for p in posts) / n:.0f} characters")
    for text, tags, loc in posts[:200]:  # warm the per-token caches as a running ingest would
        analyzer.analyse(text, tags, loc)

    norm = analyzer.normalizer
    tokens = [norm.normalize(t).tokens for t, _, _ in posts]
    matcher: WatchlistMatcher = analyzer.matcher
    gazetteer = analyzer.gazetteer
    print(f"watchlist surface forms: {matcher.surface_count}")

    per_post("normalize", lambda: [norm.normalize(t) for t, _, _ in posts], n)
    normalized = [norm.normalize(t) for t, _, _ in posts]
    per_post("language (from text)", lambda: [identify(t) for t, _, _ in posts], n)
    per_post("language (from raw tokens)", lambda: [identify_words(z.raw) for z in normalized], n)
    per_post("relevance", lambda: [analyzer.relevance.score(tk) for tk in tokens], n)
    per_post("watchlists (7 x ~30 terms)", lambda: [matcher.match(tk) for tk in tokens], n)
    per_post(
        "places (text)",
        lambda: [gazetteer.locate(p[0], tk) for p, tk in zip(posts, tokens, strict=True)],
        n,
    )
    per_post("places (profile, cached)", lambda: [gazetteer.locate_profile(p[2]) for p in posts], n)
    total = per_post(
        "Analyzer.analyse (end to end)",
        lambda: [analyzer.analyse(t, tags, loc) for t, tags, loc in posts],
        n,
    )
    print(f"=> {1e6 / total:,.0f} posts/s on one core")
    tweets = real_tweets(n)
    if tweets:
        real = per_post(
            f"analyse, {len(tweets)} real tweets (2019)",
            lambda: [analyzer.analyse(t) for t in tweets],
            len(tweets),
        )
        print(f"=> {1e6 / real:,.0f} posts/s on one core (Ibrohim & Budi 2019 tweets)")


def real_tweets(n: int) -> list[str]:
    """Tweets of the Ibrohim & Budi (2019) data set when it sits beside the project; read only."""
    path = Path(os.environ.get("SARING_SHARED_DATA", "/work/shared/data"))
    path = path / "hate-speech-ibrohim2019" / "re_dataset.csv"
    if not path.exists():
        return []
    with path.open(encoding="latin-1", newline="") as handle:
        return [row["Tweet"] for _, row in zip(range(n), csv.DictReader(handle))]


if __name__ == "__main__":
    main()
