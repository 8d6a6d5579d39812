"""/api/v1/ routes for evidence packets (the public signing key)."""

from ninja import Router

router = Router(tags=["packets"])
