"""The one workflow engine (kernel): transition tables and the function that applies them.

    from saring.workflow import Workflow, Move, transition

Each workflow declares which state may become which, the role each move needs and the audit
action it records; `transition()` checks the move against the table and the actor's scope,
applies it and appends the audit event in the same transaction. No context changes a workflow
state any other way.
"""

from saring.workflow.engine import Move, TransitionError, Workflow, transition

__all__ = ["Move", "TransitionError", "Workflow", "transition"]
