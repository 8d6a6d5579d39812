"""The legal bases, deadline rules and proposal levels a new installation starts with.

Data, not code: admins edit them in the Django admin. Citations name the article; summaries are
short and plain, for an officer choosing a basis, not legal advice. Check the statute before
relying on a number (docs/decisions/0014-case-model.md).
"""

from __future__ import annotations

# (code, kind, citation, summary_id, summary_en, platform, categories, url)
LEGAL_BASES: list[tuple[str, str, str, str, str, str, list[str], str]] = [
    (
        "uu7-2017-280-1c",
        "statute",
        "UU 7/2017 Pasal 280 ayat (1) huruf c",
        "Pelaksana, peserta dan tim kampanye dilarang menghina seseorang, agama, suku, ras, "
        "golongan, calon dan/atau peserta pemilu lain.",
        "Campaigners may not insult a person, religion, ethnicity, race, group, candidate or "
        "another election participant.",
        "",
        ["hate_speech", "sara", "abusive", "slander", "black_campaign"],
        "https://peraturan.bpk.go.id/Details/37644/uu-no-7-tahun-2017",
    ),
    (
        "uu7-2017-280-1d",
        "statute",
        "UU 7/2017 Pasal 280 ayat (1) huruf d",
        "Dilarang menghasut dan mengadu domba perseorangan ataupun masyarakat.",
        "Campaigners may not incite or pit individuals or communities against each other.",
        "",
        ["hate_speech", "sara", "violence", "black_campaign"],
        "https://peraturan.bpk.go.id/Details/37644/uu-no-7-tahun-2017",
    ),
    (
        "uu7-2017-280-1f",
        "statute",
        "UU 7/2017 Pasal 280 ayat (1) huruf f",
        "Dilarang mengancam untuk melakukan kekerasan atau menganjurkan penggunaan kekerasan.",
        "Campaigners may not threaten violence or advocate its use.",
        "",
        ["violence"],
        "https://peraturan.bpk.go.id/Details/37644/uu-no-7-tahun-2017",
    ),
    (
        "uu7-2017-280-1j",
        "statute",
        "UU 7/2017 Pasal 280 ayat (1) huruf j",
        "Dilarang menjanjikan atau memberikan uang atau materi lainnya kepada peserta kampanye "
        "(politik uang).",
        "Campaigners may not promise or give money or other material to voters (money politics).",
        "",
        ["money_politics"],
        "https://peraturan.bpk.go.id/Details/37644/uu-no-7-tahun-2017",
    ),
    (
        "uu7-2017-492",
        "statute",
        "UU 7/2017 Pasal 492",
        "Pidana bagi yang dengan sengaja berkampanye di luar jadwal yang ditetapkan KPU, "
        "termasuk pada masa tenang.",
        "An election crime: deliberately campaigning outside the schedule set by the KPU, the "
        "quiet period included.",
        "",
        ["quiet_period"],
        "https://peraturan.bpk.go.id/Details/37644/uu-no-7-tahun-2017",
    ),
    (
        "uu7-2017-521",
        "statute",
        "UU 7/2017 Pasal 521",
        "Pidana bagi pelaksana, peserta dan tim kampanye yang melanggar larangan Pasal 280 "
        "ayat (1).",
        "An election crime: campaigners breaking the prohibitions of Article 280(1).",
        "",
        ["hate_speech", "sara", "slander", "black_campaign", "violence", "money_politics"],
        "https://peraturan.bpk.go.id/Details/37644/uu-no-7-tahun-2017",
    ),
    (
        "uu10-2016-69",
        "statute",
        "UU 10/2016 (jo. UU 1/2015) Pasal 69",
        "Dalam kampanye Pilkada dilarang menghina seseorang, agama, suku, ras, golongan, calon; "
        "melakukan kampanye berupa menghasut, memfitnah, mengadu domba; dan menggunakan "
        "kekerasan atau ancaman kekerasan.",
        "Pilkada campaigns may not insult a person, religion, ethnicity, race, group or "
        "candidate; incite, slander or pit people against each other; or use or threaten "
        "violence.",
        "",
        ["hate_speech", "sara", "slander", "black_campaign", "violence", "abusive"],
        "https://peraturan.bpk.go.id/Details/37756/uu-no-10-tahun-2016",
    ),
    (
        "uu10-2016-73",
        "statute",
        "UU 10/2016 Pasal 73",
        "Calon dan/atau tim kampanye dilarang menjanjikan dan/atau memberikan uang atau materi "
        "lainnya untuk memengaruhi pemilih (politik uang Pilkada).",
        "Candidates and campaign teams may not promise or give money or material to influence "
        "voters (Pilkada money politics).",
        "",
        ["money_politics"],
        "https://peraturan.bpk.go.id/Details/37756/uu-no-10-tahun-2016",
    ),
    (
        "pkpu15-2023-37",
        "regulation",
        "PKPU 15/2023 Pasal 37 (jo. PKPU 20/2023)",
        "Akun media sosial kampanye didaftarkan ke KPU, paling banyak 20 akun per platform, dan "
        "ditutup pada hari terakhir kampanye.",
        "Campaign social-media accounts are registered with the KPU, at most 20 per platform, "
        "and closed on the campaign's last day.",
        "",
        ["quiet_period", "impersonation"],
        "https://jdih.kpu.go.id/",
    ),
    (
        "pkpu15-2023-masa-tenang",
        "regulation",
        "PKPU 15/2023 (masa tenang)",
        "Pada masa tenang tidak boleh ada kegiatan kampanye, termasuk melalui media sosial.",
        "No campaigning during the quiet period, on social media included.",
        "",
        ["quiet_period"],
        "https://jdih.kpu.go.id/",
    ),
    (
        "uu1-2024-27a",
        "statute",
        "UU ITE (UU 1/2024) Pasal 27A",
        "Menyerang kehormatan atau nama baik orang lain dengan menuduhkan suatu hal melalui "
        "sistem elektronik.",
        "Attacking someone's honour or good name by an accusation made electronically.",
        "",
        ["slander", "black_campaign"],
        "https://peraturan.bpk.go.id/Details/274494/uu-no-1-tahun-2024",
    ),
    (
        "uu1-2024-28-2",
        "statute",
        "UU ITE (UU 1/2024) Pasal 28 ayat (2)",
        "Menyebarkan informasi yang menghasut atau menimbulkan kebencian atau permusuhan "
        "berdasarkan ras, kebangsaan, etnis, warna kulit, agama, kepercayaan, jenis kelamin "
        "atau disabilitas.",
        "Spreading information that incites hatred or hostility on grounds of race, "
        "nationality, ethnicity, colour, religion, belief, sex or disability.",
        "",
        ["hate_speech", "sara"],
        "https://peraturan.bpk.go.id/Details/274494/uu-no-1-tahun-2024",
    ),
    (
        "uu1-2024-28-3",
        "statute",
        "UU ITE (UU 1/2024) Pasal 28 ayat (3)",
        "Menyebarkan pemberitahuan bohong yang menimbulkan kerusuhan di masyarakat.",
        "Spreading false news that causes unrest in society.",
        "",
        ["hoax", "wrong_procedure", "attack_organisers"],
        "https://peraturan.bpk.go.id/Details/274494/uu-no-1-tahun-2024",
    ),
    (
        "uu27-2022-65",
        "statute",
        "UU 27/2022 (PDP) Pasal 65",
        "Dilarang memperoleh, mengungkapkan atau menggunakan data pribadi yang bukan miliknya "
        "secara melawan hukum (doxing).",
        "Unlawfully obtaining, disclosing or using someone else's personal data (doxing).",
        "",
        ["other"],
        "https://peraturan.bpk.go.id/Details/229798/uu-no-27-tahun-2022",
    ),
    (
        "perbawaslu7-2022",
        "regulation",
        "Perbawaslu 7/2022 (penanganan temuan dan laporan)",
        "Tata cara Bawaslu menerima, mengkaji dan menindaklanjuti temuan dan laporan pelanggaran "
        "pemilu.",
        "How Bawaslu receives, examines and follows up findings and reports of election "
        "violations.",
        "",
        [],
        "https://jdih.bawaslu.go.id/",
    ),
    (
        "tiktok-election-integrity",
        "platform",
        "TikTok Community Guidelines: Civic and Election Integrity",
        "Larangan misinformasi tentang pemilu (cara, waktu, tempat memilih) dan ajakan "
        "mengganggu proses pemilu.",
        "No election misinformation (how, when, where to vote) or calls to disrupt the process.",
        "tiktok",
        ["hoax", "wrong_procedure", "attack_organisers"],
        "https://www.tiktok.com/community-guidelines/en/integrity-authenticity",
    ),
    (
        "tiktok-hate",
        "platform",
        "TikTok Community Guidelines: Hate Speech and Hateful Behaviors",
        "Larangan ujaran kebencian terhadap kelompok yang dilindungi.",
        "No hate speech against protected groups.",
        "tiktok",
        ["hate_speech", "sara"],
        "https://www.tiktok.com/community-guidelines/en/safety-civility",
    ),
    (
        "tiktok-impersonation",
        "platform",
        "TikTok Community Guidelines: Impersonation",
        "Larangan akun yang meniru orang atau lembaga untuk menipu.",
        "No accounts pretending to be a person or body to deceive.",
        "tiktok",
        ["impersonation"],
        "https://www.tiktok.com/community-guidelines/en/integrity-authenticity",
    ),
    (
        "meta-voter-interference",
        "platform",
        "Meta Community Standards: Coordinating Harm (voter interference)",
        "Larangan informasi keliru tentang tanggal, tempat, cara dan syarat memilih.",
        "No misrepresentation of the dates, places, methods or eligibility for voting.",
        "meta",
        ["wrong_procedure", "hoax"],
        "https://transparency.meta.com/policies/community-standards/",
    ),
    (
        "meta-hateful-conduct",
        "platform",
        "Meta Community Standards: Hateful Conduct",
        "Larangan serangan langsung terhadap orang berdasarkan karakteristik yang dilindungi.",
        "No direct attacks on people based on protected characteristics.",
        "meta",
        ["hate_speech", "sara"],
        "https://transparency.meta.com/policies/community-standards/",
    ),
    (
        "youtube-elections",
        "platform",
        "YouTube: Elections misinformation policies",
        "Larangan konten yang menyesatkan pemilih tentang waktu, tempat, cara atau syarat memilih.",
        "No content misleading voters about the time, place, means or eligibility to vote.",
        "youtube",
        ["wrong_procedure", "hoax"],
        "https://support.google.com/youtube/answer/10835034",
    ),
    (
        "x-civic-integrity",
        "platform",
        "X Rules: Civic integrity policy",
        "Larangan memanipulasi atau mengganggu proses pemilu melalui X.",
        "No manipulating or interfering in elections or other civic processes on X.",
        "x",
        ["wrong_procedure", "hoax", "attack_organisers"],
        "https://help.x.com/en/rules-and-policies/election-integrity-policy",
    ),
    (
        "x-impersonation",
        "platform",
        "X Rules: Misleading and deceptive identities",
        "Larangan meniru orang, kelompok atau lembaga untuk menyesatkan.",
        "No impersonating people, groups or organisations to mislead.",
        "x",
        ["impersonation"],
        "https://help.x.com/en/rules-and-policies/x-impersonation-and-deceptive-identities-policy",
    ),
]

# (regime, step, amount, unit, source)
DEADLINE_RULES: list[tuple[str, str, int, str, str]] = [
    (
        "pemilu",
        "report",
        7,
        "working_days",
        "UU 7/2017 Pasal 454 ayat (6); hari kerja menurut Perbawaslu 7/2022 Pasal 1",
    ),
    ("pemilu", "follow_up", 7, "working_days", "UU 7/2017 Pasal 454 ayat (7)"),
    (
        "pemilu",
        "extension",
        7,
        "working_days",
        "UU 7/2017 Pasal 454 ayat (8) (paling lama 14 hari)",
    ),
    ("pilkada", "report", 7, "days", "UU 1/2015 Pasal 134 ayat (4) jo. UU 10/2016"),
    ("pilkada", "follow_up", 3, "days", "UU 1/2015 Pasal 134 ayat (5) jo. UU 10/2016"),
    ("pilkada", "extension", 2, "days", "UU 1/2015 Pasal 134 ayat (6) jo. UU 10/2016"),
    (
        "takedown",
        "takedown",
        4,
        "hours",
        "Permenkominfo 5/2020 Pasal 14 ayat (3) (permintaan mendesak)",
    ),
]

PROPOSAL_RULES: list[tuple[str, bool, float]] = [
    ("false_match", True, 0.9),
    ("harm_score", True, 0.95),
    ("quiet_period", True, 0.0),
    ("impostor", True, 0.0),
]


def seed(legal_basis, deadline_rule, proposal_rule) -> None:
    """Create what is missing; never overwrite what an admin changed (migrations pass the
    historical models)."""
    for order, (code, kind, citation, sid, sen, platform, cats, url) in enumerate(LEGAL_BASES):
        legal_basis.objects.get_or_create(
            code=code,
            defaults={
                "kind": kind,
                "citation": citation,
                "summary_id": sid,
                "summary_en": sen,
                "platform": platform,
                "categories": cats,
                "url": url,
                "order": order,
            },
        )
    for regime, step, amount, unit, source in DEADLINE_RULES:
        deadline_rule.objects.get_or_create(
            regime=regime, step=step, defaults={"amount": amount, "unit": unit, "source": source}
        )
    for signal, active, level in PROPOSAL_RULES:
        proposal_rule.objects.get_or_create(
            signal=signal, defaults={"is_active": active, "level": level}
        )
