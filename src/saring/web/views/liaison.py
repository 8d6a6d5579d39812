"""Pages: liaison (thin: rules in saring.cases.services)."""

urlpatterns: list = []
