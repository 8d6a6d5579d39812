# HarmCategory now lives in saring.taxonomy (same table); monitoring's foreign keys follow it.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_quarantine_reason_detail"),
        ("taxonomy", "0001_initial"),
        ("harms", "0002_category_in_taxonomy"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="watchlist",
                    name="category",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="watchlists", to="taxonomy.harmcategory", verbose_name="category"),
                ),
                migrations.AlterField(
                    model_name="postflag",
                    name="category",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="taxonomy.harmcategory"),
                ),
                migrations.DeleteModel(name="HarmCategory"),
            ],
            database_operations=[],
        ),
    ]
