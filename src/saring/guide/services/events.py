"""After a publication: queue a rebuild of the public site and notify webhook subscribers.

Called after the publishing transaction commits, with the kind of content (`announcement`,
`page`, `faq`, `clarification`, `election`) and the ids that changed; it only queues work.
"""

from __future__ import annotations

from typing import Any


def published(kind: str, ids: list[Any], *, action: str = "published") -> None:
    from saring.api.caching import invalidate
    from saring.guide.services import webhooks
    from saring.guide.site import schedule

    invalidate()
    webhooks.enqueue(kind, ids, action=action)
    schedule.request_build(reason=f"{kind} {action}")
