"""Harm categories other than the named hoax narratives (demo data, written for Saring).

Hate speech and SARA stay mild and generic; black campaign attacks only "paslon 01/02/03"
or unnamed "caleg partai sebelah"; no real person, party or group is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from saring.demo.calendar import election_weight, phase


@dataclass(frozen=True, slots=True)
class Harm:
    key: str
    label: str  # Indonesian name officers use
    amp: float
    phases: dict[str, float]  # multiplier per calendar phase on top of the election curve
    virality: float
    tau_hours: float
    platforms: tuple[float, float, float, float, float]  # tiktok, x, instagram, facebook, youtube
    templates: tuple[str, ...]
    hashtags: tuple[str, ...]
    mood: str

    def weight(self, d: int) -> float:
        return self.amp * self.phases.get(phase(d), 1.0) * election_weight(d)


INSULTS = ("cebong", "kampret", "kadrun", "buzzerRp", "antek asing", "otak udang",
           "kaum sumbu pendek", "pasukan nasi bungkus")  # fmt: skip

HARMS: tuple[Harm, ...] = (
    Harm(
        key="ujaran_kebencian",
        label="ujaran kebencian / SARA",
        amp=0.055,
        phases={"pre": 0.8, "campaign": 1.0, "quiet": 1.1, "voting": 0.6, "counting": 1.1},
        virality=1.4,
        tau_hours=20,
        platforms=(0.3, 0.4, 0.05, 0.15, 0.1),
        templates=(
            "Dasar {insult}, otaknya tidak dipakai!",
            "Pendukung paslon {paslon} itu isinya {insult} semua",
            "Jangan pilih paslon {paslon}, didukung antek aseng",
            "Pemilih paslon {paslon} pasti {insult}, pantes negara ini tidak maju",
            "Haram hukumnya milih pemimpin yang didukung kafir",
            "Jangan mau dipimpin antek aseng, pilih yang seiman!",
            "{insult} kerjanya cuma nyebar fitnah",
            "Kubu {paslon} isinya kadrun semua wkwk",
            "Para pendatang tidak usah ikut campur urusan politik daerah sini",
            "Kalian {insult} memang tidak bisa diajak mikir",
            "Orang yang pilih {paslon} itu musuh agama",
            "Cebong sama kampret sama aja, sama-sama {insult}",
        ),
        hashtags=("Pilpres2024", "Pemilu2024"),
        mood="angry",
    ),
    Harm(
        key="kampanye_hitam",
        label="kampanye hitam",
        amp=0.04,
        phases={
            "pre": 0.7,
            "campaign": 1.3,
            "quiet": 1.6,
            "voting": 0.4,
            "counting": 0.3,
            "after": 0.2,
        },
        virality=1.7,
        tau_hours=30,
        platforms=(0.35, 0.35, 0.05, 0.2, 0.05),
        templates=(
            "Paslon {paslon} itu antek asing, kalau menang negara dijual",
            "Kalau paslon {paslon} menang, semua subsidi dicabut",
            "Paslon {paslon} didanai asing, programnya cuma janji palsu",
            "Ingat, paslon {paslon} anti agama, jangan sampai menang",
            "Caleg partai sebelah ternyata mantan napi korupsi, jangan dipilih",
            "Paslon {paslon} bakal larang pengajian kalau menang",
            "Pilih {paslon} sama aja pilih komunis gaya baru",
            "Katanya paslon {paslon} punya utang ribuan triliun ke luar negeri",
            "Kalau {paslon} menang, tanah kita dijual ke aseng",
            "Paslon {paslon} itu boneka, yang ngatur orang lain",
        ),
        hashtags=("AsalBukan{paslon}", "Pilpres2024", "JanganPilih{paslon}"),
        mood="angry",
    ),
    Harm(
        key="politik_uang",
        label="politik uang",
        amp=0.035,
        phases={
            "pre": 0.4,
            "campaign": 1.0,
            "quiet": 4.0,
            "voting": 0.8,
            "counting": 0.3,
            "after": 0.2,
        },
        virality=1.3,
        tau_hours=20,
        platforms=(0.3, 0.25, 0.1, 0.3, 0.05),
        templates=(
            "Yang mau uang transport {nominal} kumpul di posko {place} habis maghrib",
            "Bagi-bagi sembako atas nama caleg nomor {n} di {place}, syaratnya foto KTP",
            "Siapa mau {nominal}? Cukup coblos caleg dapil {kota} nomor {n}, bukti foto surat suara",  # noqa: E501
            "Harga suara sekarang {nominal} per kepala di kampung saya",
            "Ambil uangnya jangan pilih orangnya, serangan fajar {nominal} lumayan buat jajan",
            "Dapat kaos, minyak goreng sama {nominal} dari tim sukses, lumayan",
            "Dicari koordinator RT buat bagi amplop, fee {nominal}",
            "Serangan fajar di {place} katanya naik jadi {nominal}",
            "Tim sukses paslon {paslon} bagi-bagi sembako gratis di {place}",
        ),
        hashtags=("SeranganFajar", "Pemilu2024"),
        mood="happy",
    ),
    Harm(
        key="serangan_penyelenggara",
        label="serangan terhadap penyelenggara",
        amp=0.04,
        phases={
            "pre": 0.5,
            "campaign": 0.6,
            "quiet": 0.8,
            "voting": 1.3,
            "counting": 2.6,
            "after": 1.6,
        },
        virality=1.6,
        tau_hours=24,
        platforms=(0.25, 0.45, 0.05, 0.15, 0.1),
        templates=(
            "KPU curang!! Bubarkan saja",
            "Bubarkan Bawaslu, kerjanya cuma makan gaji buta",
            "Petugas KPPS di {place} antek paslon {paslon}, semua sudah diatur",
            "KPU {kota} tidak netral, sudah dibeli",
            "Komisioner KPU harus diadili, pemilu paling curang sepanjang sejarah",
            "Bawaslu tutup mata sama kecurangan paslon {paslon}",
            "PPS di desa saya kerjanya ngawur, hasil suara diubah seenaknya",
            "KPU itu singkatan Komisi Pemenangan paslon {paslon}",
            "Percuma lapor Bawaslu, mereka juga bagian dari permainan",
            "Petugas KPPS antek penguasa semua, jangan percaya",
        ),
        hashtags=("KPUCurang", "BubarkanBawaslu", "PemiluCurang"),
        mood="angry",
    ),
    Harm(
        key="ajakan_kekerasan",
        label="ajakan kekerasan",
        amp=0.012,
        phases={
            "pre": 0.2,
            "campaign": 0.3,
            "quiet": 0.5,
            "voting": 0.8,
            "counting": 2.5,
            "after": 2.0,
        },
        virality=1.5,
        tau_hours=20,
        platforms=(0.3, 0.45, 0.0, 0.2, 0.05),
        templates=(
            "Ayo serbu kantor KPU {kota} kalau hasilnya begini!",
            "Bakar saja kotak suaranya kalau paslon {paslon} kalah",
            "Kepung kantor KPU, rakyat sudah muak!",
            "Turun ke jalan, duduki KPU sampai hasil dibatalkan",
            "Kalau ketemu petugas curang di {place}, sikat aja",
            "Siapkan massa, kita geruduk Bawaslu {kota}",
            "Serbu gudang logistik {place}, jangan biarkan suara kita dicuri",
        ),
        hashtags=("TolakHasil", "KPUCurang"),
        mood="angry",
    ),
    Harm(
        key="info_prosedur_salah",
        label="informasi keliru soal cara memilih",
        amp=0.022,
        phases={
            "pre": 0.3,
            "campaign": 0.8,
            "quiet": 3.0,
            "voting": 1.6,
            "counting": 0.1,
            "after": 0.05,
        },
        virality=1.3,
        tau_hours=20,
        platforms=(0.4, 0.2, 0.15, 0.2, 0.05),
        templates=(
            "Nyoblos dua gambar paslon sekalian tetap sah kok",
            "Coblosnya harus di wajah kandidat, kalau di nomor jadi tidak sah",
            "TPS tutup jam 10 pagi, datang telat tidak bisa milih",
            "Surat suara yang coblosannya tembus dua lubang langsung tidak sah",
            "Tidak dapat undangan berarti tidak bisa nyoblos, tidak usah datang ke TPS",
            "Pemilih pindahan boleh milih di TPS mana saja asal bawa KTP",
            "Pemungutan suara di {prov} tanggal 15 Februari ya, bukan 14",
            "Surat suara harus dicoblos pakai paku sendiri dari rumah",
            "Boleh nyoblos diwakilin keluarga asal bawa KTP-nya",
            "Surat suara DPD tidak wajib dicoblos, nanti otomatis ikut partai",
        ),
        hashtags=("TipsNyoblos", "Pemilu2024"),
        mood="info",
    ),
    Harm(
        key="ajakan_golput",
        label="ajakan golput",
        amp=0.03,
        phases={
            "pre": 1.0,
            "campaign": 1.0,
            "quiet": 1.8,
            "voting": 0.7,
            "counting": 0.2,
            "after": 0.1,
        },
        virality=1.2,
        tau_hours=20,
        platforms=(0.35, 0.4, 0.1, 0.1, 0.05),
        templates=(
            "Golput aja lah, siapapun yang menang hidup kita begini-begini aja",
            "Ngapain nyoblos, semua paslon sama saja",
            "Saya golput, ini bentuk protes",
            "Ayo golput massal biar mereka sadar",
            "Tanggal 14 mending liburan, tidak usah ke TPS",
            "Golput itu pilihan juga, jangan maksa",
            "Pilih {paslon}? ogah, mending tidur",
            "Percuma nyoblos, hasilnya sudah diatur",
        ),
        hashtags=("Golput", "GolputAja"),
        mood="think",
    ),
)

BY_KEY: dict[str, Harm] = {h.key: h for h in HARMS}
