"""/api/v1/ routes for reports (thin: rules in saring.cases.services)."""

from ninja import Router

router = Router(tags=["reports"])
