"""The gateways' callbacks: delivery receipts and replies (STOP), no login, no CSRF.

    POST /broadcasts/callbacks/<sms|whatsapp|email>/receipts
         {"id", "status"} | {"receipts": [{"id", "status"}, …]} | WhatsApp webhook "statuses"
    POST /broadcasts/callbacks/<channel>/inbound
         {"from", "text"} | {"messages": [{"from", "text"}, …]} | WhatsApp webhook "messages"

Authenticated by SARING_BROADCAST_CALLBACK_TOKEN (empty: every callback is refused), given as
`Authorization: Bearer`, `X-Saring-Token`, `X-Saring-Signature` (HMAC-SHA256 of
"<X-Saring-Timestamp>.<body>") or WhatsApp's `X-Hub-Signature-256` (HMAC-SHA256 of the body).
A receipt for an unknown message id answers 200 (it is kept); a malformed body answers 400
naming the field. Answers carry counts only, never a number.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from saring import config
from saring.broadcasts.models import Channel
from saring.broadcasts.services import receipts
from saring.kernel.webhooks import hmac_signature

MAX_BODY = 2 * 1024 * 1024
MAX_SKEW = 300  # seconds a signed timestamp may be off


class BadPayload(ValueError):
    def __init__(self, field: str, problem: str = "missing or not valid"):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


def _token() -> str:
    value = getattr(settings, "SARING_BROADCAST_CALLBACK_TOKEN", None)
    return (config.env("SARING_BROADCAST_CALLBACK_TOKEN") if value is None else str(value)).strip()


def _authentic(request, token: str) -> bool:
    body = request.body
    given = request.headers.get("X-Saring-Token", "")
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        given = auth[7:]
    if given:
        return hmac.compare_digest(given.encode(), token.encode())
    signature = request.headers.get("X-Saring-Signature", "")
    stamp = request.headers.get("X-Saring-Timestamp", "")
    if signature and stamp.isdigit():
        if abs(time.time() - int(stamp)) > MAX_SKEW:
            return False
        return hmac.compare_digest(signature, hmac_signature(token, stamp, body))
    hub = request.headers.get("X-Hub-Signature-256", "")
    if hub:
        expected = "sha256=" + hmac.new(token.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(hub, expected)
    return False


def _string(item: Any, name: str, where: str) -> str:
    value = item.get(name) if isinstance(item, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise BadPayload(where)
    return value.strip()


def _whatsapp_values(data: dict) -> list[dict]:
    values = []
    for i, entry in enumerate(data.get("entry") or []):
        for j, change in enumerate((entry or {}).get("changes") or []):
            value = (change or {}).get("value")
            if not isinstance(value, dict):
                raise BadPayload(f"entry[{i}].changes[{j}].value")
            values.append(value)
    return values


def parse_receipts(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        raise BadPayload("body", "must be a JSON object")
    if "entry" in data:
        items = [s for value in _whatsapp_values(data) for s in value.get("statuses") or []]
        return [
            (_string(s, "id", f"statuses[{n}].id"), _string(s, "status", f"statuses[{n}].status"))
            for n, s in enumerate(items)
        ]
    if "receipts" in data:
        if not isinstance(data["receipts"], list):
            raise BadPayload("receipts", "must be a list")
        return [
            (_string(r, "id", f"receipts[{n}].id"), _string(r, "status", f"receipts[{n}].status"))
            for n, r in enumerate(data["receipts"])
        ]
    return [(_string(data, "id", "id"), _string(data, "status", "status"))]


def parse_inbound(data: Any) -> list[tuple[str, str]]:
    if not isinstance(data, dict):
        raise BadPayload("body", "must be a JSON object")
    if "entry" in data:
        items = [m for value in _whatsapp_values(data) for m in value.get("messages") or []]
        found = []
        for n, m in enumerate(items):
            sender = _string(m, "from", f"messages[{n}].from")
            text = (m.get("text") or {}).get("body", "") if isinstance(m, dict) else ""
            found.append((sender if sender.startswith("+") else f"+{sender}", str(text)))
        return found
    items = data.get("messages", [data])
    if not isinstance(items, list):
        raise BadPayload("messages", "must be a list")
    prefix = "messages[{n}]." if "messages" in data else ""
    found = []
    for n, m in enumerate(items):
        sender = _string(m, "from", prefix.format(n=n) + "from")
        text = m.get("text", "")
        if not isinstance(text, str):
            raise BadPayload(prefix.format(n=n) + "text", "must be a string")
        found.append((sender, text))
    return found


def _handle(request, channel: str, kind: str) -> JsonResponse:
    if channel not in Channel.values:
        raise Http404("unknown channel")
    token = _token()
    if not token:
        return JsonResponse({"error": "callbacks are off"}, status=403)
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "body too large"}, status=413)
    if not _authentic(request, token):
        return JsonResponse({"error": "not authenticated"}, status=401)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return JsonResponse({"error": "body is not JSON", "field": "body"}, status=400)
    # WhatsApp posts statuses and replies to one webhook: both are read, at either address.
    whatsapp = isinstance(data, dict) and "entry" in data
    result: dict[str, int] = {}
    try:
        if kind == "receipts" or whatsapp:
            result.update(receipts.record_receipts(channel, parse_receipts(data)).as_dict())
        if kind == "inbound" or whatsapp:
            replies = parse_inbound(data)
            result["replies"] = len(replies)
            result["opted_out"] = sum(receipts.inbound(channel, a, t) for a, t in replies)
    except BadPayload as error:
        return JsonResponse({"error": error.problem, "field": error.field}, status=400)
    return JsonResponse({"ok": True, **result})


@csrf_exempt
@login_not_required
@require_POST
def receipts_callback(request, channel: str):
    return _handle(request, channel, "receipts")


@csrf_exempt
@login_not_required
@require_POST
def inbound_callback(request, channel: str):
    return _handle(request, channel, "inbound")


urlpatterns = [
    path(
        "broadcasts/callbacks/<str:channel>/receipts",
        receipts_callback,
        name="broadcast_callback_receipts",
    ),
    path(
        "broadcasts/callbacks/<str:channel>/inbound",
        inbound_callback,
        name="broadcast_callback_inbound",
    ),
]
