"""Who speaks in the demo besides the official KPU/Bawaslu accounts (demo/official.py):
impostors of official accounts spreading hoaxes, and the registered campaign accounts of the
fictional paslon (demo/registry.py), some of which keep posting in the quiet period of
11-13 Feb 2024.

A small file of its own (`speaker_lines`), imported after the main demo file, so the
generator's 50,000 posts and their numbers stay exactly as they were. Everything is invented.
"""

from __future__ import annotations

import json
from pathlib import Path

# (platform, handle, display name, [(created_at WIB, text), ...]): not in the registry; each
# imitates an official account of the demo (kpu_ri, bawaslu_ri, kpujabar).
IMPOSTORS = (
    ("x", "kpu_rii", "KPU RI Official", (
        ("2024-02-12T20:15:00", "PENGUMUMAN: pemungutan suara diundur ke 21 Februari 2024 karena "
         "logistik belum siap. Sebarkan ke grup keluarga! #Pemilu2024"),
        ("2024-02-13T07:40:00", "Pemilih yang belum menerima formulir pemberitahuan TIDAK BISA "
         "mencoblos besok. Cek NIK kamu di link bio sebelum jam 12 malam."),
    )),
    ("tiktok", "kpu.ri.official", "KPU RI", (
        ("2024-01-20T19:05:00", "Daftar ulang DPT online di link bio, siapkan foto KTP-el dan "
         "kode OTP yang dikirim ke HP kamu. Batas akhir hari ini! #CekDPT"),
    )),
    ("facebook", "bawas1u_ri", "Bawaslu RI", (
        ("2024-02-15T10:30:00", "Bawaslu: server KPU diretas, hasil Sirekap sudah diatur dari "
         "luar negeri. Jangan percaya hasil hitung!"),
    )),
    ("instagram", "kpu_jabarr", "KPU Jawa Barat", (
        ("2024-02-11T16:00:00", "TPS di Jawa Barat tutup jam 10 pagi tahun ini. Datang pagi "
         "atau suaramu hangus."),
    )),
)  # fmt: skip

# (platform, handle, display name): campaign accounts the demo registers (demo/registry.py).
CAMPAIGN_ACCOUNTS = (
    ("tiktok", "paslon01.fiktif", "Paslon 01 (fiktif)"),
    ("instagram", "paslon02.fiktif", "Paslon 02 (fiktif)"),
    ("x", "paslon03.fiktif", "Paslon 03 (fiktif)"),
)
# (handle, created_at WIB, text): three in the campaign, four in the quiet period.
CAMPAIGN_POSTS = (
    ("paslon01.fiktif", "2024-01-28T19:00:00", "Kampanye akbar Paslon 01 di Gelora Bung Karno "
     "hari ini. Ayo datang! #Paslon01"),
    ("paslon01.fiktif", "2024-02-12T09:00:00", "Ingat, besok lusa coblos nomor 01! Perubahan "
     "dimulai dari bilik suara. #Paslon01"),
    ("paslon02.fiktif", "2024-02-09T20:00:00", "Terima kasih relawan se-Indonesia. Kampanye "
     "terakhir Paslon 02 penuh semangat! #Paslon02"),
    ("paslon02.fiktif", "2024-02-11T12:30:00", "Masa tenang tetap semangat: pilih Paslon 02 "
     "untuk Indonesia maju! #Paslon02"),
    ("paslon03.fiktif", "2024-01-15T08:00:00", "Debat tadi malam membuktikan program Paslon 03 "
     "paling siap. #Paslon03"),
    ("paslon03.fiktif", "2024-02-13T21:00:00", "Besok jangan lupa: coblos 03, sat set! "
     "#Paslon03"),
    ("paslon03.fiktif", "2024-02-12T18:45:00", "Relawan Paslon 03 bagi-bagi sembako untuk "
     "warga, ambil di posko terdekat. #Paslon03"),
)  # fmt: skip

_PROFILE = {
    "x": "https://x.com/{h}",
    "tiktok": "https://www.tiktok.com/@{h}",
    "instagram": "https://www.instagram.com/{h}",
    "facebook": "https://www.facebook.com/{h}",
}


def _line(n: int, platform: str, handle: str, name: str, when: str, text: str) -> dict:
    views = 4000 + 2900 * n
    return {
        "platform": platform,
        "platform_id": f"demo-speaker-{n:03d}",
        "url": _PROFILE[platform].format(h=handle) + f"/demo-speaker-{n:03d}",
        "author_handle": handle,
        "author_name": name,
        "author_location": "Jakarta",
        "text": text,
        "created_at": f"{when}+07:00",
        "observed_at": f"{when[:11]}23:59:00+07:00",
        "views": views,
        "likes": views // 20,
        "shares": views // 60,
        "comments": views // 90,
    }


def speaker_lines() -> list[dict]:
    """The demo's impostor and campaign-account posts, in the generic JSONL schema."""
    lines: list[dict] = []
    for platform, handle, name, posts in IMPOSTORS:
        for when, text in posts:
            lines.append(_line(len(lines) + 1, platform, handle, name, when, text))
    accounts = {handle: (platform, name) for platform, handle, name in CAMPAIGN_ACCOUNTS}
    for handle, when, text in CAMPAIGN_POSTS:
        platform, name = accounts[handle]
        lines.append(_line(len(lines) + 1, platform, handle, name, when, text))
    return lines


def write_speakers_jsonl(path: Path) -> int:
    lines = speaker_lines()
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return len(lines)
