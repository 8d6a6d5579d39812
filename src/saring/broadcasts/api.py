"""Broadcast endpoints (helper: broadcasts): none in /api/v1/ yet; the gateway's callbacks are
web views (saring.web.views.broadcasts)."""

from ninja import Router

router = Router(tags=["broadcasts"])
