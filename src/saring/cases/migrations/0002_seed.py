from django.db import migrations


def seed(apps, schema_editor):
    from saring.cases.seed import seed as seed_cases

    seed_cases(
        apps.get_model("cases", "LegalBasis"),
        apps.get_model("cases", "DeadlineRule"),
        apps.get_model("cases", "ProposalRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
