"""Pages: casework (thin: rules in saring.cases.services)."""

urlpatterns: list = []
