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
