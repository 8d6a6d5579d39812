"""Pages: reports (thin: rules in saring.cases.services)."""

urlpatterns: list = []
