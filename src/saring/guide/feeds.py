"""/feeds/announcements.atom, /feeds/clarifications.atom, /feeds/stages.ics (helper: api)."""

urlpatterns: list = []
