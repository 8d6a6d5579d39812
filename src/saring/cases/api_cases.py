"""/api/v1/ routes for cases (thin: rules in saring.cases.services)."""

from ninja import Router

router = Router(tags=["cases"])
