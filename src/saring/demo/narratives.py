"""Recurring hoax narratives of the demo data set (written for Saring; fictional, generic).

Every narrative has a slug (stable id, usable for demo clarifications), a life curve over the
Pemilu 2024 calendar, the platforms where it spreads, how fast its copies grow, and wording
material: paraphrased claims, supporting sentences, calls to share and a chain message copied
around with small edits. Targets are always generic ("paslon 01/02/03"), never real people.
Links use the reserved ``.example`` domain so no real site is ever pointed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from saring.demo.calendar import day


@dataclass(frozen=True, slots=True)
class Narrative:
    slug: str
    title: str  # what the claim says, one line (for clarifications)
    topic: str  # short noun phrase used in replies ("tinta pemilu haram")
    verdict: str  # HOAKS, SALAH, MENYESATKAN, PENIPUAN
    fact: str  # what an official clarification says
    start: int  # day index
    peak: int
    half_life: float  # days
    amp: float  # relative volume at the peak
    virality: float  # reach multiplier of its copies
    tau_hours: float  # how long its copies keep growing
    platforms: tuple[float, float, float, float, float]  # tiktok, x, instagram, facebook, youtube
    claims: tuple[str, ...]
    extras: tuple[str, ...]
    calls: tuple[str, ...]
    chains: tuple[str, ...]
    hashtags: tuple[str, ...]
    keywords: tuple[str, ...]  # lower-case words that identify the narrative in text
    mood: str = "angry"
    second_wave: tuple[int, int, float, float] | None = None  # start, peak, half_life, amp
    extra_slots: dict[str, tuple[str, ...]] = field(default_factory=dict)


SCAM_LINKS = ("cektps-pemilu2024.example/login", "kpu-cekdpt.example/verifikasi",
              "bit.example/TPSbaru", "dpt-online.example/cek", "info-tps.example/nik")  # fmt: skip

NARRATIVES: tuple[Narrative, ...] = (
    Narrative(
        slug="surat-suara-tercoblos",
        title="surat suara sudah dicoblos sebelum hari pemungutan suara",
        topic="surat suara tercoblos",
        verdict="HOAKS",
        fact="surat suara didistribusikan dalam keadaan kosong dan tersegel, lalu dibuka dan "
        "dihitung di depan saksi dan pengawas TPS. Tidak ada surat suara tercoblos di gudang "
        "logistik yang disebut.",
        start=day(2023, 12, 20),
        peak=day(2024, 2, 12),
        half_life=3,
        amp=1.0,
        virality=3.2,
        tau_hours=60,
        platforms=(0.35, 0.2, 0.05, 0.3, 0.1),
        claims=(
            "Surat suara di {place} sudah dicoblos duluan sebelum hari H, semuanya untuk paslon {paslon}",  # noqa: E501
            "Ditemukan {big} surat suara sudah tercoblos paslon {paslon} di gudang logistik {place}",  # noqa: E501
            "Katanya surat suara sudah dicoblosin dari sekarang, tinggal dimasukin ke kotak pas tanggal 14",  # noqa: E501
            "Viral video surat suara tercoblos di {place}, kok bisa sebelum pemilu sudah dicoblos??",  # noqa: E501
            "Surat suara paslon {paslon} sudah tercoblos di dalam kotak sebelum TPS dibuka",
            "Satu kontainer surat suara tercoblos tiba di pelabuhan {kota}",
            "Info dari orang dalam: surat suara pilpres di {prov} sebagian sudah dicoblos",
            "kertas suara udh dicoblos duluan gaes, pemilunya cuma formalitas",
        ),
        extras=(
            "Videonya sudah beredar di grup WA.",
            "Saksi lihat sendiri di gudang.",
            "Media tidak ada yang berani beritain.",
            "Kalau tidak percaya cek sendiri.",
        ),
        calls=("Sebarkan sebelum dihapus!!", "Kawal TPS kalian masing2!", "Jangan diam saja!"),
        chains=(
            "INNALILLAHI.. BERITA PENTING!!! Surat suara di gudang KPU {place} sudah dicoblos "
            "untuk paslon {paslon}. Jumlahnya ribuan. Ini bukti pemilu sudah diatur. Mohon "
            "disebarkan ke semua grup, jangan berhenti di kamu!!!",
            "BUKTI!! {big} lembar surat suara TERCOBLOS ditemukan sebelum pemungutan suara. "
            "Pemilu 14 Februari hanya sandiwara. Bagikan!!",
        ),
        hashtags=("SuratSuaraTercoblos", "KawalPemilu", "PemiluCurang"),
        keywords=("tercoblos", "dicoblos duluan", "sudah dicoblos", "udh dicoblos", "dicoblosin"),
    ),
    Narrative(
        slug="pemilu-ditunda",
        title="Pemilu 2024 ditunda atau diundur",
        topic="pemilu ditunda",
        verdict="HOAKS",
        fact="jadwal pemungutan suara tetap Rabu, 14 Februari 2024 sesuai PKPU 3/2022 tentang "
        "tahapan dan jadwal Pemilu 2024. Tidak ada surat edaran penundaan.",
        start=day(2023, 11, 3),
        peak=day(2023, 11, 25),
        half_life=12,
        amp=0.55,
        virality=1.5,
        tau_hours=16,
        platforms=(0.25, 0.15, 0.05, 0.4, 0.15),
        second_wave=(day(2024, 1, 10), day(2024, 1, 20), 6, 0.5),
        claims=(
            "Pemilu 2024 resmi ditunda sampai 2025, KPU sudah keluarkan surat edaran",
            "Pemilu diundur karena anggaran habis",
            "Katanya pemilu mau ditunda biar masa jabatan diperpanjang",
            "Ada surat KPU yang bilang pemungutan suara diundur ke bulan Juni",
            "Pemilu tidak jadi 14 Februari, diundur karena logistik belum siap di {prov}",
            "Pemilu ditunda 2 tahun, tinggal diumumkan aja",
        ),
        extras=(
            "Suratnya sudah beredar, ada stempelnya.",
            "Sumbernya dari pejabat pusat.",
            "Makanya persiapan di daerah santai saja.",
        ),
        calls=(
            "Jadi tidak usah repot cek DPT dulu.",
            "Share biar yang lain tahu.",
            "Tunggu pengumuman resminya.",
        ),
        chains=(
            "[SURAT EDARAN] Berdasarkan rapat tertutup, pemungutan suara Pemilu 2024 DITUNDA "
            "hingga waktu yang belum ditentukan karena kendala anggaran dan logistik. Harap "
            "informasi ini diteruskan ke keluarga dan tetangga.",
        ),
        hashtags=("PemiluDitunda", "TundaPemilu"),
        keywords=("ditunda", "diundur"),
        mood="think",
    ),
    Narrative(
        slug="server-kpu-luar-negeri",
        title="server KPU berada di luar negeri dan diatur untuk paslon tertentu",
        topic="server KPU di luar negeri",
        verdict="MENYESATKAN",
        fact="layanan komputasi untuk publikasi data tidak menentukan hasil. Hasil resmi "
        "ditetapkan melalui rekapitulasi berjenjang secara manual yang disaksikan saksi peserta "
        "dan pengawas.",
        start=day(2024, 2, 15),
        peak=day(2024, 2, 20),
        half_life=8,
        amp=0.9,
        virality=2.6,
        tau_hours=48,
        platforms=(0.3, 0.45, 0.0, 0.15, 0.1),
        claims=(
            "Server KPU ada di {negara}, datanya bisa diatur dari luar buat menangin paslon {paslon}",  # noqa: E501
            "Server Sirekap ternyata di luar negeri, pantes hasilnya aneh",
            "KPU pakai server asing di {negara}, suara rakyat dikendalikan dari sana",
            "Data suara kita dikirim ke server {negara} dulu baru ke KPU, jelas sudah diatur",
            "Server KPU sudah di-setting buat paslon {paslon} menang {persen}%",
            "Algoritma server KPU sudah disetel, berapapun suara masuk hasilnya tetap sama",
        ),
        extras=(
            "Ahli IT sudah bongkar semua.",
            "Cek aja IP-nya sendiri.",
            "Pantes dari awal selisihnya stabil terus.",
        ),
        calls=("Usut tuntas!!", "Audit forensik server KPU sekarang!", "RT biar rame"),
        chains=(
            "TERBONGKAR!! Server KPU ternyata berada di {negara} dan dikelola pihak asing. "
            "Hasil suara sudah disetel untuk paslon {paslon} dengan angka {persen}%. Rakyat "
            "dibohongi!!",
        ),
        hashtags=("ServerKPU", "AuditServerKPU", "KPUCurang"),
        keywords=("server",),
        extra_slots={
            "negara": ("Singapura", "Tiongkok", "China", "Prancis", "luar negeri", "Singapur")
        },
    ),
    Narrative(
        slug="tinta-pemilu-haram",
        title="tinta pemilu mengandung babi dan haram",
        topic="tinta pemilu haram",
        verdict="HOAKS",
        fact="tinta pemilu sudah bersertifikat halal dan diuji keamanannya. Setelah mencoblos, "
        "pemilih mencelupkan jari ke tinta sebagai tanda sudah memilih.",
        start=day(2024, 1, 20),
        peak=day(2024, 2, 13),
        half_life=2.5,
        amp=0.7,
        virality=3.6,
        tau_hours=70,
        platforms=(0.35, 0.1, 0.1, 0.35, 0.1),
        claims=(
            "Tinta pemilu mengandung lemak babi, jangan mau dicelup jarinya",
            "Tinta ungu buat tanda sudah nyoblos itu haram, ada kandungan babi",
            "Hati-hati, tinta pemilu tahun ini dari luar negeri dan tidak halal",
            "Tinta pemilu bikin wudhu tidak sah, jadi sholat tidak diterima",
            "Katanya tinta di TPS {place} mengandung bahan kimia berbahaya sampai bikin kulit melepuh",  # noqa: E501
            "Tinta pemilu belum ada sertifikat halal, jangan celup jari",
        ),
        extras=(
            "Ustadz di kampung saya sudah mengingatkan.",
            "Sudah ada yang jarinya gatal.",
            "Pantes baunya aneh.",
        ),
        calls=("Tolak celup jari!!", "Kasih tahu keluarga muslim kalian", "Sebarkan demi umat"),
        chains=(
            "PERHATIAN UMAT ISLAM!!! Tinta pemilu 2024 mengandung unsur babi dan belum "
            "bersertifikat halal. Jari yang dicelup membuat wudhu tidak sah. Jangan mau "
            "dicelup, tolak dengan sopan di TPS. Sebarkan!!!",
        ),
        hashtags=("TintaHaram", "Pemilu2024"),
        keywords=("tinta",),
        mood="alarm",
    ),
    Narrative(
        slug="tps-pindah-link-penipuan",
        title="TPS pindah, pemilih harus cek dan verifikasi data lewat tautan",
        topic="link cek TPS pindah",
        verdict="PENIPUAN",
        fact="KPU tidak pernah meminta NIK, nama ibu kandung atau kode OTP lewat tautan. Cek "
        "DPT dan lokasi TPS hanya di situs resmi cekdptonline.kpu.go.id. Tautan yang beredar "
        "adalah penipuan.",
        start=day(2024, 2, 3),
        peak=day(2024, 2, 12),
        half_life=2,
        amp=1.0,
        virality=1.6,
        tau_hours=12,
        platforms=(0.15, 0.25, 0.15, 0.4, 0.05),
        claims=(
            "TPS kamu pindah! Cek lokasi TPS baru lewat link ini {link}",
            "Lokasi TPS di {place} banyak yang dipindah, cek nama kamu di {link} sebelum tgl 14",
            "Pemilih wajib verifikasi ulang data lewat {link}, kalau tidak nama dihapus dari DPT",
            "Cek TPS online, masukkan NIK dan nomor HP di {link} biar dapat undangan",
            "Ada perubahan TPS mendadak, isi formulir di {link}",
            "Undangan memilih sekarang dikirim online, klaim di {link}",
        ),
        extras=(
            "Gratis dan resmi dari KPU.",
            "Cuma butuh 1 menit.",
            "Jangan lupa isi kode OTP yang dikirim.",
        ),
        calls=(
            "Buruan sebelum ditutup!",
            "Bagikan ke 10 grup WA",
            "Jangan sampai hak pilih hilang!",
        ),
        chains=(
            "📢 PENGUMUMAN KPU 📢 Sehubungan dengan penataan ulang, banyak TPS dipindahkan. "
            "Segera cek lokasi TPS baru Anda dan verifikasi data dengan mengisi NIK, nama ibu "
            "kandung dan kode OTP di {link}. Batas waktu 2x24 jam.",
        ),
        hashtags=("CekTPS", "InfoPemilu", "Pemilu2024"),
        keywords=("tps", "link", ".example"),
        mood="alarm",
        extra_slots={"link": SCAM_LINKS},
    ),
    Narrative(
        slug="coblos-dua-kali",
        title="pemilih boleh mencoblos dua kali",
        topic="coblos dua kali",
        verdict="SALAH",
        fact="setiap pemilih hanya boleh memberikan suara satu kali di satu TPS. Memilih lebih "
        "dari satu kali adalah tindak pidana pemilu menurut UU 7/2017, dan KPPS memeriksa "
        "tinta di jari pemilih.",
        start=day(2024, 2, 5),
        peak=day(2024, 2, 14),
        half_life=1.5,
        amp=0.9,
        virality=1.5,
        tau_hours=12,
        platforms=(0.4, 0.25, 0.1, 0.2, 0.05),
        claims=(
            "Pemilih bisa coblos dua kali asal punya dua undangan",
            "Di {place} boleh nyoblos di dua TPS, yang penting bawa KTP",
            "Undangan tetangga yang tidak datang boleh dipakai, jadi bisa nyoblos dua kali",
            "Jari sudah dicelup tinta? Gampang, hapus pakai pemutih terus nyoblos lagi di TPS sebelah",  # noqa: E501
            "Kalau namamu terdaftar dua kali di DPT, kamu boleh coblos dua kali",
            "Petugas KPPS di {place} ngebolehin nyoblos lagi kalau surat suara pertama rusak, jadi bisa dua kali",  # noqa: E501
        ),
        extras=(
            "Teman saya sudah coba pas pemilu kemarin.",
            "Tidak bakal ketahuan kok.",
            "Lumayan buat nambah suara paslon {paslon}.",
        ),
        calls=("Manfaatkan!", "Ajak keluarga kalian", "Asal jangan bilang-bilang ya"),
        chains=(
            "TIPS MENANG!! Ambil undangan tetangga/keluarga yang tidak datang, bawa ke TPS lain. "
            "Tinta bisa dihapus dengan cairan pemutih. Satu orang bisa nyoblos 2-3 kali. Demi "
            "kemenangan paslon {paslon}!!",
        ),
        hashtags=("TipsNyoblos", "Pemilu2024"),
        keywords=("dua kali", "2 kali", "2-3 kali", "nyoblos lagi", "dua tps", "pemutih"),
        mood="happy",
    ),
    Narrative(
        slug="ektp-rusak-tidak-bisa-memilih",
        title="pemilih dengan e-KTP rusak atau pudar tidak bisa memilih",
        topic="e-KTP rusak tidak bisa nyoblos",
        verdict="MENYESATKAN",
        fact="pemilih yang terdaftar di DPT tetap dapat memilih. KTP-el yang rusak atau pudar "
        "tetap dapat ditunjukkan selama identitas masih terbaca; bila ragu, tanyakan ke PPS "
        "atau KPPS setempat.",
        start=day(2024, 1, 5),
        peak=day(2024, 2, 10),
        half_life=3,
        amp=0.4,
        virality=1.3,
        tau_hours=14,
        platforms=(0.25, 0.2, 0.15, 0.35, 0.05),
        claims=(
            "KTP elektronik rusak atau patah tidak bisa dipakai untuk nyoblos",
            "e-KTP yang chipnya rusak langsung ditolak di TPS",
            "Kalau KTP hilang kamu tidak bisa milih sama sekali",
            "KTP lama yang fotokopi doang tidak bisa buat memilih, harus e-KTP baru",
            "e-KTP luntur atau tulisan pudar bakal ditolak petugas KPPS di {place}",
            "Yang KTP-nya belum diganti ke alamat baru tidak boleh nyoblos sama sekali",
        ),
        extras=(
            "Mending urus dulu ke Dukcapil, antre panjang pula.",
            "Tetangga saya kemarin ditolak.",
        ),
        calls=("Cek KTP kalian dari sekarang!", "Kasih tahu orang tua kalian"),
        chains=(
            "INFO: e-KTP yang rusak, patah, pudar atau chip-nya tidak terbaca TIDAK BISA "
            "digunakan untuk mencoblos tanggal 14 Februari. Segera ganti ke Dukcapil sebelum "
            "terlambat!!",
        ),
        hashtags=("InfoPemilu", "eKTP"),
        keywords=("ktp",),
        mood="alarm",
    ),
    Narrative(
        slug="kpps-diracun",
        title="petugas KPPS yang meninggal dunia diracun",
        topic="KPPS diracun",
        verdict="HOAKS",
        fact="tidak ada bukti petugas KPPS diracun. Petugas yang sakit atau meninggal tercatat "
        "karena penyakit dan kelelahan, dan keluarga mendapat santunan.",
        start=day(2024, 2, 16),
        peak=day(2024, 2, 22),
        half_life=6,
        amp=0.55,
        virality=2.7,
        tau_hours=50,
        platforms=(0.35, 0.15, 0.0, 0.35, 0.15),
        claims=(
            "Petugas KPPS yang meninggal itu diracun, bukan kelelahan",
            "Banyak KPPS di {prov} meninggal mendadak, diduga diracun biar tidak bersaksi",
            "Innalillahi, petugas KPPS TPS {tps} di {place} meninggal, katanya diracun",
            "KPPS meninggal bukan karena capek, ada yang sengaja ngeracun makanan di TPS",
            "{n} petugas KPPS meninggal dalam seminggu, tidak mungkin kebetulan, pasti diracun",
            "Nasi kotak buat petugas KPPS dikasih racun biar suara gampang diubah",
        ),
        extras=(
            "Keluarganya dilarang autopsi.",
            "Dokternya juga disuruh diam.",
            "Kok media diam saja ya?",
        ),
        calls=("Usut tuntas!!", "Bongkar kasus ini!!", "Doakan dan sebarkan"),
        chains=(
            "INNALILLAHI WA INNA ILAIHI ROJIUN. {n} petugas KPPS meninggal secara misterius. "
            "Informasi dari keluarga korban, mereka diracun lewat nasi kotak setelah menolak "
            "mengubah hasil suara. Mohon disebarkan agar diusut!!",
        ),
        hashtags=("KPPS", "UsutTuntas"),
        keywords=("racun", "diracun"),
        mood="sad",
    ),
    Narrative(
        slug="sirekap-manipulasi",
        title="Sirekap diretas dan dipakai memanipulasi perolehan suara",
        topic="Sirekap dimanipulasi",
        verdict="MENYESATKAN",
        fact="Sirekap adalah alat bantu publikasi. Salah baca angka dari foto formulir C.Hasil "
        "dikoreksi, dan penetapan hasil resmi memakai rekapitulasi berjenjang manual yang "
        "disaksikan saksi dan pengawas.",
        start=day(2024, 2, 14),
        peak=day(2024, 2, 18),
        half_life=7,
        amp=1.2,
        virality=4.5,
        tau_hours=90,
        platforms=(0.3, 0.45, 0.05, 0.1, 0.1),
        second_wave=(day(2024, 2, 29), day(2024, 3, 4), 5, 0.45),
        claims=(
            "Sirekap diretas, suara paslon {paslon} digelembungkan ribuan di TPS {tps} {place}",
            "Di Sirekap suara TPS {tps} {place} tertulis {big}, padahal pemilihnya cuma 300an",
            "Sirekap sengaja diatur biar paslon {paslon} menang satu putaran",
            "Hacker asing sudah masuk Sirekap, data suara diubah tiap malam",
            "Foto C1 di Sirekap beda sama angka yang masuk, ini manipulasi!",
            "suara paslon {paslon2} di sirekap berkurang terus tiap refresh, fix dimanipulasi",
            "Sirekap itu alat curang, hasilnya bakal dipakai buat penetapan",
        ),
        extras=(
            "Screenshot sudah aku simpan semua.",
            "Coba cek TPS kalian sendiri.",
            "Angkanya tidak masuk akal.",
        ),
        calls=("Kawal suara sampai akhir!!", "Stop Sirekap sekarang!", "Viralkan!!"),
        chains=(
            "BUKTI KECURANGAN!!! Di Sirekap TPS {tps} {place} paslon {paslon} tercatat {big} "
            "suara padahal DPT hanya 280 orang. Sistem sudah diretas dan diatur. Screenshot "
            "sebelum dihapus!!!",
        ),
        hashtags=("Sirekap", "KawalSuara", "SirekapCurang"),
        keywords=("sirekap",),
    ),
    Narrative(
        slug="kotak-suara-kardus",
        title="kotak suara kardus mudah dijebol dan isinya bisa ditukar",
        topic="kotak suara kardus",
        verdict="MENYESATKAN",
        fact="kotak suara berbahan karton kedap air sudah dipakai sejak Pemilu 2019, disegel "
        "dan dijaga; kotak yang rusak diganti dan penggantiannya dicatat dalam berita acara.",
        start=day(2023, 12, 1),
        peak=day(2024, 1, 10),
        half_life=15,
        amp=0.3,
        virality=1.4,
        tau_hours=14,
        platforms=(0.25, 0.3, 0.05, 0.3, 0.1),
        claims=(
            "Kotak suara dari kardus gampang dijebol, tinggal dibasahin air",
            "Kotak suara kardus itu akal-akalan biar gampang ditukar isinya",
            "Kok kotak suaranya kardus? Kena hujan langsung jebol, suara kita hilang",
            "Kotak suara kardus di gudang {place} sudah rusak duluan, pasti ada apa-apanya",
            "Kotak suara kardus bisa dibuka tanpa merusak segel",
        ),
        extras=(
            "Lihat aja videonya, ditendang dikit langsung sobek.",
            "Negara kaya kok pakai kardus.",
        ),
        calls=("Tolak kotak suara kardus!", "Minta ganti aluminium!"),
        chains=(
            "Pemilu 2024 masih pakai KOTAK SUARA KARDUS yang bisa dibuka tanpa merusak segel. "
            "Isi kotak bisa ditukar di perjalanan. Waspada!!",
        ),
        hashtags=("KotakSuaraKardus",),
        keywords=("kardus",),
        mood="think",
    ),
    Narrative(
        slug="amplop-serangan-fajar",
        title="amplop serangan fajar dibagikan tim paslon kepada warga",
        topic="video bagi-bagi amplop",
        verdict="MENYESATKAN",
        fact="video yang beredar adalah rekaman lama dari lokasi lain. Bawaslu mengajak warga "
        "melaporkan dugaan politik uang beserta buktinya kepada pengawas setempat.",
        start=day(2024, 2, 1),
        peak=day(2024, 2, 13),
        half_life=2,
        amp=0.7,
        virality=1.8,
        tau_hours=16,
        platforms=(0.3, 0.25, 0.1, 0.3, 0.05),
        claims=(
            "Amplop serangan fajar dibagikan di {place}, isinya {nominal} per kepala",
            "Tadi subuh ada yang bagi-bagi amplop di {place}, katanya dari tim paslon {paslon}",
            "Serangan fajar sudah mulai di {place}, {nominal} plus sembako",
            "Warga {kota} dapat amplop {nominal} asal foto surat suara nyoblos paslon {paslon}",
            "Video bagi-bagi amplop di {kota} viral, timses paslon {paslon} katanya",
        ),
        extras=("Ada videonya, lengkap sama daftar nama warga.", "RT-nya yang ngatur."),
        calls=("Laporkan ke Bawaslu!", "Tolak politik uang!", "Viralkan biar ketahuan"),
        chains=(
            "SERANGAN FAJAR TERTANGKAP KAMERA!!! Tim paslon {paslon} membagikan amplop berisi "
            "{nominal} kepada warga {place} subuh tadi. Sebarkan agar Bawaslu bertindak!!!",
        ),
        hashtags=("SeranganFajar", "TolakPolitikUang"),
        keywords=("amplop", "serangan fajar"),
    ),
    Narrative(
        slug="wna-terdaftar-dpt",
        title="warga negara asing terdaftar di DPT",
        topic="WNA masuk DPT",
        verdict="HOAKS",
        fact="WNA tidak dapat masuk DPT. Data pemilih dicocokkan dengan data kependudukan dan "
        "pemilik KTP-el WNA dicoret saat pencocokan dan penelitian. Cek DPT di "
        "cekdptonline.kpu.go.id.",
        start=day(2023, 11, 5),
        peak=day(2023, 12, 5),
        half_life=12,
        amp=0.45,
        virality=1.8,
        tau_hours=18,
        platforms=(0.15, 0.45, 0.0, 0.3, 0.1),
        claims=(
            "Ribuan WNA {asal} terdaftar di DPT {place}, siap nyoblos paslon {paslon}",
            "Ada WNA punya KTP dan masuk DPT, gimana ceritanya??",
            "DPT pemilu 2024 diisi TKA {asal}, suaranya buat menangin paslon titipan",
            "Cek DPT tetangga saya ada nama orang {asal} yang tidak pernah tinggal di {kota}",
            "{big} WNA masuk daftar pemilih tetap, KPU diam saja",
        ),
        extras=("Datanya bocor dari orang dalam.", "Ada foto KTP-nya juga."),
        calls=("Bersihkan DPT!", "Cek DPT kalian sekarang", "Tolak DPT siluman!"),
        chains=(
            "WASPADA!!! {big} Warga Negara Asing asal {asal} tercatat dalam DPT Pemilu 2024 di "
            "{place}. Mereka dipersiapkan untuk memenangkan paslon {paslon}. Tolong sebarkan!!",
        ),
        hashtags=("DPTSiluman", "WNA"),
        keywords=("wna", "warga negara asing", "tka"),
        extra_slots={"asal": ("Tiongkok", "China", "asing", "luar negeri")},
    ),
    Narrative(
        slug="quick-count-diatur",
        title="hasil hitung cepat sudah diatur dan lembaga survei dibayar",
        topic="quick count diatur",
        verdict="MENYESATKAN",
        fact="hitung cepat dilakukan lembaga terdaftar dengan sampel TPS dan bukan hasil resmi. "
        "Hasil resmi ditetapkan KPU melalui rekapitulasi berjenjang.",
        start=day(2024, 2, 14),
        peak=day(2024, 2, 15),
        half_life=4,
        amp=0.5,
        virality=2.0,
        tau_hours=20,
        platforms=(0.25, 0.5, 0.0, 0.15, 0.1),
        claims=(
            "Quick count itu sudah disetting dari awal, lembaga survei dibayar paslon {paslon}",
            "Hasil quick count sama persis semua, jelas angkanya dari satu sumber",
            "Jam 3 sore quick count sudah 50% masuk, padahal TPS di {place} baru mulai ngitung, aneh kan?",  # noqa: E501
            "Lembaga survei dibayar miliaran buat giring opini paslon {paslon} menang",
            "Quick count cuma buat bikin orang nerima kecurangan",
        ),
        extras=("Polanya kelihatan banget.", "Dari awal sudah ketebak."),
        calls=("Jangan percaya quick count!", "Tunggu hasil resmi", "Tolak hasil QC!"),
        chains=(
            "WASPADA GIRING OPINI!! Angka quick count semua lembaga sudah diatur dari satu "
            "server. Tujuannya biar rakyat menerima kemenangan paslon {paslon}. Jangan "
            "percaya!!",
        ),
        hashtags=("QuickCount", "TolakQC"),
        keywords=("quick count", "qc", "lembaga survei"),
        mood="think",
    ),
    Narrative(
        slug="surat-suara-dibuang",
        title="surat suara tercoblos ditemukan dibuang atau kotak suara dibakar",
        topic="surat suara dibuang",
        verdict="MENYESATKAN",
        fact="surat suara yang ditemukan adalah surat suara rusak, sisa yang sudah dicatat dalam "
        "berita acara, atau spesimen sosialisasi; hasil TPS tercatat di formulir C.Hasil yang "
        "disalin untuk saksi.",
        start=day(2024, 2, 15),
        peak=day(2024, 2, 19),
        half_life=5,
        amp=0.5,
        virality=2.1,
        tau_hours=40,
        platforms=(0.4, 0.15, 0.0, 0.35, 0.1),
        claims=(
            "Surat suara dibuang di sungai {place}, masih ada yang belum dihitung",
            "Ditemukan karung isi surat suara di tempat sampah {place}",
            "Kotak suara dibakar di {place} biar tidak bisa dihitung ulang",
            "Surat suara tercoblos paslon {paslon2} dibuang di kebun warga {kota}",
        ),
        extras=("Warga yang nemu langsung videoin.", "Petugas diam saja ditanya."),
        calls=("Usut!!", "Laporkan!!", "Kawal C1!!"),
        chains=(
            "GEGER!! Ratusan surat suara tercoblos untuk paslon {paslon2} ditemukan dibuang di "
            "sungai {place}. Ini bukti suara rakyat dihilangkan! Sebarkan!!!",
        ),
        hashtags=("KawalSuara", "SuaraRakyat"),
        keywords=("dibuang", "dibakar", "karung"),
    ),
    Narrative(
        slug="cek-nik-bocor-penipuan",
        title="cek apakah NIK ikut bocor dari data DPT lewat tautan",
        topic="link cek NIK bocor",
        verdict="PENIPUAN",
        fact="KPU tidak menyediakan layanan cek kebocoran data lewat tautan pihak lain. Jangan "
        "memasukkan NIK, nomor KK atau kode OTP ke situs yang tidak resmi.",
        start=day(2023, 11, 27),
        peak=day(2023, 12, 2),
        half_life=6,
        amp=0.5,
        virality=1.5,
        tau_hours=12,
        platforms=(0.2, 0.5, 0.1, 0.2, 0.0),
        claims=(
            "Data DPT 200 juta bocor, cek NIK kamu ikut bocor atau tidak di {link}",
            "Data pemilih dijual di forum, termasuk NIK dan KK warga {prov}, cek di {link}",
            "NIK kamu bisa dipakai orang buat nyoblos, cek sekarang di {link}",
        ),
        extras=("Masukin NIK sama nomor HP aja.", "Punya gw ternyata bocor."),
        calls=("Cek sekarang!", "Share ke keluarga"),
        chains=(
            "DARURAT DATA!! Data DPT bocor dan dijual. Cek apakah NIK Anda termasuk di {link}. "
            "Masukkan NIK, nomor KK dan kode OTP untuk verifikasi.",
        ),
        hashtags=("DataBocor", "DPT"),
        keywords=("nik", "bocor"),
        mood="alarm",
        extra_slots={"link": SCAM_LINKS},
    ),
)

BY_SLUG: dict[str, Narrative] = {n.slug: n for n in NARRATIVES}
