import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("harms", "0001_initial"),
        ("taxonomy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="postlabel",
                    name="category",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="taxonomy.harmcategory"),
                ),
            ],
            database_operations=[],
        ),
    ]
