"""Classifier versions kept their status changes as JSON on the row; the audit trail keeps them
now. Each entry becomes an audit event (oldest first); the next migration drops the column."""

from django.conf import settings
from django.db import migrations

ACTIONS = {
    "ready": "harm_model.ready",
    "failed": "harm_model.failed",
    "active": "harm_model.activated",
    "retired": "harm_model.retired",
}


def history_to_audit(apps, schema_editor):
    from saring.workflow.legacy import OldEntry, append_entries, parse_time

    entries = []
    for model in apps.get_model("harms", "HarmModel").objects.exclude(history=[]).iterator():
        for item in model.history or []:
            to_state = str(item.get("to", ""))
            entries.append(
                OldEntry(
                    at=parse_time(item.get("at")),
                    actor_id=item.get("by"),
                    action=ACTIONS.get(to_state, "harm_model.activated"),
                    subject_type="harms.harmmodel",
                    subject_id=str(model.pk),
                    subject=f"v{model.version} ({to_state})",
                    from_state=str(item.get("from", "")),
                    to_state=to_state,
                    reason=str(item.get("why", "")),
                )
            )
    append_entries(
        apps.get_model("audit", "AuditEvent"),
        apps.get_model(*settings.AUTH_USER_MODEL.split(".")),
        entries,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("harms", "0002_category_in_taxonomy"),
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(history_to_audit, migrations.RunPython.noop)]
