"""The starting harm taxonomy and national watchlists, installed by migration 0003.

Admins edit both afterwards; the migration only adds what is missing.
"""

from __future__ import annotations

from typing import Any

# code, Indonesian name, English name, Indonesian definition, English definition
HARM_CATEGORIES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "hate_speech",
        "Ujaran kebencian",
        "Hate speech",
        "Menyerang atau merendahkan orang atau kelompok karena agama, suku, ras, gender, "
        "disabilitas atau golongan.",
        "Attacks or demeans people or groups for their religion, ethnicity, race, gender, "
        "disability or group.",
    ),
    (
        "sara",
        "SARA",
        "SARA (ethnicity, religion, race, inter-group)",
        "Menggunakan suku, agama, ras dan antargolongan untuk memecah belah atau menyerang peserta "
        "atau pemilih.",
        "Uses ethnicity, religion, race or inter-group identity to divide or attack candidates or "
        "voters.",
    ),
    (
        "abusive",
        "Bahasa kasar",
        "Abusive language",
        "Kata-kata kasar, makian atau hinaan, dengan atau tanpa sasaran tertentu.",
        "Profanity, insults or slurs, aimed at someone or not.",
    ),
    (
        "hoax",
        "Hoaks / disinformasi",
        "Hoax / disinformation",
        "Informasi palsu atau menyesatkan tentang pemilu yang disebarkan sebagai fakta.",
        "False or misleading information about the election spread as fact.",
    ),
    (
        "slander",
        "Fitnah",
        "Slander",
        "Tuduhan tanpa dasar yang merusak nama baik orang, peserta atau penyelenggara.",
        "Unfounded accusations that damage the reputation of a person, candidate or organiser.",
    ),
    (
        "black_campaign",
        "Kampanye hitam",
        "Black campaign",
        "Serangan terhadap peserta pemilu dengan tuduhan palsu atau isu pribadi untuk menjatuhkan.",
        "Attacks on candidates with false accusations or personal smears to bring them down.",
    ),
    (
        "money_politics",
        "Politik uang",
        "Money politics",
        "Menjanjikan atau memberi uang atau barang untuk memengaruhi pilihan (serangan fajar).",
        "Promising or giving money or goods to influence a vote ('dawn attack').",
    ),
    (
        "attack_organisers",
        "Serangan terhadap penyelenggara",
        "Attacks on election organisers",
        "Merendahkan, mengancam atau mendelegitimasi KPU, Bawaslu, PPK, PPS, KPPS dan petugasnya.",
        "Demeaning, threatening or delegitimising KPU, Bawaslu, PPK, PPS, KPPS and their staff.",
    ),
    (
        "wrong_procedure",
        "Informasi tata cara memilih yang salah",
        "Wrong voting-procedure information",
        "Informasi keliru tentang kapan, di mana atau bagaimana memilih, termasuk ajakan golput.",
        "Wrong information on when, where or how to vote, including calls to abstain.",
    ),
    (
        "violence",
        "Hasutan kekerasan",
        "Incitement to violence",
        "Ajakan atau ancaman kekerasan terhadap orang, kelompok, petugas atau fasilitas pemilu.",
        "Calls for or threats of violence against people, groups, officers or election facilities.",
    ),
)

WATCHLIST_NAMES = {
    "hate_speech": "Ujaran kebencian (nasional)",
    "sara": "SARA (nasional)",
    "money_politics": "Politik uang (nasional)",
    "black_campaign": "Kampanye hitam (nasional)",
    "attack_organisers": "Serangan terhadap penyelenggara (nasional)",
    "wrong_procedure": "Tata cara memilih yang salah (nasional)",
    "violence": "Hasutan kekerasan (nasional)",
}


def seed_taxonomy_and_watchlists(category_model: Any, watchlist_model: Any) -> None:
    from saring.text.watchlist import DEFAULT_WATCHLISTS

    categories = {}
    for order, (code, name_id, name_en, def_id, def_en) in enumerate(HARM_CATEGORIES):
        categories[code], _ = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name_id": name_id,
                "name_en": name_en,
                "definition_id": def_id,
                "definition_en": def_en,
                "order": order,
            },
        )
    for code, terms in DEFAULT_WATCHLISTS.items():
        if code not in categories:
            continue
        watchlist_model.objects.get_or_create(
            name=WATCHLIST_NAMES.get(code, code),
            province=None,
            regency=None,
            defaults={
                "category": categories[code],
                "terms": "\n".join(terms),
                "notes": "Daftar awal dari Saring; sesuaikan dengan isu di wilayah Anda.",
            },
        )


# The details of hate speech (Ibrohim & Budi 2019's scheme): its target, whether an individual or
# a group is aimed at, and how strong it is. Multi-label: a post can carry several.
# code, facet, Indonesian name, English name, Indonesian definition, English definition
HATE_SPEECH_DETAILS: tuple[tuple[str, str, str, str, str, str], ...] = (
    (
        "hs_religion",
        "target",
        "Sasaran: agama",
        "Target: religion",
        "Ujaran kebencian terhadap agama, kepercayaan atau pemeluknya.",
        "Hate speech against a religion, a belief or its followers.",
    ),
    (
        "hs_race",
        "target",
        "Sasaran: suku/ras",
        "Target: ethnicity/race",
        "Ujaran kebencian terhadap suku, ras atau etnis.",
        "Hate speech against an ethnicity or race.",
    ),
    (
        "hs_gender",
        "target",
        "Sasaran: gender",
        "Target: gender",
        "Ujaran kebencian terhadap jenis kelamin, gender atau orientasi seksual.",
        "Hate speech against a sex, gender or sexual orientation.",
    ),
    (
        "hs_physical",
        "target",
        "Sasaran: fisik/disabilitas",
        "Target: physical/disability",
        "Ujaran kebencian terhadap kondisi fisik atau disabilitas.",
        "Hate speech against physical features or disability.",
    ),
    (
        "hs_other",
        "target",
        "Sasaran: golongan lain",
        "Target: other group",
        "Ujaran kebencian terhadap golongan lain (misalnya pilihan politik atau profesi).",
        "Hate speech against another group (e.g. political affiliation or profession).",
    ),
    (
        "hs_individual",
        "scope",
        "Ditujukan ke individu",
        "Aimed at an individual",
        "Ujaran kebencian yang menyasar satu orang.",
        "Hate speech aimed at one person.",
    ),
    (
        "hs_group",
        "scope",
        "Ditujukan ke kelompok",
        "Aimed at a group",
        "Ujaran kebencian yang menyasar kelompok.",
        "Hate speech aimed at a group.",
    ),
    (
        "hs_weak",
        "strength",
        "Kekuatan: lemah",
        "Strength: weak",
        "Menyinggung atau mengejek tanpa hasutan.",
        "Offends or mocks without incitement.",
    ),
    (
        "hs_moderate",
        "strength",
        "Kekuatan: sedang",
        "Strength: moderate",
        "Merendahkan atau menghina kelompok secara terbuka.",
        "Openly demeans or insults a group.",
    ),
    (
        "hs_strong",
        "strength",
        "Kekuatan: kuat",
        "Strength: strong",
        "Menghasut kebencian, diskriminasi atau kekerasan.",
        "Incites hatred, discrimination or violence.",
    ),
)

# Column names a training or evaluation CSV may use for each category (case-insensitive).
COLUMNS = {
    "hate_speech": ["HS", "hate_speech"],
    "abusive": ["Abusive", "abusive"],
    "hs_religion": ["HS_Religion"],
    "hs_race": ["HS_Race"],
    "hs_gender": ["HS_Gender"],
    "hs_physical": ["HS_Physical"],
    "hs_other": ["HS_Other"],
    "hs_individual": ["HS_Individual"],
    "hs_group": ["HS_Group"],
    "hs_weak": ["HS_Weak"],
    "hs_moderate": ["HS_Moderate"],
    "hs_strong": ["HS_Strong"],
    "slander": ["slander", "fitnah"],
}


def seed_hate_speech_details(category_model: Any) -> None:
    """Add the hate-speech details under `hate_speech` and every category's CSV columns."""
    parent = category_model.objects.filter(code="hate_speech").first()
    start = category_model.objects.count()
    for i, (code, facet, name_id, name_en, def_id, def_en) in enumerate(HATE_SPEECH_DETAILS):
        category_model.objects.get_or_create(
            code=code,
            defaults={
                "parent": parent,
                "facet": facet,
                "name_id": name_id,
                "name_en": name_en,
                "definition_id": def_id,
                "definition_en": def_en,
                "order": start + i,
            },
        )
    for category in category_model.objects.all():
        if not category.columns:
            category.columns = COLUMNS.get(category.code, [category.code])
            category.save(update_fields=["columns"])
