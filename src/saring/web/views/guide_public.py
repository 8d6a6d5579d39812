"""guide_public views (helper)."""

urlpatterns: list = []
