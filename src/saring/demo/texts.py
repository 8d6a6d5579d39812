"""Ordinary election talk and everyday chatter for the demo data set (written for Saring).

Templates use ``{slot}`` fields filled per post: {place} {kota} {prov} {paslon} {paslon2} {tps}
{n} {big} {nominal} {persen} {food} {team} {idol} {drakor} {jam}.
"""

from __future__ import annotations

# Election talk that is not harmful, by calendar phase ("any" applies everywhere).
ELECTION: dict[str, tuple[tuple[str, str], ...]] = {
    "any": (
        ("Pokoknya pilih paslon {paslon}, programnya jelas", "proud"),
        ("Saya dukung paslon {paslon} karena programnya buat anak muda masuk akal", "proud"),
        ("Beda pilihan boleh, yang penting tetap temenan ya", "love"),
        ("Grup WA keluarga panas lagi bahas pilpres", "happy"),
        ("Ada yang tahu caleg dapil {kota} yang track recordnya bagus?", "think"),
        ("Pemilu itu pesta demokrasi, santai aja jangan baper", "happy"),
        ("Tim {paslon} mana suaranya!!", "proud"),
        ("Nonton podcast bahas visi misi paslon {paslon}, lumayan tercerahkan", "think"),
        ("Mau tanya, pemilih pemula perlu bawa apa aja ke TPS?", "think"),
        ("Bapak saya jadi saksi di TPS {tps}, katanya capek tapi seru", "happy"),
    ),
    "pre": (
        ("Udah cek DPT belum? Aku udah, terdaftar di TPS {tps}", "info"),
        ("Baru daftar jadi anggota KPPS di {place}, doakan lolos", "proud"),
        ("Nomor urut paslon sudah keluar, siap-siap kampanye rame nih", "think"),
        ("Pemilih pemula tahun ini banyak banget katanya", "think"),
        ("Ada sosialisasi pemilu di kampus tadi, lumayan dapet snack", "happy"),
    ),
    "campaign": (
        ("Nonton debat capres malam ini? paslon {paslon} jawabannya lumayan", "think"),
        ("Kampanye paslon {paslon} di {place} rame banget, jalan macet", "happy"),
        ("Udah cek DPT belum? Aku udah, terdaftar di TPS {tps}", "info"),
        ("Bingung milih caleg, surat suaranya banyak banget", "think"),
        ("Pemilih pemula nih, first time nyoblos deg-degan", "happy"),
        ("Baliho caleg di {place} makin banyak, nutupin rambu jalan", "angry"),
        ("Debat tadi malam seru sih, tapi waktunya kurang", "think"),
        ("Jangan golput ya guys, 14 Februari ke TPS!", "proud"),
        ("Program paslon {paslon} soal lapangan kerja masuk akal gak sih?", "think"),
        ("Udah dapat surat pemberitahuan memilih belum?", "info"),
        ("Saya pindah memilih ke {kota}, ngurusnya ternyata gampang", "info"),
        ("Konser kampanye paslon {paslon} di {kota} penuh, panas banget", "happy"),
        ("Jadi anggota KPPS, bimtek hari ini di kantor desa", "proud"),
        ("Gemoy banget jogetnya wkwk", "happy"),
        (
            "Visi misi paslon {paslon2} soal pendidikan menarik, ada yang udah baca lengkap?",
            "think",
        ),
        ("Selisih survei paslon {paslon} sama {paslon2} tipis banget ya", "think"),
        ("Tetangga saya caleg, tiap hari bagi kalender", "happy"),
        ("Anak muda {kota} harus melek politik, cek rekam jejak calon", "proud"),
    ),
    "quiet": (
        ("Masa tenang tapi grup WA keluarga masih rame kampanye wkwk", "happy"),
        ("Besok nyoblos, jangan lupa bawa KTP dan surat pemberitahuan", "info"),
        ("Baliho sudah diturunin di {place}, adem juga lihatnya", "happy"),
        ("Lusa nyoblos, sudah mantap pilihan? Aku masih galau caleg", "think"),
        ("Pulang kampung ke {kota} buat nyoblos, tiket mahal banget", "sad"),
        ("TPS {tps} di {place} sudah mulai dipasang tendanya", "info"),
    ),
    "voting": (
        ("Udah nyoblos! Jari ungu 💜", "proud"),
        ("Antre di TPS {tps} {place} lumayan panjang", "think"),
        ("TPS di {place} dihias tema pernikahan, lucu banget", "happy"),
        ("Nungguin quick count sambil makan {food}", "happy"),
        ("Jadi KPPS dari subuh, belum tidur sama sekali", "sad"),
        ("Penghitungan suara di TPS kami baru selesai jam 11 malam", "sad"),
        ("Baru pertama kali nyoblos, surat suaranya 5 lembar gede-gede", "happy"),
        ("Libur nasional, habis nyoblos langsung rebahan", "happy"),
        ("Selamat memilih semuanya! Gunakan hak pilihmu", "proud"),
        ("Quick count sudah keluar, paslon {paslon} unggul sementara", "think"),
        ("Saksi di TPS {tps} teliti banget ngitungnya, salut", "proud"),
        ("Di TPS saya pemilih lansia diantar ke bilik, petugasnya sabar", "love"),
    ),
    "counting": (
        ("Rekap di kecamatan {place} masih jalan sampai malam", "think"),
        ("Salut sama petugas KPPS dan PPK yang masih kerja", "proud"),
        ("Nunggu pengumuman resmi KPU tanggal 20 Maret", "think"),
        ("Semoga hasilnya diterima semua pihak dengan damai", "love"),
        ("Real count sama quick count selisihnya tipis ya", "think"),
        ("Saksi paslon {paslon} di TPS kami teliti banget", "proud"),
        ("Ikut pantau rekap suara di {place}, terbuka kok prosesnya", "info"),
        ("Sudah lah, siapapun pemenangnya kita tetap saudara", "love"),
        ("Petugas PPK {kota} begadang rekap, semangat!", "proud"),
    ),
    "after": (
        ("Hasil sudah diumumkan, saatnya move on dan kerja lagi", "proud"),
        ("Katanya ada gugatan ke MK, kita tunggu saja prosesnya", "think"),
        ("Semoga yang terpilih amanah", "love"),
        ("Pemilu selesai, grup keluarga akhirnya damai lagi", "happy"),
    ),
}

CHATTER: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # (template, mood, hashtags)
    ("Hujan deres banget di {place}, jemuran belum diangkat", "sad", ()),
    ("Panas banget hari ini, {kota} kayak oven", "angry", ()),
    ("Macet parah di {place}, sejam cuma maju 2 km", "angry", ("macet",)),
    ("Pagi-pagi sudah antre {food}, worth it sih", "happy", ("kuliner",)),
    ("Rekomendasi {food} enak di {kota} dong", "think", ("kuliner", "jajan")),
    ("Akhirnya nemu {food} murah meriah deket kos", "happy", ("kulinerenak",)),
    ("{food} jam segini tuh godaan banget", "happy", ()),
    ("Bikin {food} sendiri, hasilnya lumayan lah", "happy", ("masakrumahan",)),
    ("KRL pagi ini penuh banget, kegencet", "sad", ("krl",)),
    ("Motor mogok di jalan, hujan pula", "sad", ()),
    ("Banjir lagi di {place}, hati-hati yang lewat", "alarm", ("banjir",)),
    ("{team} main jelek banget malam ini", "angry", ("sepakbola",)),
    ("{team} menang! Sujud syukur", "proud", ("sepakbola",)),
    ("Yang nonton {team} tadi mana suaranya", "happy", ()),
    ("{idol} comeback bulan ini, dompet menangis", "sad", ("kpop",)),
    ("Tiket konser {idol} ludes dalam 5 menit, war gagal", "sad", ("kpop", "wartiket")),
    ("Maraton nonton {drakor}, gak tidur sampai subuh", "happy", ("drakor",)),
    ("Ending {drakor} bikin nangis bombay", "sad", ("drakor",)),
    ("Senin lagi, semangat kerja gaes", "proud", ()),
    ("Gajian masih lama, saldo tinggal segini", "sad", ("anakkos",)),
    ("Kucing aku hari ini nyuri ikan tetangga", "happy", ("kucing",)),
    ("Tugas kuliah numpuk, deadline besok", "sad", ("mahasiswa",)),
    ("Baru pulang kerja, langsung rebahan", "happy", ()),
    ("Siapa yang juga gak bisa tidur jam segini?", "think", ()),
    ("Sinyal di rumah hilang-hilangan, kesel", "angry", ()),
    ("Hari ini ulang tahun ibu, sehat selalu ya bu", "love", ()),
    ("Jalan-jalan ke {place} weekend ini, rekomendasi tempat dong", "think", ("liburan",)),
    ("Cuaca {kota} lagi adem, enak buat tidur siang", "happy", ()),
    ("Harga cabai naik lagi, emak-emak menjerit", "angry", ("hargacabai",)),
    ("Beras mahal banget sekarang", "sad", ("hargaberas",)),
    ("OOTD hari ini, gimana?", "love", ("ootd",)),
    ("Skincare routine malam, kulit auto glowing", "love", ("skincare",)),
    ("Tutorial makeup natural buat kuliah", "love", ("makeup", "tutorial")),
    ("Meme hari ini: aku vs tanggal tua", "happy", ("meme", "receh")),
    ("Kenapa ya tiap mau tidur malah kepikiran hal random", "think", ("random",)),
    ("Lagi ngegym, hari ini leg day", "proud", ("gym",)),
    ("Baru belajar masak rendang, ternyata lama banget", "happy", ("masak",)),
    ("Abang ojol tadi baik banget, bintang 5", "love", ("ojol",)),
    ("Kopi susu gula aren is life", "love", ("kopi",)),
    ("Lagi mudik ke {kota}, kangen masakan nenek", "love", ("mudik",)),
    ("Review HP baru, kameranya bagus banget", "happy", ("review", "gadget")),
    ("Ada yang tahu kenapa aplikasi ini error terus?", "angry", ()),
    ("Bocil di rumah main game terus, pusing", "sad", ()),
    ("Cara cepat hafalan buat ujian, coba deh", "info", ("tips", "belajar")),
    ("Resep {food} ala rumahan, gampang banget", "info", ("resep",)),
    ("Lagi viral tren joget baru, ikutan ah", "happy", ("trend", "joget")),
    ("Diskon gede di e-commerce, checkout dulu", "happy", ("racuntiktok",)),
    ("Pagi-pagi lari keliling {place}, seger", "proud", ("olahraga",)),
    ("Cuaca ekstrem katanya minggu ini, jaga kesehatan ya", "info", ()),
    ("Angkot di {kota} makin jarang ya sekarang", "think", ()),
)

# Date-bound chatter: (first day, last day, template, mood, hashtags) with day indices filled
# in by the generator from calendar dates.
SEASONAL: tuple[
    tuple[tuple[int, int, int], tuple[int, int, int], str, str, tuple[str, ...]], ...
] = (
    ((2023, 12, 20), (2023, 12, 26), "Selamat Natal bagi yang merayakan 🎄", "love", ("natal",)),
    (
        (2023, 12, 29),
        (2024, 1, 1),
        "Tahun baru di {place} rame banget kembang apinya",
        "happy",
        ("tahunbaru", "2024"),
    ),
    (
        (2023, 12, 30),
        (2024, 1, 2),
        "Resolusi 2024: rajin nabung, kurangi jajan {food}",
        "proud",
        ("resolusi2024",),
    ),
    (
        (2024, 1, 12),
        (2024, 1, 29),
        "Timnas main di Piala Asia, gas terus Garuda!",
        "proud",
        ("timnas", "pialaasia"),
    ),
    (
        (2024, 1, 12),
        (2024, 1, 29),
        "Nobar timnas di {place} malam ini, siapa ikut?",
        "happy",
        ("timnasday",),
    ),
    ((2024, 2, 8), (2024, 2, 11), "Gong xi fa cai! Angpao mana angpao 🧧", "happy", ("imlek",)),
    (
        (2024, 3, 8),
        (2024, 3, 31),
        "Sahur pertama, masak {food} seadanya",
        "love",
        ("ramadan", "sahur"),
    ),
    (
        (2024, 3, 11),
        (2024, 3, 31),
        "Ngabuburit di {place} sambil cari takjil",
        "happy",
        ("ngabuburit", "takjil"),
    ),
    ((2024, 3, 11), (2024, 3, 31), "Takjil war dimulai, es buah ludes", "happy", ("takjilwar",)),
    (
        (2023, 11, 20),
        (2024, 2, 28),
        "Musim hujan, {kota} banjir lagi di beberapa titik",
        "sad",
        ("banjir",),
    ),
)

FOODS = ("seblak", "bakso", "mie ayam", "nasi padang", "martabak manis", "es teh jumbo",
         "gorengan", "soto ayam", "nasi goreng", "pempek", "coto makassar", "rawon",
         "gudeg", "batagor", "cilok", "indomie", "sate padang", "pecel lele", "mie gacoan",
         "ayam geprek", "es kopi susu", "bubur ayam")  # fmt: skip
TEAMS = ("Persib", "Persija", "Persebaya", "Arema", "PSM", "PSS", "Bali United", "Timnas",
         "Man United", "Real Madrid", "Liverpool", "Barca")  # fmt: skip
IDOLS = ("boygroup favoritku", "bias aku", "idol kesayangan", "girlgroup itu", "oppa")
DRAKOR = ("drakor baru", "drama Korea itu", "series Netflix ini", "anime musim ini",
          "sinetron azab")  # fmt: skip
PASLON = ("01", "02", "03")
NOMINAL = ("50rb", "100 ribu", "Rp200.000", "150rb", "300 ribu", "20rb", "Rp100.000")

ELECTION_TAGS = ("Pemilu2024", "PemiluDamai", "Pilpres2024", "PemilihCerdas", "TemanPemilih",
                 "PemiluSerentak2024", "JanganGolput", "Coblos")  # fmt: skip
PLATFORM_TAGS = {
    "tiktok": ("fyp", "fypシ", "foryou", "xyzbca", "viral", "foryoupage", "fypage"),
    "instagram": ("instadaily", "explore", "reels", "indonesia"),
    "x": (),
    "facebook": ("viral",),
    "youtube": ("shorts",),
}

# Coordinated supporter messages (buzzer clusters); {p} is the paslon number.
SUPPORT = ("Paslon {p} pasti menang satu putaran! 🔥", "Bersama {p}, Indonesia maju!",
           "Sudah mantap pilih {p}, kalian?", "Hanya {p} yang programnya jelas buat rakyat kecil",
           "Coblos {p} tanggal 14! Jangan lupa ajak keluarga", "Relawan {p} {kota} siap menangkan!",
           "Tim {p} solid sampai akhir 💪", "{p} menang, rakyat senang!")  # fmt: skip

# Tails that name a place in otherwise place-less posts.
PLACE_TAILS = ("warga {kota} mana suaranya?", "salam dari {place}", "di {place} gimana?",
               "({place})", "📍{kota}", "— dari {place}", "anak {kota} pasti relate")  # fmt: skip

# Ways people pass a narrative on.
PREFIXES = ("INFO PENTING!!", "Breaking news:", "Dari grup WA keluarga:",
            "Copas dari grup sebelah:", "Viral!!", "Waduh.", "Astaghfirullah.", "Gila sih.",
            "Ternyata", "Baru tahu saya,", "A1!!", "Hati-hati gaes,", "Dapat info dari teman:",
            "Fix no debat,", "Ngeri.", "Nah kan.", "Kan bener.", "Parah!!")  # fmt: skip
QUESTIONS = ("Bener tidak sih {x}?", "{x}?? ada yang tahu ini bener gk",
             "Ini hoaks atau beneran? {x}", "serius {x}??", "Min @kpu_ri mohon klarifikasi: {x}",
             "{x}. Masa sih?", "Ada yang bisa konfirmasi? {x}")  # fmt: skip
COMMENTS = ("ngeri banget", "parah sih kalau bener", "ini beneran?", "kawal terus", "tolong dicek",
            "sudah kuduga", "share ulang", "baca sampai habis", "😡😡😡", "astaghfirullah",
            "pantes", "makin yakin")  # fmt: skip
WRAPPERS = ("{c} 👇👇\n\n{x}", "{x}\n\n{c}", '"{x}"\n\n^ {c}', "Copas: {x}", "{c}!! {x}",
            "RT {x}", "{x} — {c}")  # fmt: skip
COUNTERS = ("Itu hoaks ya gaes, {fact}", "Sudah diklarifikasi KPU, {topic} itu tidak benar",
            "Plis jangan asal share soal {topic}, cek dulu ke akun resmi",
            "Hoaks lagi hoaks lagi. {topic} sudah dibantah",
            "Buat yang di grup keluarga: {topic} itu hoaks, {fact}",
            "Saring sebelum sharing! {topic} itu {verdict_low}",
            "capek bgt liat orang percaya {topic}. cek fakta dulu napa",
            "Baca klarifikasinya: {fact}")  # fmt: skip
