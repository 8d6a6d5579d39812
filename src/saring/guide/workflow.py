"""The two workflows of guide content, through the kernel's engine (saring.workflow).

Revision (one version of the text):

    draft ──submit──▶ submitted ──approve──▶ approved ──(a newer one approved)──▶ superseded
      ▲                 │  │
      └──── unsubmit ───┘  └──return──▶ rejected ──edit──▶ draft

Entry (what the public sees):

    draft ──publish──▶ published ──withdraw──▶ withdrawn ──publish──▶ published

Webhook subscription (services.webhooks): active ⇄ paused (after failures, or resumed), and
off; moved by an operator (a national KPU admin) or the partner organisation's own admin.

An analyst drafts and submits; an admin of the entry's region or a region above it approves,
returns, publishes and withdraws. The two-person rule (the approver is not the author) is the
service's check (services.content.approve), since the author may still pull back a submission.
"""

from __future__ import annotations

from saring.accounts.models import Organisation
from saring.accounts.scope import Scope
from saring.audit.actions import Action
from saring.workflow import Move, Workflow


def _edits_entry(scope: Scope, revision) -> bool:
    return scope.edits_record(revision.entry, role="analyst")


def _edits(scope: Scope, entry) -> bool:
    return scope.edits_record(entry, role="analyst")


REVISION_WORKFLOW = Workflow(
    name="guide revision",
    state_field="state",
    moves={
        ("draft", "submitted"): Move(Action.GUIDE_SUBMITTED),
        ("submitted", "draft"): Move(Action.GUIDE_DRAFTED),
        ("submitted", "approved"): Move(Action.GUIDE_APPROVED, role="admin"),
        ("submitted", "rejected"): Move(Action.GUIDE_RETURNED, role="admin"),
        ("rejected", "draft"): Move(Action.GUIDE_DRAFTED),
        ("approved", "superseded"): Move(Action.GUIDE_SUPERSEDED, role="admin"),
    },
    may_act=_edits_entry,
)

ENTRY_WORKFLOW = Workflow(
    name="guide entry",
    state_field="status",
    moves={
        ("draft", "published"): Move(Action.GUIDE_PUBLISHED, role="admin"),
        ("published", "published"): Move(Action.GUIDE_PUBLISHED, role="admin"),
        ("published", "withdrawn"): Move(Action.GUIDE_WITHDRAWN, role="admin"),
        ("withdrawn", "published"): Move(Action.GUIDE_PUBLISHED, role="admin"),
    },
    may_act=_edits,
)


def is_operator(scope: Scope) -> bool:
    """A national admin of the guide's owner (KPU) or a superuser: manages every subscription."""
    return (
        scope.can("admin")
        and scope.is_national
        and scope.organisation_kind in (None, Organisation.Kind.KPU)
    )


def may_manage(scope: Scope, organisation_id: int | None) -> bool:
    """Subscribe, change, turn off, resume, test: an operator, or the organisation's admin."""
    if is_operator(scope):
        return True
    return (
        scope.can("admin")
        and organisation_id is not None
        and (scope.organisation_id == organisation_id)
    )


SUBSCRIPTION_WORKFLOW = Workflow(
    name="webhook subscription",
    state_field="status",
    moves={
        ("active", "paused"): Move(Action.WEBHOOK_PAUSED, role="admin"),
        ("active", "off"): Move(Action.WEBHOOK_PAUSED, role="admin"),
        ("paused", "off"): Move(Action.WEBHOOK_PAUSED, role="admin"),
        ("paused", "active"): Move(Action.WEBHOOK_RESUMED, role="admin"),
        ("off", "active"): Move(Action.WEBHOOK_RESUMED, role="admin"),
    },
    may_act=lambda scope, subscription: may_manage(scope, subscription.organisation_id),
)
