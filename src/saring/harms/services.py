"""The writes of the harms context, in one place for other contexts, the API and commands.

Each write takes the acting scope and refuses (ScopeError) what it does not allow, whatever
the caller; the rules are in the docstrings of the modules that implement them:

- labels (`harms.labels`): analysts and administrators of any region, in person; every label
  set, changed or cleared is an audit event on the post.
- classifier versions (`harms.training`): national administrators or the system only; every
  move goes through the workflow engine (`harms.models.VERSIONS`) and is an audit event.
"""

from saring.harms.labels import LabelPermissionError, set_labels

# Training loads scikit-learn (via saring.text.classify): imported on first use only, so that a
# web process reading this module does not load it.
_TRAINING = {
    "ModelStateError",
    "activate",
    "may_manage",
    "require_manager",
    "rollback",
    "run_training",
    "start_training",
}

__all__ = ["LabelPermissionError", "set_labels", *sorted(_TRAINING)]


def __getattr__(name: str):
    if name in _TRAINING:
        from saring.harms import training

        return getattr(training, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
