# HarmCategory moves from monitoring to the kernel's taxonomy app. The table keeps its name
# (monitoring_harmcategory), so only Django's model state moves: no data is touched.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("monitoring", "0005_quarantine_reason_detail"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HarmCategory",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.SlugField(max_length=40, unique=True, verbose_name="code")),
                        ("name_id", models.CharField(max_length=100, verbose_name="name (Indonesian)")),
                        ("name_en", models.CharField(max_length=100, verbose_name="name (English)")),
                        ("definition_id", models.TextField(blank=True, verbose_name="definition (Indonesian)")),
                        ("definition_en", models.TextField(blank=True, verbose_name="definition (English)")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("facet", models.CharField(blank=True, choices=[("target", "target"), ("scope", "individual or group"), ("strength", "strength")], max_length=10, verbose_name="facet")),
                        ("columns", models.JSONField(blank=True, default=list, help_text="Column names of this label in training or evaluation CSV files.", verbose_name="CSV column names")),
                        ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="details", to="taxonomy.harmcategory", verbose_name="detail of")),
                    ],
                    options={
                        "verbose_name": "harm category",
                        "verbose_name_plural": "harm categories",
                        "ordering": ["order", "code"],
                        "db_table": "monitoring_harmcategory",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
