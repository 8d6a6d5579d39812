"""The 2024 calendar: Pemilu 2024 and the simultaneous Pilkada 2024 (round, 37 governor races,
508 regent/mayor races). Existing posts are not restaged here (there may be millions): run
`saring posts restage` after migrating a database that already holds posts."""

from datetime import date

from django.db import migrations

PEMILU_ID = "pemilu.2024-02-14"
ROUND_ID = "pilkada.2024-11-27"

PEMILU_STAGES = [
    ("campaign", date(2023, 11, 28), date(2024, 2, 10)),
    ("quiet", date(2024, 2, 11), date(2024, 2, 13)),
    ("voting", date(2024, 2, 14), date(2024, 2, 14)),
    ("counting", date(2024, 2, 14), date(2024, 2, 15)),
    ("recapitulation", date(2024, 2, 15), date(2024, 3, 20)),
]
PILKADA_STAGES = [
    ("campaign", date(2024, 9, 25), date(2024, 11, 23)),
    ("quiet", date(2024, 11, 24), date(2024, 11, 26)),
    ("voting", date(2024, 11, 27), date(2024, 11, 27)),
    ("counting", date(2024, 11, 27), date(2024, 11, 28)),
    ("recapitulation", date(2024, 11, 28), date(2024, 12, 16)),
]
PEMILU_BASIS = "PKPU 3/2022 sebagaimana telah diubah; kampanye: PKPU 15/2023"
PILKADA_BASIS = "PKPU 2/2024; kampanye: PKPU 13/2024"
PILKADA_DAY = date(2024, 11, 27)

# DIY's governor is not elected (UU 13/2012); Jakarta's five cities and one regency are
# administrative, with appointed heads (UU 2/2024), so Jakarta votes only for its governor.
NO_GOVERNOR_RACE = {"34"}
NO_REGENCY_RACES = {"31"}
EXPECTED_PROVINCE_RACES = 37
EXPECTED_REGENCY_RACES = 508


def load(apps, schema_editor):
    Election = apps.get_model("elections", "Election")
    Stage = apps.get_model("elections", "Stage")
    Province = apps.get_model("regions", "Province")
    Regency = apps.get_model("regions", "Regency")

    provinces = list(Province.objects.exclude(code__in=NO_GOVERNOR_RACE).order_by("code"))
    regencies = list(Regency.objects.exclude(province_id__in=NO_REGENCY_RACES).order_by("code"))
    assert len(provinces) == EXPECTED_PROVINCE_RACES, len(provinces)
    assert len(regencies) == EXPECTED_REGENCY_RACES, len(regencies)

    pemilu = Election(
        id=PEMILU_ID,
        kind="pemilu",
        name="Pemilu 2024",
        voting_day=date(2024, 2, 14),
        legal_basis=PEMILU_BASIS,
    )
    pilkada_round = Election(
        id=ROUND_ID,
        kind="pilkada",
        name="Pilkada 2024",
        voting_day=PILKADA_DAY,
        legal_basis=PILKADA_BASIS,
    )
    children = [
        Election(
            id=f"pilkada.{p.code}.2024-11-27",
            kind="pilkada",
            name=f"Pilgub 2024 {p.name}",
            voting_day=PILKADA_DAY,
            province_id=p.code,
            parent_id=ROUND_ID,
            legal_basis=PILKADA_BASIS,
        )
        for p in provinces
    ] + [
        Election(
            id=f"pilkada.{r.code.replace('.', '')}.2024-11-27",
            kind="pilkada",
            name=f"Pilkada 2024 {r.name}",
            voting_day=PILKADA_DAY,
            province_id=r.province_id,
            regency_id=r.code,
            parent_id=ROUND_ID,
            legal_basis=PILKADA_BASIS,
        )
        for r in regencies
    ]
    Election.objects.bulk_create([pemilu, pilkada_round])
    Election.objects.bulk_create(children, batch_size=500)

    stages = [
        Stage(election_id=PEMILU_ID, kind=k, starts_on=s, ends_on=e) for k, s, e in PEMILU_STAGES
    ]
    for election in [pilkada_round, *children]:
        stages.extend(
            Stage(election_id=election.id, kind=k, starts_on=s, ends_on=e)
            for k, s, e in PILKADA_STAGES
        )
    Stage.objects.bulk_create(stages, batch_size=500)


def unload(apps, schema_editor):
    Election = apps.get_model("elections", "Election")
    Stage = apps.get_model("elections", "Stage")
    ids = [PEMILU_ID, ROUND_ID]
    Stage.objects.filter(election__parent_id=ROUND_ID).delete()
    Stage.objects.filter(election_id__in=ids).delete()
    Election.objects.filter(parent_id=ROUND_ID).delete()
    Election.objects.filter(id__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0001_initial"),
        ("regions", "0002_load_official_regions"),
    ]
    operations = [migrations.RunPython(load, unload)]
