"""Evidence packets: one case as a signed ZIP a platform can check (docs/packets.md).

    evidence.json    the case, its legal bases, content and captured posts, reports (personal
                     data only when the officer includes it), screenshots, chain of custody
    evidence.pdf     the same, readable (WeasyPrint; no network, screenshots from the packet)
    screenshots/     the stored, metadata-free images
    manifest.json    SHA-256 and size of every file above, the case, the signing key's id
    manifest.sig     base64 Ed25519 signature over the exact bytes of manifest.json

`verify_packet` checks the signature first, then every file against the manifest, and names
each file that differs, is missing or was added.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import secrets
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.audit.services import record
from saring.cases import categories, signing
from saring.cases.images import safe_name
from saring.cases.models import Case
from saring.cases.querysets import handler, in_region
from saring.factcheck.models import PostMatch
from saring.monitoring.models import EngagementObservation

FORMAT = "saring-evidence-packet/1"
MANIFEST, SIGNATURE = "manifest.json", "manifest.sig"
PREVIEW_PX = 1200  # screenshots in the PDF: a preview; the full file is in screenshots/
# Audit details that could carry a reporter's identity: left out unless personal data is in.
PERSONAL_KEYS = {"reporter_name", "reporter_email", "reporter_phone", "name", "email", "phone"}
PERSONAL_ACTIONS = {Action.REPORTER_VIEWED.value, Action.REPORTER_EXPORTED.value}


@dataclass(frozen=True)
class Packet:
    path: Path
    sha256: str
    manifest: dict[str, Any]
    file_name: str


@dataclass
class Verification:
    ok: bool
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"intact": self.ok, "problems": self.problems}


# ---------------------------------------------------------------------------------- building


def build_packet(case: Case, *, scope: Scope, include_personal: bool = False) -> Packet:
    """Write the case's signed packet under MEDIA_ROOT/packets/ and record PACKET_BUILT (and
    REPORTER_EXPORTED when the reporters' identity is included)."""
    require(
        scope,
        scope.can("analyst")
        and handler(scope)
        and in_region(scope, case.province_id, case.regency_id),
        _("Only the case's handlers may build its evidence packet."),
    )
    created = timezone.now().astimezone(UTC).replace(microsecond=0)
    file_name = f"{case.reference}-{created:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}.zip"
    if include_personal:
        # Committed before anything is read, so the packet's own chain of custody shows the
        # export (a build that then fails leaves an export on record: the cautious side).
        with transaction.atomic():
            record(
                scope,
                Action.REPORTER_EXPORTED,
                case,
                details={
                    "packet": file_name,
                    "reports": list(case.reports.values_list("tracking_code", flat=True)),
                },
            )
    # Reads and rendering outside any transaction: on SQLite an open write transaction would
    # hold the database's write lock for the seconds WeasyPrint takes.
    shots = _screenshots(case)
    evidence = _evidence(case, scope, created, shots, include_personal)
    files: list[tuple[str, bytes]] = [
        ("evidence.json", _json_bytes(evidence)),
        ("evidence.pdf", render_pdf(evidence, shots)),
    ]
    files += [(shot["path"], shot["content"]) for shot in shots if shot["content"] is not None]
    manifest = {
        "format": FORMAT,
        "case": case.reference,
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "key_id": signing.key_id(),
        "files": [
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for path, data in files
        ],
    }
    manifest_bytes = _json_bytes(manifest)
    signature = base64.b64encode(signing.sign(manifest_bytes)) + b"\n"
    path = _write_zip(
        file_name, [*files, (MANIFEST, manifest_bytes), (SIGNATURE, signature)], created
    )
    digest = _file_sha256(path)
    try:
        with transaction.atomic():
            record(
                scope,
                Action.PACKET_BUILT,
                case,
                details={
                    "packet": file_name,
                    "sha256": digest,
                    "key_id": manifest["key_id"],
                    "files": len(manifest["files"]),
                    "personal_data": include_personal,
                },
            )
    except Exception:
        path.unlink(missing_ok=True)  # no packet without its audit event
        raise
    return Packet(path=path, sha256=digest, manifest=manifest, file_name=file_name)


def packets_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "packets"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_zip(file_name: str, files: list[tuple[str, bytes]], created: datetime) -> Path:
    final = packets_dir() / file_name
    partial = final.with_suffix(".part")
    stamp = created.timetuple()[:6]
    with zipfile.ZipFile(partial, "w") as archive:
        for path, data in files:
            info = zipfile.ZipInfo(path, date_time=stamp)
            # Images are compressed already: storing them keeps the build fast.
            info.compress_type = (
                zipfile.ZIP_STORED if path.startswith("screenshots/") else zipfile.ZIP_DEFLATED
            )
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    os.replace(partial, final)
    return final


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _place(obj) -> dict[str, Any] | None:
    if not obj.province_id:
        return None
    regency = obj.regency if obj.regency_id else None
    return {
        "province": {"code": obj.province_id, "name": obj.province.name},
        "regency": {"code": regency.code, "name": regency.name} if regency else None,
    }


def _screenshots(case: Case) -> list[dict[str, Any]]:
    """Each screenshot's file and facts. A file gone from storage is named in evidence.json
    (`file_missing`) rather than stopping the packet: the rest is still evidence."""
    shots = []
    attachments = case.attachments.select_related("report").order_by("id")
    for n, attachment in enumerate(attachments, 1):
        name = attachment.name or "screenshot"
        path = f"screenshots/{n}-{safe_name(name, name.rsplit('.', 1)[-1] if '.' in name else '')}"
        try:
            with attachment.file.open("rb") as handle:
                content = handle.read()
        except (OSError, ValueError):
            content = None
        shots.append(
            {
                "path": path,
                "content": content,
                "meta": {
                    "path": path if content is not None else None,
                    "name": attachment.name,
                    "content_type": attachment.content_type,
                    "width": attachment.width,
                    "height": attachment.height,
                    "bytes": len(content) if content is not None else None,
                    "sha256": hashlib.sha256(content).hexdigest() if content is not None else None,
                    "sha256_when_stored": attachment.sha256,
                    "original_sha256": attachment.original_sha256,
                    "file_missing": content is None,
                    "report": attachment.report.tracking_code if attachment.report else None,
                    "added_at": _iso(attachment.added_at),
                },
            }
        )
    return shots


def _evidence(
    case: Case, scope: Scope, created: datetime, shots: list[dict], include_personal: bool
) -> dict[str, Any]:
    case = (
        Case.objects.select_related("province", "regency", "organisation", "assignee")
        .prefetch_related("bases")
        .get(pk=case.pk)
    )
    return {
        "format": FORMAT,
        "generated_at": _iso(created),
        "generated_by": {"user": scope.username, "organisation": scope.organisation_name},
        "personal_data_included": include_personal,
        "case": {
            "reference": case.reference,
            "id": case.pk,
            "title": case.title,
            "state": case.state,
            "origin": case.origin,
            "category": case.category,
            "summary": case.summary,
            "priority": case.priority,
            "regime": case.regime,
            "is_valid": case.is_valid,
            "validity_reason": case.validity_reason,
            "in_quiet_period": case.in_quiet_period,
            "handling_office": case.organisation.name if case.organisation_id else None,
            "region": _place(case),
            "created_at": _iso(case.created_at),
            "discovered_at": _iso(case.discovered_at),
            "triaged_at": _iso(case.triaged_at),
            "escalated_at": _iso(case.escalated_at),
            "answered_at": _iso(case.answered_at),
            "closed_at": _iso(case.closed_at),
            "outcome": case.outcome,
        },
        "deadlines": {
            "follow_up_due": _iso(case.follow_up_due),
            "follow_up_extended": case.follow_up_extended,
            "platform_due": _iso(case.platform_due),
            "escalations": [
                {
                    "reference": e.reference,
                    "channel": e.channel.name,
                    "platform": e.channel.platform,
                    "state": e.state,
                    "urgent": e.urgent,
                    "created_at": _iso(e.created_at),
                    "due_at": _iso(e.due_at),
                    "due_source": e.due_source,
                    "answered_at": _iso(e.answered_at),
                }
                for e in case.escalations.select_related("channel").order_by("id")
            ],
        },
        "legal_bases": [
            {
                "code": b.code,
                "kind": b.kind,
                "citation": b.citation,
                "summary_id": b.summary_id,
                "summary_en": b.summary_en,
                "url": b.url,
            }
            for b in case.bases.all()
        ],
        "items": _items(case),
        "screenshots": [shot["meta"] for shot in shots],
        "reports": _reports(case, include_personal),
        "chain_of_custody": _custody(case, include_personal),
    }


def _items(case: Case) -> list[dict[str, Any]]:
    items = list(case.items.select_related("post").order_by("id"))
    post_ids = [item.post_id for item in items if item.post_id]
    history: dict[int, list[dict]] = {}
    for o in EngagementObservation.objects.filter(post_id__in=post_ids).order_by(
        "post_id", "observed_at"
    ):
        history.setdefault(o.post_id, []).append(
            {
                "observed_at": _iso(o.observed_at),
                "views": o.views,
                "likes": o.likes,
                "shares": o.shares,
                "comments": o.comments,
            }
        )
    matches = _clarifications(post_ids)
    out = []
    for item in items:
        post = item.post
        out.append(
            {
                "url": item.url,
                "canonical_url": item.canonical_url,
                "platform": item.platform,
                "content_id": item.content_id,
                "added_at": _iso(item.added_at),
                "post": None
                if post is None
                else {
                    "platform": post.platform,
                    "platform_id": post.platform_id,
                    "url": post.url,
                    "author_handle": post.author_handle,
                    "author_name": post.author_name,
                    "text": post.text,
                    "posted_at": _iso(post.created_at),
                    "observed_at": _iso(post.observed_at),
                    "views": post.views,
                    "likes": post.likes,
                    "shares": post.shares,
                    "comments": post.comments,
                    "engagement_history": history.get(post.pk, []),
                    "clarifications": matches.get(post.pk, []),
                },
            }
        )
    return out


def _clarifications(post_ids: list[int]) -> dict[int, list[dict]]:
    """Per post: its linked clarifications (confirmed by a reviewer, or linked automatically
    above the calibrated threshold), or else only the best suggestion, marked as such."""
    rows = (
        PostMatch.objects.filter(post_id__in=post_ids, clarification__status="published")
        .exclude(decision=PostMatch.Decision.REJECTED)
        .select_related("clarification")
        .order_by("post_id", "-score", "id")
    )
    linked: dict[int, list[dict]] = {}
    suggested: dict[int, dict] = {}
    for match in rows:
        c = match.clarification
        entry = {
            "match": "linked" if match.decision in PostMatch.LINKED else "suggestion",
            "decision": match.decision,
            "score": round(match.score, 4),
            "headline": c.headline,
            "verdict": c.verdict,
            "verdict_label": c.verdict_label,
            "publisher": c.publisher,
            "url": c.url,
            "published_at": _iso(c.published_at),
        }
        if match.decision in PostMatch.LINKED:
            linked.setdefault(match.post_id, []).append(entry)
        elif match.decision == PostMatch.Decision.SUGGESTED:
            suggested.setdefault(match.post_id, entry)  # rows come best first
    return {pid: linked.get(pid) or [suggested[pid]] for pid in {*linked, *suggested}}


def _reports(case: Case, include_personal: bool) -> list[dict[str, Any]]:
    out = []
    for r in case.reports.select_related("organisation", "province", "regency").order_by("id"):
        row = {
            "tracking_code": r.tracking_code,
            "channel": r.channel,
            "organisation": r.organisation.name if r.organisation_id else None,
            "category": r.category,
            "description": r.description,
            "urls": r.urls,
            "seen_at": _iso(r.seen_at),
            "seen_where": r.seen_where,
            "region": _place(r),
            "received_at": _iso(r.created_at),
            "late": r.late,
            "good_faith": r.good_faith,
        }
        if include_personal:
            row["reporter"] = {
                "name": r.reporter_name,
                "email": r.reporter_email,
                "phone": r.reporter_phone,
            }
        out.append(row)
    return out


def _custody(case: Case, include_personal: bool) -> list[dict[str, Any]]:
    """The audit events about the case (and its escalations), oldest first."""
    escalations = [str(pk) for pk in case.escalations.values_list("pk", flat=True)]
    events = AuditEvent.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
    if escalations:
        events = events | AuditEvent.objects.filter(
            subject_type="cases.escalation", subject_id__in=escalations
        )
    out = []
    for e in events.order_by("seq"):
        details = e.details if isinstance(e.details, dict) else {}
        if not include_personal:
            details = {k: v for k, v in details.items() if k not in PERSONAL_KEYS}
        out.append(
            {
                "seq": e.seq,
                "at": _iso(e.at),
                "actor": e.actor,
                "organisation": e.organisation,
                "action": e.action,
                "subject": f"{e.subject_type}:{e.subject_id}",
                "from_state": e.from_state,
                "to_state": e.to_state,
                "reason": e.reason,
                "details": details,
                "hash": e.hash,
            }
        )
    return out


# ----------------------------------------------------------------------------------- the PDF

PDF_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm;
  @bottom-right { content: counter(page); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 9pt; color: #111; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 6mm 0 2mm; border-bottom: 0.4pt solid #888; }
h3 { font-size: 9.5pt; margin: 3mm 0 1mm; }
.meta, .muted { color: #555; font-size: 8pt; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 2mm; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 0.8mm 1.2mm;
  border-bottom: 0.3pt solid #ccc; overflow-wrap: anywhere; }
th { width: 28%; font-weight: bold; }
table.grid th { width: auto; background: #eee; }
table.custody th.w-n { width: 7%; } table.custody th.w-when { width: 17%; }
.text { white-space: pre-wrap; border-left: 1.5pt solid #999; padding-left: 2mm; margin: 1mm 0; }
figure { margin: 2mm 0; break-inside: avoid; }
figure img { max-width: 100%; max-height: 200mm; }
"""


def render_html(evidence: dict[str, Any], previews: dict[str, str] | None = None) -> str:
    """The packet's PDF as HTML (autoescaped template); `previews` maps a screenshot's packet
    path to the URL the PDF renderer fetches it from."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    case = evidence["case"]
    states = dict(Case.State.choices)
    shown = _display_times(evidence)
    context = {
        "e": shown,
        "state_label": states.get(case.get("state"), case.get("state")),
        "category_label": categories.label(case["category"], language)
        if case.get("category")
        else "",
        "shots": [
            {**shot, "preview": (previews or {}).get(shot["path"])}
            for shot in evidence["screenshots"]
        ],
        # (key, value) pairs, not the dict: a details key named "items" or "values" would
        # shadow the dict's method in the template language.
        "custody": [
            {**event, "detail_pairs": sorted(event["details"].items())}
            for event in shown["chain_of_custody"]
        ],
    }
    with translation.override(language):
        return render_to_string("cases/packet.html", context)


def render_pdf(evidence: dict[str, Any], shots: list[dict[str, Any]]) -> bytes:
    """WeasyPrint with base_url None and a fetcher that serves only this packet's previews:
    nothing is read from the network or from any other file."""
    import weasyprint  # heavy (Pango): loaded only when a packet is built

    resources = {}
    for n, shot in enumerate(shots, 1):
        preview = _preview(shot["content"]) if shot["content"] is not None else None
        if preview is not None:
            resources[f"packet:preview/{n}.jpg"] = preview
    previews = {shot["path"]: f"packet:preview/{n}.jpg" for n, shot in enumerate(shots, 1)}
    previews = {path: url for path, url in previews.items() if url in resources}
    html = render_html(evidence, previews)
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_fetcher(resources))
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=PDF_CSS)])


def _preview(content: bytes) -> bytes | None:
    """A JPEG at most PREVIEW_PX wide for the PDF (the stored file goes into screenshots/)."""
    try:
        image = Image.open(io.BytesIO(content))
        image.draft("RGB", (PREVIEW_PX, PREVIEW_PX * 4))
        image = image.convert("RGB")
        image.thumbnail((PREVIEW_PX, PREVIEW_PX * 4))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        return out.getvalue()
    except (OSError, ValueError, SyntaxError):
        return None


def _fetcher(resources: dict[str, bytes]):
    try:  # WeasyPrint >= 66: a URLFetcher object
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # older: a function answering a dict

        def fetch(url: str, *args, **kwargs) -> dict[str, Any]:
            if url not in resources:
                raise ValueError(f"not part of the packet: {url}")
            return {"string": resources[url], "mime_type": "image/jpeg"}

        return fetch

    class PacketFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in resources:
                raise ValueError(f"not part of the packet: {url}")
            return URLFetcherResponse(url, resources[url], {"Content-Type": "image/jpeg"})

    return PacketFetcher()


_TIME_KEYS = ("_at", "_due")


def _is_time(key: str) -> bool:
    return key == "at" or key.endswith(_TIME_KEYS)


def _display_times(data: Any) -> Any:
    """A copy of `data` with its ISO times as local times (TIME_ZONE, e.g. WIB) for reading."""
    if isinstance(data, dict):
        return {
            k: _local(v) if isinstance(v, str) and _is_time(k) else _display_times(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_display_times(v) for v in data]
    return data


def _local(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M %Z")


# -------------------------------------------------------------------------------- verifying


def verify_packet(path: Path | str, *, public_key_pem: bytes | None = None) -> Verification:
    """Whether the packet at `path` is as it was signed; each problem names its file."""
    if public_key_pem is None:
        public_key_pem = signing.public_key_pem().encode("ascii")
    name = Path(path).name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        return Verification(False, [f"{name}: no such file"])
    except (zipfile.BadZipFile, OSError):
        return Verification(False, [f"{name} is not a ZIP file"])
    problems: list[str] = []
    with archive:
        entries = archive.infolist()
        names = [info.filename for info in entries]
        for entry in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"{entry} appears more than once")
        for entry in names:
            pure = PurePosixPath(entry)
            if pure.is_absolute() or ".." in pure.parts or "\\" in entry:
                problems.append(f"{entry}: unsafe path")
        for required in (MANIFEST, SIGNATURE):
            if required not in names:
                problems.append(f"missing file {required}")
        if MANIFEST not in names or SIGNATURE not in names:
            return Verification(False, problems)
        try:
            manifest_bytes = archive.read(MANIFEST)
        except (zipfile.BadZipFile, zlib.error, OSError):
            return Verification(False, [*problems, f"{MANIFEST} cannot be read"])
        try:
            signature = base64.b64decode(archive.read(SIGNATURE).strip(), validate=True)
        except (ValueError, zipfile.BadZipFile, zlib.error, OSError):
            signature = b""
        if not signing.verify_signature(public_key_pem, manifest_bytes, signature):
            problems.append(f"{SIGNATURE} does not match {MANIFEST}")
        try:
            manifest = json.loads(manifest_bytes)
            listed = {f["path"]: f for f in manifest["files"]}
        except (ValueError, KeyError, TypeError):
            problems.append(f"{MANIFEST} cannot be read")
            return Verification(False, problems)
        if manifest.get("format") != FORMAT:
            problems.append(f"{MANIFEST}: unknown format {manifest.get('format')!r}")
        try:
            ours = signing.key_id_of(signing.load_public_key(public_key_pem))
        except ValueError:
            ours = ""
        if manifest.get("key_id") != ours:
            problems.append(
                f"{MANIFEST}: signed with key {manifest.get('key_id')}, not with key {ours}"
            )
        present = {info.filename: info for info in entries}
        for entry, info in listed.items():
            if entry not in present:
                problems.append(f"missing file {entry}")
                continue
            digest, size = hashlib.sha256(), 0
            try:
                with archive.open(present[entry]) as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(chunk)
                        size += len(chunk)
            except (zipfile.BadZipFile, zlib.error, OSError):
                problems.append(f"{entry}: SHA-256 differs (the file cannot be read)")
                continue
            if digest.hexdigest() != info.get("sha256"):
                problems.append(f"{entry}: SHA-256 differs")
            elif size != info.get("bytes"):
                problems.append(f"{entry}: size differs")
        for entry in present:
            if entry not in listed and entry not in (MANIFEST, SIGNATURE):
                problems.append(f"extra file {entry} not in the manifest")
    return Verification(not problems, problems)
