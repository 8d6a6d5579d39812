"""broadcasts views (helper)."""

urlpatterns: list = []
