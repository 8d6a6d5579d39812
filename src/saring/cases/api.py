"""/api/v1/ routes of RESPOND, mounted by saring.api.root: reports (partners and the public
form), cases (scoped reads), escalations (platform decisions) and the packet signing key."""

from ninja import Router

from saring.cases.api_cases import router as cases_router
from saring.cases.api_escalations import router as escalations_router
from saring.cases.api_packets import router as packets_router
from saring.cases.api_reports import router as reports_router

router = Router()
router.add_router("", reports_router)
router.add_router("", cases_router)
router.add_router("", escalations_router)
router.add_router("", packets_router)
