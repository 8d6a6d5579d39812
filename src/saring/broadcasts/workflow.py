"""The broadcast workflow, through the kernel's engine (saring.workflow).

    draft ──schedule──▶ scheduled ──(its time; or "send now")──▶ sending ──▶ done
      │                    │                                     │  ▲
      └──────cancel────────┴──────────────cancel─────────────────┤  │ resume
                                                                 ▼  │
                                                               paused

An analyst of the broadcast's region composes and schedules; the sender moves it to sending
and done as the system; pausing, resuming and cancelling are analysts' too. A paused or killed
run resumes from its deliveries (nothing is sent twice: services.sending).
"""

from __future__ import annotations

from saring.accounts.scope import Scope
from saring.audit.actions import Action
from saring.workflow import Move, Workflow


def _edits(scope: Scope, broadcast) -> bool:
    return scope.edits_record(broadcast, role="analyst")


BROADCAST_WORKFLOW = Workflow(
    name="broadcast",
    state_field="state",
    moves={
        ("draft", "scheduled"): Move(Action.BROADCAST_SCHEDULED),
        ("scheduled", "draft"): Move(Action.BROADCAST_SAVED),
        ("scheduled", "sending"): Move(Action.BROADCAST_STARTED),
        ("draft", "sending"): Move(Action.BROADCAST_STARTED),
        ("sending", "paused"): Move(Action.BROADCAST_PAUSED),
        ("paused", "sending"): Move(Action.BROADCAST_STARTED),
        ("sending", "sending"): Move(Action.BROADCAST_STARTED),  # a resumed run after a kill
        ("sending", "done"): Move(Action.BROADCAST_FINISHED),
        ("draft", "cancelled"): Move(Action.BROADCAST_CANCELLED),
        ("scheduled", "cancelled"): Move(Action.BROADCAST_CANCELLED),
        ("paused", "cancelled"): Move(Action.BROADCAST_CANCELLED),
        ("sending", "cancelled"): Move(Action.BROADCAST_CANCELLED),
    },
    may_act=_edits,
)
