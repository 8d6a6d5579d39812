"""/api/v1/ routes for escalations (thin: rules in saring.cases.services)."""

from ninja import Router

router = Router(tags=["escalations"])
