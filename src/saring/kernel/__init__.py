"""The kernel's plain-Python pieces shared by every context: coded wording and hook lists.

The kernel's Django apps (`accounts`, `regions`, `taxonomy`, `audit`, `api`) and the workflow
engine (`saring.workflow`) sit beside it; no module here imports a context.
"""
