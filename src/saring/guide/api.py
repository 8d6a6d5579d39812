"""/api/v1/announcements, /pages, /faqs (public; helper: api)."""

from ninja import Router

router = Router(tags=["guide"])
