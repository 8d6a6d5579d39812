"""sandbox views (helper)."""

urlpatterns: list = []
