"""The demo author pool: ordinary users, hyper-active spreaders, buzzer clusters and official
KPU/Bawaslu accounts. All handles and names are invented combinations.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from saring.demo import official as off
from saring.demo.geo import DIALECT, Geo, Regency, location_string
from saring.demo.slang import FORMAL, Style, random_style

PLATFORMS = ("tiktok", "x", "instagram", "facebook", "youtube")
PLATFORM_SHARE = (0.34, 0.30, 0.15, 0.12, 0.09)

FIRST = ("Andi", "Budi", "Siti", "Dewi", "Rizky", "Putri", "Agus", "Wahyu", "Nur", "Fitri",
         "Dimas", "Ayu", "Yoga", "Rina", "Hendra", "Teguh", "Bayu", "Indah", "Fajar", "Lestari",
         "Rahmat", "Sri", "Eko", "Dian", "Yusuf", "Nabila", "Fauzan", "Aulia", "Rafi", "Salsa",
         "Arif", "Intan", "Gilang", "Anisa", "Ilham", "Maya", "Reza", "Tiara", "Bagus", "Wulan",
         "Hadi", "Kartika", "Joko", "Ratna", "Iqbal", "Citra", "Fikri", "Nadia", "Adit", "Vina",
         "Rangga", "Mega", "Dodi", "Laras", "Surya", "Febri", "Galih", "Novi", "Hafiz", "Zahra",
         "Kevin", "Jessica", "Michael", "Grace", "Yohanes", "Maria", "Steven", "Clara", "Wayan",
         "Made", "Komang", "Ketut", "Putu", "Asep", "Ujang", "Cecep", "Euis", "Neng", "Slamet",
         "Tri", "Ucok", "Butet", "Daeng", "Muh.", "Ahmad", "Rudi", "Irfan", "Sinta", "Tasya",
         "Kiki", "Bima", "Rara", "Aldi", "Dinda", "Farhan", "Keisha", "Nanda", "Yuni")  # fmt: skip
LAST = ("Saputra", "Pratama", "Wijaya", "Siregar", "Nasution", "Hutapea", "Lubis",
        "Rahmawati", "Kusuma", "Setiawan", "Hidayat", "Nugroho", "Santoso",
        "Sitompul", "Manurung", "Tanjung", "Harahap", "Mahendra", "Permana",
        "Sembiring", "Ginting", "Tarigan", "Wibowo", "Susanto", "Anggraini",
        "Purnama", "Syahputra", "Ramadhan", "Firmansyah", "Maulana", "Kurniawan",
        "Suryadi", "Utami", "Handayani", "Prasetyo", "Gunawan", "Halim", "Tanoto",
        "Pane", "Simanjuntak", "Daulay", "Rangkuti", "Wirawan", "Sari", "Yulianti",
        "Hakim", "Fadilah", "Rahman", "Basri", "Mappasessu", "Pattimura",
        "Latuconsina", "Rumbiak", "Wonda", "Kaize", "Ardiansyah", "Kurnia",
        "Oktaviani", "Hasibuan", "Batubara", "Aritonang", "Panjaitan")  # fmt: skip
FEMALE = frozenset(("Siti", "Dewi", "Putri", "Fitri", "Ayu", "Rina", "Indah", "Lestari", "Sri",
                    "Dian", "Nabila", "Aulia", "Salsa", "Intan", "Anisa", "Maya", "Tiara", "Wulan",
                    "Kartika", "Ratna", "Citra", "Nadia", "Vina", "Mega", "Laras", "Novi", "Zahra",
                    "Jessica", "Grace", "Maria", "Clara", "Euis", "Neng", "Butet", "Sinta",
                    "Tasya", "Kiki", "Rara", "Dinda", "Keisha", "Yuni", "Nur"))  # fmt: skip
FEMALE_TITLES = ("Kak ", "Mbak ", "Teh ", "Bu ", "Neng ")
MALE_TITLES = ("Mas ", "Kak ", "Bang ", "Cak ", "Pak ", "Kang ")
WORDS = ("official", "real", "kopi", "senja", "mager", "receh", "skuy", "id",
         "ganteng", "manis", "channel", "tv", "story", "gaming", "daily", "vlog",
         "vibes", "aja", "jr", "bgt")  # fmt: skip
SPREADER_WORDS = ("suara", "rakyat", "info", "kabar", "berita", "warga", "jaga",
                  "bela", "nusantara", "negeri", "fakta", "bongkar", "kritis",
                  "melek", "update", "terkini", "aktual", "pantau", "waras",
                  "bangsa", "garuda", "merdeka")  # fmt: skip


@dataclass(slots=True)
class Author:
    handle: str
    name: str
    location: str
    platform: str
    region: Regency
    style: Style
    kind: str  # user, spreader, buzzer, official
    reach: float  # follower-ish multiplier of engagement
    cluster: str = ""
    area: str = ""  # officials: the area name used in their posts
    area_code: str = ""  # officials: region code of their area ("" for national)


@dataclass(frozen=True, slots=True)
class Cluster:
    key: str
    platform: str
    pushes: tuple[str, ...]  # narrative slugs or harm keys or "support:01"
    members: tuple[Author, ...]


@dataclass(slots=True)
class Pool:
    users: dict[str, list[Author]]  # per platform
    user_cum: dict[str, list[float]]
    spreaders: dict[str, list[Author]]
    spreader_cum: dict[str, list[float]]
    officials: list[Author]
    official_cum: list[float]
    clusters: tuple[Cluster, ...]

    def pick_user(self, rng, platform: str) -> Author:
        cum = self.user_cum[platform]
        return self.users[platform][bisect.bisect(cum, rng.random() * cum[-1])]

    def pick_spreader(self, rng, platform: str) -> Author | None:
        cum = self.spreader_cum[platform]
        if not cum:
            return None
        return self.spreaders[platform][bisect.bisect(cum, rng.random() * cum[-1])]

    def pick_official(self, rng) -> Author:
        cum = self.official_cum
        return self.officials[bisect.bisect(cum, rng.random() * cum[-1])]


def pick_region(rng, geo: Geo) -> Regency:
    cum = geo.cum_weights
    return geo.regencies[bisect.bisect(cum, rng.random() * cum[-1])]


def _clean(s: str) -> str:
    return "".join(ch for ch in s.lower() if ch.isalnum())


def _person(rng, reg: Regency) -> tuple[str, str]:
    first = rng.choice(FIRST)
    last = rng.choice(LAST) if rng.random() < 0.75 else ""
    f, la = _clean(first), _clean(last)
    yy = rng.choice(("", str(rng.randint(1, 99)), str(rng.randint(1990, 2008))[2:], "_"))
    form = rng.randrange(9)
    if form == 0 or not la:
        handle = f + (yy or str(rng.randint(10, 999)))
    elif form == 1:
        handle = f"{f}_{la}"
    elif form == 2:
        handle = f"{f}.{la}{yy}"
    elif form == 3:
        handle = f"{f}{la}"
    elif form == 4:
        handle = f"{f}{rng.choice(WORDS)}{yy}"
    elif form == 5:
        handle = f"its{f}{yy}"
    elif form == 6:
        handle = f"{f[:3]}{la[:4]}{rng.randint(100, 9999)}"
    else:
        handle = f"{f}_{rng.choice(WORDS)}"
    display = f"{first} {last}".strip()
    r = rng.random()
    if r < 0.12:
        display = display + " " + rng.choice(("🌸", "✨", "🇮🇩", "🦋", "⚽", "☕"))
    elif r < 0.2:
        female = first in FEMALE
        display = rng.choice(FEMALE_TITLES if female else MALE_TITLES) + first
    elif r < 0.27:
        display = display.upper()
    elif r < 0.33:
        display = handle
    return handle.strip("._")[:30] or f"user{rng.randint(1000, 9999)}", display


def _unique(handle: str, seen: dict[str, int]) -> str:
    if handle not in seen:
        seen[handle] = 1
        return handle
    seen[handle] += 1
    h = f"{handle}{seen[handle]}"
    while h in seen:
        seen[handle] += 1
        h = f"{handle}{seen[handle]}"
    seen[h] = 1
    return h


def build_pool(rng, geo: Geo, n_users: int = 3600) -> Pool:
    """The author pool; built once per seed, deterministic."""
    seen = {p: {} for p in PLATFORMS}
    users: dict[str, list[Author]] = {p: [] for p in PLATFORMS}
    cum_share = []
    t = 0.0
    for s in PLATFORM_SHARE:
        t += s
        cum_share.append(t)
    for _ in range(n_users):
        p = PLATFORMS[min(4, bisect.bisect(cum_share, rng.random()))]
        reg = pick_region(rng, geo)
        handle, name = _person(rng, reg)
        users[p].append(
            Author(
                handle=_unique(handle, seen[p]),
                name=name,
                location=location_string(rng, reg, geo),
                platform=p,
                region=reg,
                style=random_style(rng, DIALECT.get(reg.province, "")),
                kind="user",
                reach=rng.lognormvariate(0, 1.0),
            )
        )
    user_cum: dict[str, list[float]] = {}
    for p in PLATFORMS:
        acc, out = 0.0, []
        for rank in range(1, len(users[p]) + 1):
            acc += 1.0 / (rank + 30)  # some very active accounts, a long tail of rare posters
            out.append(acc)
        user_cum[p] = out
    spreaders: dict[str, list[Author]] = {p: [] for p in PLATFORMS}
    spreader_cum: dict[str, list[float]] = {p: [] for p in PLATFORMS}
    for i in range(34):
        p = PLATFORMS[i % 5] if i < 25 else rng.choice(("x", "tiktok", "facebook"))
        reg = pick_region(rng, geo)
        w1, w2 = rng.sample(SPREADER_WORDS, 2)
        sep = rng.choice(("", "_", "."))
        suffix = rng.choice(("", "88", "id", "24", "_official", "2024"))
        handle = _unique(f"{w1}{sep}{w2}{suffix}", seen[p])
        name = f"{w1.title()} {w2.title()}" + rng.choice(("", " ID", " 🇮🇩", " Official", " News"))
        st = random_style(rng, "")
        spreaders[p].append(
            Author(
                handle,
                name,
                location_string(rng, reg, geo),
                p,
                reg,
                Style(st.slang * 0.6, 0.8, 0.15, st.typo, 0.02, "", False),
                "spreader",
                rng.uniform(3, 12),
            )
        )
        prev = spreader_cum[p][-1] if spreader_cum[p] else 0.0
        spreader_cum[p].append(prev + rng.lognormvariate(0, 0.8))
    clusters = []
    plan = (
        (
            "A",
            "x",
            (
                "sirekap-manipulasi",
                "server-kpu-luar-negeri",
                "quick-count-diatur",
                "serangan_penyelenggara",
            ),
        ),
        ("B", "tiktok", ("surat-suara-tercoblos", "kpps-diracun", "surat-suara-dibuang")),
        (
            "C",
            "facebook",
            (
                "tinta-pemilu-haram",
                "pemilu-ditunda",
                "ektp-rusak-tidak-bisa-memilih",
                "tps-pindah-link-penipuan",
                "cek-nik-bocor-penipuan",
            ),
        ),
        ("D", "x", ("kampanye_hitam", "ujaran_kebencian", "wna-terdaftar-dpt")),
        ("E", "tiktok", ("support:01", "kampanye_hitam")),
        ("F", "x", ("support:02", "ujaran_kebencian")),
        ("G", "instagram", ("support:03", "kampanye_hitam")),
        ("H", "facebook", ("amplop-serangan-fajar", "politik_uang", "ajakan_golput")),
    )
    for key, p, pushes in plan:
        stem = rng.choice(SPREADER_WORDS) + rng.choice(("_", "", "."))
        size = rng.randint(12, 24)
        members = []
        for j in range(size):
            reg = pick_region(rng, geo)
            if rng.random() < 0.5:
                handle, name = _person(rng, reg)
                handle = f"{handle}{rng.randint(1000, 99999)}"
            else:
                handle = f"{stem}{rng.choice(SPREADER_WORDS)}{j:02d}"
                name = handle.replace("_", " ").replace(".", " ").title()
            members.append(
                Author(
                    _unique(handle, seen[p]),
                    name,
                    "" if rng.random() < 0.7 else "Indonesia",
                    p,
                    reg,
                    Style(0.3, 0.7, 0.05, 0.0, 0.0, "", False),
                    "buzzer",
                    rng.uniform(0.1, 0.5),
                    cluster=key,
                )
            )
        clusters.append(Cluster(key, p, pushes, tuple(members)))
    officials, ocum = _officials(geo)
    return Pool(users, user_cum, spreaders, spreader_cum, officials, ocum, tuple(clusters))


def _officials(geo: Geo) -> tuple[list[Author], list[float]]:
    out: list[Author] = []
    weights: list[float] = []
    jakarta = geo.by_code["31.71"]

    def add(handle, name, code, platforms, reach, weight, bawaslu=False):
        reg = geo.by_code.get(code) if "." in code else None
        if reg is None:
            prov = code or "31"
            reg = next(r for r in geo.regencies if r.province == prov) if code else jakarta
        area = "Indonesia" if not code else reg.name if "." in code else geo.province_label(code)
        for p in platforms:
            out.append(
                Author(
                    handle,
                    name,
                    "" if code else "Jakarta, Indonesia",
                    p,
                    reg,
                    FORMAL,
                    "official",
                    reach,
                    cluster="bawaslu" if bawaslu else "kpu",
                    area=area,
                    area_code=code,
                )
            )
            weights.append(weight)

    for _code, handle, name, platforms in off.NATIONAL:
        add(
            handle,
            name,
            "",
            platforms,
            25.0 if handle == "kpu_ri" else 12.0,
            5.0,
            bawaslu=handle.startswith("bawaslu"),
        )
    for code, pname in geo.provinces:
        short = off.PROVINCE_HANDLES[code]
        add(
            f"kpu{short}",
            f"KPU Provinsi {pname}",
            code,
            ("instagram", "facebook", "tiktok"),
            2.0,
            0.5,
        )
    for code, short in off.REGENCY_HANDLES.items():
        reg = geo.by_code[code]
        add(
            f"kpu_{short}",
            f"KPU {reg.name}",
            code,
            ("instagram", "tiktok", "facebook", "x"),
            1.0,
            0.3,
        )
    for code in off.BAWASLU_REGIONAL:
        short = off.PROVINCE_HANDLES.get(code) or off.REGENCY_HANDLES[code]
        area = geo.province_label(code) if "." not in code else geo.by_code[code].name
        add(
            f"bawaslu{short}" if "." not in code else f"bawaslu_{short}",
            f"Bawaslu {area}",
            code,
            ("instagram", "x", "facebook"),
            1.2,
            0.4,
            bawaslu=True,
        )
    cum, t = [], 0.0
    for w in weights:
        t += w
        cum.append(t)
    return out, cum
