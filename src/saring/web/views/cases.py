"""Pages: cases (thin: rules in saring.cases.services)."""

urlpatterns: list = []
