from saring.accounts.scope import scope_for


def scope(request):
    """Makes `scope` available to every template (the user's region and role)."""
    user = getattr(request, "user", None)
    return {"scope": scope_for(user) if user is not None else None}
