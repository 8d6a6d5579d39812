"""Automatic proposals: MONITOR signals above an admin-set level propose draft cases.
(Filled in by services.proposals; `register()` hooks it after imports.)"""


def register() -> None:
    pass
