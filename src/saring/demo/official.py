"""Official KPU and Bawaslu accounts and what they post (demo data, written for Saring).

The information follows the Pemilu 2024 rules: voting on Wednesday 14 Feb 2024, 07.00-13.00
local time; five ballots with their colours; voter list checks at cekdptonline.kpu.go.id;
quiet period 11-13 Feb; official results from the tiered manual recapitulation.
``{wilayah}`` is the account's own area ("Kota Bandung", "Jawa Barat", "Indonesia");
``{lembaga}`` its name ("KPU Kota Bandung", "Bawaslu RI").
"""

from __future__ import annotations

# (code or "", handle, display name, platforms)
NATIONAL = (
    ("", "kpu_ri", "KPU RI", ("tiktok", "x", "instagram", "facebook", "youtube")),
    ("", "bawaslu_ri", "Bawaslu RI", ("tiktok", "x", "instagram", "facebook", "youtube")),
)
PROVINCE_HANDLES: dict[str, str] = {
    "11": "aceh", "12": "sumut", "13": "sumbar", "14": "riau", "15": "jambi", "16": "sumsel",
    "17": "bengkulu", "18": "lampung", "19": "babel", "21": "kepri", "31": "dki", "32": "jabar",
    "33": "jateng", "34": "diy", "35": "jatim", "36": "banten", "51": "bali", "52": "ntb",
    "53": "ntt", "61": "kalbar", "62": "kalteng", "63": "kalsel", "64": "kaltim",
    "65": "kaltara", "71": "sulut", "72": "sulteng", "73": "sulsel", "74": "sultra",
    "75": "gorontalo", "76": "sulbar", "81": "maluku", "82": "malut", "91": "papua",
    "92": "papuabarat", "93": "papuaselatan", "94": "papuatengah", "95": "papuapegunungan",
    "96": "papuabaratdaya",
}  # fmt: skip
REGENCY_HANDLES: dict[str, str] = {
    "32.73": "kotabandung", "35.78": "kotasurabaya", "12.71": "kotamedan",
    "73.71": "kotamakassar", "32.01": "kabbogor", "32.75": "kotabekasi",
    "33.74": "kotasemarang", "31.74": "jaksel", "31.75": "jaktim", "32.76": "kotadepok",
    "32.04": "kabbandung", "36.71": "kotatangerang", "16.71": "kotapalembang",
    "34.71": "kotayogyakarta", "18.71": "kotabandarlampung", "51.71": "kotadenpasar",
    "35.73": "kotamalang", "33.72": "kotasurakarta", "64.72": "kotasamarinda",
    "61.71": "kotapontianak", "32.16": "kabbekasi", "35.15": "kabsidoarjo",
}  # fmt: skip
BAWASLU_REGIONAL = ("32", "35", "33", "31", "12", "73", "32.73", "35.78", "31.74", "12.71")

OFFICIAL_TAGS = ("PemiluDamai", "TemanPemilih", "Pemilu2024", "KPUMelayani", "CekDPT",
                 "PemilihBerdaulatNegaraKuat")  # fmt: skip
BAWASLU_TAGS = ("SalingJaga", "BawasluMengawasi", "TolakPolitikUang", "PemiluDamai")

# KPU templates per phase.
KPU: dict[str, tuple[str, ...]] = {
    "any": (
        "Sudah terdaftar sebagai pemilih? Cek di cekdptonline.kpu.go.id cukup dengan NIK kamu.",
        "Pemungutan suara Pemilu 2024 dilaksanakan Rabu, 14 Februari 2024 pukul 07.00–13.00 "
        "waktu setempat. Catat tanggalnya!",
        "Kenali 5 surat suara Pemilu 2024: abu-abu (Presiden dan Wakil Presiden), kuning (DPR), "
        "merah (DPD), biru (DPRD Provinsi), hijau (DPRD Kabupaten/Kota).",
        "Pemilih disabilitas dapat didampingi pendamping pilihannya sendiri di TPS. Pendamping "
        "wajib merahasiakan pilihan pemilih.",
        "Waspada hoaks! Pastikan informasi pemilu hanya dari kanal resmi KPU. Saring sebelum "
        "sharing.",
        "{lembaga} mengajak pemilih pemula menggunakan hak pilihnya. Suaramu menentukan "
        "masa depan!",
    ),
    "pre": (
        "Daftar Pemilih Tetap Pemilu 2024 sudah ditetapkan. Yuk cek namamu di "
        "cekdptonline.kpu.go.id.",
        "{lembaga} menggelar sosialisasi pendidikan pemilih bersama pelajar dan mahasiswa.",
        "Masa kampanye Pemilu 2024 dimulai 28 November 2023 sampai 10 Februari 2024.",
    ),
    "campaign": (
        "Akan mencoblos di luar domisili? Urus pindah memilih di PPS atau KPU kabupaten/kota "
        "terdekat dengan membawa KTP-el.",
        "{lembaga} menggelar sosialisasi tahapan pemungutan suara untuk pemilih pemula.",
        "Cara mencoblos: datang ke TPS membawa formulir pemberitahuan dan KTP-el, tunggu "
        "dipanggil, terima surat suara, coblos di bilik suara, masukkan ke kotak sesuai warna, "
        "lalu celupkan jari ke tinta.",
        "Debat calon presiden dan wakil presiden dapat disaksikan melalui siaran televisi dan "
        "kanal resmi KPU.",
        "Lokasi TPS tercantum di formulir pemberitahuan dan dapat dicek di cekdptonline.kpu.go.id.",
        "Distribusi logistik pemilu di {wilayah} berjalan sesuai jadwal. Surat suara dikirim "
        "dalam keadaan tersegel.",
        "Coblos sah: coblos satu kali pada nomor, foto, nama calon atau tanda gambar partai. "
        "Coblosan tembus simetris karena lipatan tetap sah.",
    ),
    "quiet": (
        "Masa tenang 11–13 Februari 2024: tidak ada kegiatan kampanye dalam bentuk apa pun, "
        "termasuk di media sosial.",
        "Besok datang ke TPS ya! Bawa formulir pemberitahuan dan KTP-el. TPS buka pukul 07.00 "
        "waktu setempat.",
        "Tidak mendapat formulir pemberitahuan? Tetap bisa memilih jika terdaftar di DPT dengan "
        "menunjukkan KTP-el.",
        "Pemilih yang tidak terdaftar di DPT dapat memilih pukul 12.00–13.00 di TPS sesuai "
        "alamat KTP-el, selama surat suara masih tersedia.",
    ),
    "voting": (
        "Selamat memilih! TPS di seluruh {wilayah} dibuka pukul 07.00 waktu setempat.",
        "Penghitungan suara di TPS berlangsung terbuka. Masyarakat dapat menyaksikan dan "
        "mendokumentasikan.",
        "Hasil hitung cepat bukan hasil resmi. Hasil resmi ditetapkan KPU melalui rekapitulasi "
        "berjenjang.",
        "Terima kasih para petugas KPPS di {wilayah} yang bekerja sejak subuh. Jaga kesehatan!",
    ),
    "counting": (
        "Rekapitulasi hasil penghitungan suara tingkat kecamatan di {wilayah} berlangsung "
        "terbuka dan disaksikan saksi serta pengawas.",
        "Sirekap adalah alat bantu publikasi. Hasil resmi Pemilu 2024 ditetapkan melalui "
        "rekapitulasi berjenjang secara manual.",
        "Rekapitulasi hasil penghitungan suara untuk {wilayah} dijadwalkan hari ini. Saksi peserta "
        "pemilu dipersilakan hadir.",
        "Penetapan hasil Pemilu 2024 secara nasional paling lambat 20 Maret 2024.",
        "Santunan bagi petugas badan ad hoc yang sakit atau meninggal dunia disalurkan sesuai "
        "ketentuan.",
    ),
    "after": (
        "Hasil Pemilu 2024 telah ditetapkan. Terima kasih kepada seluruh pemilih dan petugas.",
        "Terima kasih warga {wilayah} atas partisipasinya dalam Pemilu 2024.",
    ),
}

BAWASLU: dict[str, tuple[str, ...]] = {
    "any": (
        "Temukan dugaan pelanggaran pemilu? Laporkan ke {lembaga} dengan membawa bukti.",
        "Tolak politik uang! Pemberi politik uang dapat dipidana sesuai UU 7/2017.",
        "{lembaga} melakukan patroli siber terhadap konten hoaks dan ujaran kebencian "
        "terkait pemilu.",
        "Jangan sebarkan konten SARA dan ujaran kebencian. Mari jaga pemilu damai.",
    ),
    "campaign": (
        "Kampanye di media sosial hanya boleh lewat akun yang didaftarkan ke KPU.",
        "{lembaga} menertibkan alat peraga kampanye yang melanggar aturan.",
    ),
    "quiet": (
        "Masa tenang: {lembaga} melakukan patroli pengawasan untuk mencegah politik uang.",
        "Konten kampanye di masa tenang adalah pelanggaran. Laporkan bila menemukan.",
    ),
    "voting": ("Pengawas TPS bertugas di setiap TPS di {wilayah}. Laporkan bila ada kejanggalan.",),
    "counting": (
        "{lembaga} mengawasi rekapitulasi berjenjang. Keberatan saksi dicatat sesuai prosedur.",
    ),
}

CLARIFY = (
    "[KLARIFIKASI] Beredar informasi bahwa {title}. Faktanya, {fact} #{verdict}",
    "[HOAKS] Informasi bahwa {title} adalah {verdict_low}. {fact_cap}",
    'Cek fakta: "{title}" — {verdict}. {fact_cap} Saring sebelum sharing.',
    "Jangan mudah percaya! Kabar {title} tidak benar. {fact_cap}",
)
