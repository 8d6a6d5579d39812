"""The place names people write that official names do not cover, for ``places``.

* ``AMBIGUOUS_NAMES``: regency names (without Kabupaten/Kota) that are also everyday words or
  person names; a post must give evidence before they count (see ``places``).
* ``PROVINCE_ALIASES``: alias -> official province name, lower-case (Jabar -> jawa barat).
* ``REGENCY_ALIASES``: alias -> (regency name without Kabupaten/Kota, kind) (Jaksel, Solo, Sby).

Aliases resolve by name when the gazetteer is built, so a change of codes in the ``lokal`` data
needs no change here.
"""

from __future__ import annotations

# Regency names (without Kabupaten/Kota) that are also everyday words or person names.
# fmt: off
AMBIGUOUS_NAMES = frozenset({
    "malang", "serang", "batu", "kudus", "pati", "agam", "bone", "buru", "banjar", "ende", "alor",
    "muna", "karo", "siak", "solok", "lebak", "demak", "kuningan", "tanah datar", "lima puluh kota",
    "batang", "padang", "medan", "palu", "landak", "puncak", "metro", "badung", "bima", "sabang",
    "lahat", "tegal", "malaka", "ketapang", "lingga", "seribu", "murung raya", "empat lawang",
    "pagar alam", "pulang pisau", "gunung mas", "tanah laut", "tanah bumbu", "pesisir barat",
    "pesisir selatan", "kota baru", "solo", "aru", "sula", "bungo", "intan jaya", "sigi",
})
# fmt: on

# fmt: off
PROVINCE_ALIASES: dict[str, str] = {
    "nad": "aceh", "nanggroe aceh darussalam": "aceh",
    "sumut": "sumatera utara", "sumatra utara": "sumatera utara",
    "sumbar": "sumatera barat", "sumatra barat": "sumatera barat",
    "sumsel": "sumatera selatan", "sumatra selatan": "sumatera selatan",
    "babel": "kepulauan bangka belitung", "bangka belitung": "kepulauan bangka belitung",
    "kepri": "kepulauan riau",
    "dki": "daerah khusus ibukota jakarta", "dki jakarta": "daerah khusus ibukota jakarta",
    "jakarta": "daerah khusus ibukota jakarta", "jkt": "daerah khusus ibukota jakarta",
    "jabar": "jawa barat", "jateng": "jawa tengah", "jatim": "jawa timur",
    "madura": "jawa timur",
    "diy": "daerah istimewa yogyakarta", "jogja": "daerah istimewa yogyakarta",
    "yogya": "daerah istimewa yogyakarta", "jogjakarta": "daerah istimewa yogyakarta",
    "yogyakarta": "daerah istimewa yogyakarta", "jogya": "daerah istimewa yogyakarta",
    "ntb": "nusa tenggara barat", "lombok": "nusa tenggara barat",
    "ntt": "nusa tenggara timur", "flores": "nusa tenggara timur",
    "sumba": "nusa tenggara timur",
    "kalbar": "kalimantan barat", "kalteng": "kalimantan tengah",
    "kalsel": "kalimantan selatan", "kaltim": "kalimantan timur", "kaltara": "kalimantan utara",
    "ikn": "kalimantan timur", "ibu kota nusantara": "kalimantan timur",
    "sulut": "sulawesi utara", "sulteng": "sulawesi tengah", "sulsel": "sulawesi selatan",
    "sultra": "sulawesi tenggara", "sulbar": "sulawesi barat",
    "malut": "maluku utara", "pabar": "papua barat", "papsel": "papua selatan",
    "papteng": "papua tengah", "papeg": "papua pegunungan", "pbd": "papua barat daya",
}
# fmt: on

# alias -> the regency name without Kabupaten/Kota, with the kind when the name is shared.
# fmt: off
REGENCY_ALIASES: dict[str, tuple[str, str]] = {
    "jakpus": ("jakarta pusat", "kota"), "jakut": ("jakarta utara", "kota"),
    "jakbar": ("jakarta barat", "kota"), "jaksel": ("jakarta selatan", "kota"),
    "jaktim": ("jakarta timur", "kota"), "tangsel": ("tangerang selatan", "kota"),
    "solo": ("surakarta", "kota"), "sby": ("surabaya", "kota"), "bdg": ("bandung", "kota"),
    "smg": ("semarang", "kota"), "mks": ("makassar", "kota"), "makasar": ("makassar", "kota"),
    "mdn": ("medan", "kota"), "plg": ("palembang", "kota"), "bpp": ("balikpapan", "kota"),
    "madina": ("mandailing natal", "kabupaten"), "sitaro": ("siau tagulandang biaro", "kabupaten"),
    "pangkep": ("pangkajene dan kepulauan", "kabupaten"),
    "sidrap": ("sidenreng rappang", "kabupaten"), "kukar": ("kutai kartanegara", "kabupaten"),
    "kutim": ("kutai timur", "kabupaten"), "kubar": ("kutai barat", "kabupaten"),
    "ppu": ("penajam paser utara", "kabupaten"), "kotim": ("kotawaringin timur", "kabupaten"),
    "kobar": ("kotawaringin barat", "kabupaten"), "bolmong": ("bolaang mongondow", "kabupaten"),
    "lobar": ("lombok barat", "kabupaten"), "loteng": ("lombok tengah", "kabupaten"),
    "lotim": ("lombok timur", "kabupaten"), "jogja kota": ("yogyakarta", "kota"),
}
# fmt: on
