"""Match reviews kept who/when/from-what as JSON on the row; the audit trail keeps them now.
Each entry becomes an audit event (oldest first); the next migration drops the column."""

from django.conf import settings
from django.db import migrations


def history_to_audit(apps, schema_editor):
    from saring.workflow.legacy import OldEntry, append_entries, parse_time

    entries = []
    matches = apps.get_model("factcheck", "PostMatch").objects.exclude(history=[])
    for match in matches.iterator():
        for item in match.history or []:
            to_state = str(item.get("to", ""))
            entries.append(
                OldEntry(
                    at=parse_time(item.get("at")),
                    actor_id=item.get("by"),
                    action="match.reviewed",
                    subject_type="factcheck.postmatch",
                    subject_id=str(match.pk),
                    subject=(
                        f"{match.post_id} → {match.clarification_id} "
                        f"({to_state}, {match.score:.2f})"
                    ),
                    from_state=str(item.get("from", "")),
                    to_state=to_state,
                )
            )
    append_entries(
        apps.get_model("audit", "AuditEvent"),
        apps.get_model(*settings.AUTH_USER_MODEL.split(".")),
        entries,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0005_passagevector"),
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(history_to_audit, migrations.RunPython.noop)]
