"""This deployment's public address (SARING_PUBLIC_URL), for links that leave Saring: messages to
reporters and officers, escalations, webhooks, feeds and the static guide."""

from __future__ import annotations

from django.conf import settings


def public_url(path: str = "") -> str:
    """SARING_PUBLIC_URL without its trailing slash, followed by `path` (which starts with /)."""
    return str(settings.SARING_PUBLIC_URL).rstrip("/") + path
