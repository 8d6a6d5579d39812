"""The reporter kept informed: one message per change of their case (filled in by issue #11's
notification work)."""

from __future__ import annotations


def report_received(report) -> None:
    """The receipt for a new report (e-mail), queued after the report is stored."""


def case_changed(case, event: str) -> None:
    """One message to each reporter of `case` about `event` (a state, or "note")."""
