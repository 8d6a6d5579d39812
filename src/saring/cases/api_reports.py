"""/api/v1/ routes for reports (thin: rules in saring.cases.services.intake).

- `POST /api/v1/reports`: a partner organisation (e.g. a fact-checker's tipline) files a report
  with its API token; the same fields and answer as the public form.
- `GET /api/v1/reports/{tracking_code}`: the public status of one report, no login, nothing
  personal.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

try:  # django-ninja >= 1.5 deprecates returning (status, body) tuples
    from ninja import Status
except ImportError:  # pragma: no cover - older django-ninja

    def Status(status_code, value):
        return status_code, value


from saring.api.auth import BearerToken, caller_scope
from saring.api.schemas import Error
from saring.cases.models import Report
from saring.cases.services import intake

router = Router(tags=["reports"])


class Reporter(Schema):
    name: str = Field("", max_length=200, examples=["Siti Pelapor"])
    email: str = Field("", max_length=254, examples=["siti@example.org"])
    phone: str = Field("", max_length=40, examples=["0812 3456 7890"])


class ReportIn(Schema):
    urls: list[str] = Field(
        default_factory=list,
        description="1 to 10 addresses of the content; the platform is detected from each.",
        examples=[["https://www.tiktok.com/@akun/video/7301234567890123456"]],
    )
    category: str = Field(
        "",
        description="A harm category code (the taxonomy's top level, or quiet_period, "
        "impersonation, other).",
        examples=["hoax"],
    )
    description: str = Field("", max_length=5000, examples=["Video ini mengaku TPS ditutup."])
    seen_at: datetime | None = Field(None, description="When it was seen (ISO-8601).")
    seen_where: str = Field("", max_length=300, examples=["TikTok, beranda For You"])
    region_code: str = Field(
        "", description='Province ("32") or regency ("32.73") where it was seen.'
    )
    reporter: Reporter = Field(default_factory=Reporter)
    good_faith: bool = Field(
        False, description="Must be true: the report is accurate and made in good faith."
    )
    consent: bool = Field(
        True, description="The reporter agreed to the handling of their personal data."
    )
    notify: str = Field(
        "", description="email, sms or none; default: e-mail if given, else SMS if a phone."
    )
    idempotency_key: str | None = Field(
        None,
        max_length=200,
        description="Resending with the same key returns the first answer (or send the "
        "Idempotency-Key header).",
    )


class ReceiptOut(Schema):
    tracking_code: str = Field(examples=["LP-7K3M9QXD"])
    case_id: int
    attached_to_existing: bool


class FieldProblem(Schema):
    """One invalid field: `field` ("urls[0]", "reporter.email"), `code`, `message`; `loc`,
    `type` and `msg` say the same in the shape of every other 422 of this API (a body that
    is not even the right JSON types gets only those three, from the API's own parser)."""

    field: str | None = None
    code: str | None = None
    message: str | None = None
    type: str
    loc: list[str | int]
    msg: str


class FieldProblems(Schema):
    detail: list[FieldProblem]


class StatusOut(Schema):
    tracking_code: str
    state: str = Field(examples=["escalated"])
    state_label: str = Field(examples=["Dikirim ke platform"])
    outcome: str = Field(description="The platform's decision (e.g. removed) or empty.")
    updated_at: datetime


# Service field names -> the JSON's own names.
API_FIELDS = {
    "reporter_name": "reporter.name",
    "reporter_email": "reporter.email",
    "reporter_phone": "reporter.phone",
}


def _loc(name: str) -> list[str | int]:
    parts: list[str | int] = ["body"]
    for piece in name.replace("]", "").split("."):
        head, _bracket, index = piece.partition("[")
        parts.append(head)
        if index:
            parts.append(int(index))
    return parts


def problems(errors: intake.IntakeErrors) -> dict:
    detail = []
    for error in errors.errors:
        name = API_FIELDS.get(error.field, error.field)
        detail.append(
            {
                "field": name,
                "code": error.code,
                "message": error.message,
                "type": error.code,
                "loc": _loc(name),
                "msg": error.message,
            }
        )
    return {"detail": detail}


def too_many(limited: intake.RateLimited) -> JsonResponse:
    response = JsonResponse(
        {
            "detail": _("Too many reports; try again in %(s)d seconds.")
            % {"s": limited.retry_after_seconds}
        },
        status=429,
    )
    response["Retry-After"] = str(limited.retry_after_seconds)
    return response


@router.post(
    "/reports",
    auth=BearerToken(),
    response={
        200: ReceiptOut,
        201: ReceiptOut,
        401: Error,
        403: Error,
        422: FieldProblems,
        429: Error,
    },
    summary="File a report (partners)",
    description="A partner organisation's report, with its API token (`Authorization: Bearer "
    "…`). Content already in a case attaches to that case (`attached_to_existing`). 201 with "
    "the tracking code; 200 with the same body when `idempotency_key` (or the "
    "`Idempotency-Key` header) repeats an earlier call; 422 names each invalid field "
    '(`{"detail": [{"field": "urls[0]", "code": …, "message": …}]}`); 429 with '
    "`Retry-After` over the organisation's limit.",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "example": {
                        "urls": ["https://www.tiktok.com/@akun/video/7301234567890123456"],
                        "category": "hoax",
                        "description": "Video ini mengaku TPS di Bandung ditutup.",
                        "seen_at": "2024-02-12T09:30:00+07:00",
                        "region_code": "32.73",
                        "reporter": {"name": "Siti", "email": "siti@example.org", "phone": ""},
                        "good_faith": True,
                    }
                }
            }
        }
    },
)
def file_report(request: HttpRequest, payload: ReportIn):
    scope = caller_scope(request)
    key = payload.idempotency_key or request.headers.get("Idempotency-Key") or None
    data = intake.ReportInput(
        urls=payload.urls,
        category=payload.category,
        description=payload.description,
        seen_at=payload.seen_at,
        seen_where=payload.seen_where,
        region_code=payload.region_code,
        reporter_name=payload.reporter.name,
        reporter_email=payload.reporter.email,
        reporter_phone=payload.reporter.phone,
        good_faith=payload.good_faith,
        consent=payload.consent,
        notify=payload.notify,
    )
    try:
        receipt = intake.submit(
            data,
            channel=Report.Channel.PARTNER,
            scope=scope,
            idempotency_key=key[:200] if key else None,
        )
    except intake.IntakeErrors as errors:
        return Status(422, problems(errors))
    except intake.RateLimited as limited:
        return too_many(limited)
    body = {
        "tracking_code": receipt.report.tracking_code,
        "case_id": receipt.case.pk,
        "attached_to_existing": receipt.attached_to_existing,
    }
    return Status(201 if receipt.created else 200, body)


@router.get(
    "/reports/{tracking_code}",
    auth=None,
    response={200: StatusOut, 404: Error},
    summary="Public status of a report",
    description="No login: the state of the report's case in plain words, the platform's "
    "outcome once it answered, and when it last changed. Nothing personal, nothing about "
    "other reports. Codes are case-insensitive; spaces and dashes are ignored.",
)
def report_status(request: HttpRequest, tracking_code: str):
    report = intake.find_report(tracking_code)
    if report is None:
        return Status(404, {"detail": _("No report has this tracking code.")})
    status = intake.public_status(report)
    return Status(
        200,
        {
            "tracking_code": status.tracking_code,
            "state": status.state,
            "state_label": status.state_label,
            "outcome": status.outcome,
            "updated_at": status.updated_at,
        },
    )
