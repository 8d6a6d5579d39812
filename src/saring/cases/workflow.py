"""The case workflow: one transition table through the kernel's engine (saring.workflow).

    draft ──accept──▶ received ──triage──▶ triaged ──escalate──▶ escalated ──answer──▶ answered
                        │  ▲                  │                      │                    │
                        ▼  │                  ▼                      ▼                    ▼
                     rejected ◀──────────── rejected              closed ◀─────────── closed
    merged: any open state, when an officer merges the case into another (reversible: split).
    reopened: from closed or rejected; then triaged, rejected or closed again.
    appealed: from answered or closed, when the reporter or officer disputes the platform's
    decision; then escalated again, or closed.

Every move needs an analyst of the handling office (queryset rules: `handler` and the region),
except `answered`, which the platform liaison's decision makes (services.decisions passes the
system scope after checking the liaison's organisation).
"""

from __future__ import annotations

from saring.accounts.scope import Scope
from saring.audit.actions import Action
from saring.cases.querysets import handler, in_region
from saring.workflow import Move, Workflow

OPEN_STATES = ("received", "triaged", "escalated", "answered", "reopened", "appealed")


def _handles(scope: Scope, case) -> bool:
    return handler(scope) and in_region(scope, case.province_id, case.regency_id)


def _moves() -> dict[tuple[str, str], Move]:
    moves = {
        ("draft", "received"): Move(Action.CASE_ACCEPTED),
        ("draft", "rejected"): Move(Action.CASE_REJECTED),
        ("received", "triaged"): Move(Action.CASE_TRIAGED),
        ("received", "rejected"): Move(Action.CASE_REJECTED),
        ("triaged", "triaged"): Move(Action.CASE_TRIAGED),
        ("triaged", "escalated"): Move(Action.CASE_ESCALATED),
        ("triaged", "rejected"): Move(Action.CASE_REJECTED),
        ("triaged", "closed"): Move(Action.CASE_CLOSED),
        ("escalated", "escalated"): Move(Action.CASE_ESCALATED),
        ("escalated", "answered"): Move(Action.CASE_ANSWERED),
        ("escalated", "closed"): Move(Action.CASE_CLOSED),
        ("answered", "closed"): Move(Action.CASE_CLOSED),
        ("answered", "appealed"): Move(Action.CASE_APPEALED),
        ("answered", "escalated"): Move(Action.CASE_ESCALATED),
        ("closed", "reopened"): Move(Action.CASE_REOPENED),
        ("closed", "appealed"): Move(Action.CASE_APPEALED),
        ("rejected", "reopened"): Move(Action.CASE_REOPENED),
        ("reopened", "triaged"): Move(Action.CASE_TRIAGED),
        ("reopened", "rejected"): Move(Action.CASE_REJECTED),
        ("reopened", "closed"): Move(Action.CASE_CLOSED),
        ("appealed", "escalated"): Move(Action.CASE_ESCALATED),
        ("appealed", "closed"): Move(Action.CASE_CLOSED),
        ("appealed", "answered"): Move(Action.CASE_ANSWERED),
        ("merged", "received"): Move(Action.CASE_UNMERGED),
    }
    for state in ("draft", *OPEN_STATES):
        moves[(state, "merged")] = Move(Action.CASE_MERGED)
    return moves


CASE_WORKFLOW = Workflow(name="case", state_field="state", moves=_moves(), may_act=_handles)
