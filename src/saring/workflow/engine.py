"""Transition tables and `transition()`, after django-oscar's `set_status` pipeline."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record


class TransitionError(Exception):
    """A move the workflow's table does not have (e.g. a failed model cannot become active)."""

    def __init__(self, message: str, *, from_state: str, to_state: str):
        super().__init__(message)
        self.from_state, self.to_state = from_state, to_state


@dataclass(frozen=True)
class Move:
    """One allowed move: the role it needs and the audit action it records."""

    action: Action
    role: str = "analyst"


@dataclass(frozen=True)
class Workflow:
    """A named transition table over one field of one model.

    `moves` maps (from, to) to a Move. `may_act(scope, obj)` is the workflow's region and
    organisation rule beyond the role (e.g. only national admins move classifier versions);
    by default any scope with the role may act.
    """

    name: str
    state_field: str
    moves: Mapping[tuple[str, str], Move]
    may_act: Callable[[Scope, Any], bool] = field(default=lambda scope, obj: True)

    def targets(self, state: str) -> set[str]:
        return {to for (source, to) in self.moves if source == state}

    def move(self, from_state: str, to_state: str) -> Move | None:
        return self.moves.get((from_state, to_state))

    def permits(self, scope: Scope, obj: Any, to_state: str) -> bool:
        """Whether `transition()` would accept this move now (to show or hide a button); the
        engine checks again under the row's lock."""
        move = self.move(getattr(obj, self.state_field), to_state)
        return move is not None and scope.can(move.role) and self.may_act(scope, obj)


def _label(obj: models.Model, state_field: str, state: str) -> str:
    choices = dict(obj._meta.get_field(state_field).flatchoices)
    return str(choices.get(state, state))


def transition(
    obj: models.Model,
    workflow: Workflow,
    to_state: str,
    *,
    scope: Scope,
    why: str = "",
    changes: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
    lock: bool = True,
) -> models.Model:
    """Move `obj` to `to_state` as `scope`'s user; returns the fresh, updated object.

    Checks, in order: the row (re-read under a lock, so two reviewers cannot both move it from
    the same state), the table, the role, the workflow's own rule. `changes` are other fields
    written with the move (reviewer, timestamps); `details` go into the audit event only.
    """
    with transaction.atomic():
        if lock and obj.pk is not None:
            obj = type(obj).objects.select_for_update().get(pk=obj.pk)
        from_state = getattr(obj, workflow.state_field)
        move = workflow.move(from_state, to_state)
        if move is None:
            raise TransitionError(
                _("%(subject)s cannot go from “%(from)s” to “%(to)s”.")
                % {
                    "subject": obj,
                    "from": _label(obj, workflow.state_field, from_state),
                    "to": _label(obj, workflow.state_field, to_state),
                },
                from_state=from_state,
                to_state=to_state,
            )
        if not scope.can(move.role) or not workflow.may_act(scope, obj):
            raise ScopeError(
                _("Your role or region does not allow this change (%(workflow)s).")
                % {"workflow": workflow.name}
            )
        setattr(obj, workflow.state_field, to_state)
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        obj.save(update_fields=[workflow.state_field, *(changes or {})])
        record(
            scope,
            move.action,
            obj,
            from_state=from_state,
            to_state=to_state,
            reason=why,
            details=details,
        )
    return obj


def states_reachable(workflow: Workflow, start: str) -> Iterable[str]:
    """Every state reachable from `start` (for docs and tests of a table)."""
    seen, todo = {start}, [start]
    while todo:
        for target in workflow.targets(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen
