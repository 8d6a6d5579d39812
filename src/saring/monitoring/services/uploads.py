"""Uploads from the web page: store the file, record the run, queue the import.

Rules: uploading needs the analyst role (analysts and administrators of any region and
organisation); the run belongs to the uploader's organisation and region. Any other scope gets
ScopeError, whatever the caller, before anything is stored. The uploader may state when the
export was captured: records that carry no observation time of their own are taken as observed
then (not at the upload, which would make an old export look dead); the run keeps it in
`observed_default` until the import starts (services.ingest.observed_default).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.monitoring.models import ImportRun
from saring.sources.records import SourceError
from saring.sources.registry import check_file, detect_format, get_format


def _safe_name(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name)
    return keep[-120:] or "upload"


def store_upload(uploaded_file) -> Path:
    """Keep an uploaded file under MEDIA_ROOT/imports (its raw bytes are never lost)."""
    folder = Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / _safe_name(uploaded_file.name)
    with target.open("wb") as out:
        for chunk in uploaded_file.chunks():
            out.write(chunk)
    return target


def start_upload(
    scope: Scope, user, uploaded_file, format_name: str, captured_at: datetime | None = None
) -> ImportRun:
    """Save the upload under MEDIA_ROOT/imports and queue its import; SourceError if unusable."""
    _require_uploader(scope)
    target = store_upload(uploaded_file)
    try:
        check_file(target)
    except SourceError as error:  # name the file as the user knows it, not our storage path
        raise SourceError(uploaded_file.name, error.message) from error
    if format_name == "auto":
        detected = detect_format(target)
        if detected is None:
            raise SourceError(
                uploaded_file.name, "the format could not be recognised; choose it from the list"
            )
        format_name = detected
    get_format(format_name)
    return queue_import(scope, user, target, uploaded_file.name, format_name, captured_at)


def _require_uploader(scope: Scope) -> None:
    require(scope, scope.can("analyst"), _("Uploading needs the analyst role."))


def queue_import(
    scope: Scope,
    user,
    path: Path,
    display_name: str,
    format_name: str,
    captured_at: datetime | None = None,
) -> ImportRun:
    _require_uploader(scope)
    with transaction.atomic():
        run = ImportRun.objects.create(
            format=format_name,
            file_name=display_name[:255],
            stored_path=str(path),
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            organisation_id=scope.organisation_id,
            province_id=scope.province_code,
            regency_id=scope.regency_code,
            bytes_total=path.stat().st_size,
            observed_default=captured_at,
        )
        from saring.monitoring.tasks import ingest_run_task

        transaction.on_commit(lambda: ingest_run_task.enqueue(run.id))
    return run
