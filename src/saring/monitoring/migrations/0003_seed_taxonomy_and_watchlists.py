from django.db import migrations


def seed(apps, schema_editor):
    from saring.monitoring.seed import seed_taxonomy_and_watchlists

    seed_taxonomy_and_watchlists(apps.get_model("monitoring", "HarmCategory"),
                                 apps.get_model("monitoring", "Watchlist"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_full_text_search")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
