"""guide_admin views (helper)."""

urlpatterns: list = []
