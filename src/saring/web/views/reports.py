"""Public pages: the report form (/lapor/), its receipt and the tracking page. No login, no
JavaScript needed, Indonesian first (thin: rules in saring.cases.services.intake).

Anti-abuse without outside services: the service's rate limits (429 with Retry-After), a
honeypot field (filled: a generic thank-you page, nothing stored), a cap on the whole request
read before parsing it, and a signed one-time form token that is the idempotency key, so a
double-clicked submit makes one report and both answers show the same receipt.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.i18n import set_language

from saring.accounts.scope import SYSTEM
from saring.cases import categories, images
from saring.cases.models import Report
from saring.cases.services import intake
from saring.cases.services.attachments import MAX_SCREENSHOTS, add_screenshot
from saring.elections.timezones import zone_for
from saring.regions.models import Province, Regency
from saring.taxonomy.models import HarmCategory
from saring.web.lockout import client_address

logger = logging.getLogger("saring.web.reports")

TOKEN_SALT = "saring.report-form"  # noqa: S105 - a signing salt, not a secret
TOKEN_MAX_AGE = 6 * 3600  # a slow typist on a slow link still gets through
HONEYPOT = "website"
ACCEPT = "image/jpeg,image/png,image/webp"

# Service field -> form field (where its error is shown).
FORM_FIELDS = {"seen_at": "seen_date", "region_code": "region"}

EXTRA_HINTS = {
    "quiet_period": lambda: _("Campaign content posted during the quiet period before voting."),
    "impersonation": lambda: _("An account pretending to be KPU, Bawaslu or another official."),
    "other": lambda: _("Something else that harms the election."),
}


def _language() -> str:
    return "en" if (translation.get_language() or "id").startswith("en") else "id"


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    head, dot, _rest = text.partition(". ")
    line = head + ("." if dot else "")
    return line if len(line) <= 160 else line[:157].rstrip() + "…"


def category_options() -> list[dict]:
    language = _language()
    definitions = {
        c.code: (c.definition_en if language == "en" else c.definition_id)
        for c in HarmCategory.objects.filter(parent__isnull=True)
    }
    options = []
    for code, name in categories.choices(language):
        hint = definitions.get(code) or (EXTRA_HINTS[code]() if code in EXTRA_HINTS else "")
        options.append({"code": code, "name": name, "hint": _first_sentence(hint)})
    return options


def region_groups() -> list[dict]:
    """Provinces with their regencies, for one <select> with an <optgroup> per province: works
    without JavaScript and without a second round trip."""
    regencies: dict[str, list[tuple[str, str]]] = {}
    for code, province_id, name in Regency.objects.order_by("code").values_list(
        "code", "province_id", "name"
    ):
        regencies.setdefault(province_id, []).append((code, name))
    return [
        {"code": p.code, "name": p.name, "regencies": regencies.get(p.code, [])}
        for p in Province.objects.order_by("code")
    ]


def _new_token() -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(secrets.token_urlsafe(18))


def _token_nonce(token: str) -> str | None:
    try:
        return signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None


def _values(post) -> dict:
    return {
        "urls": post.get("urls", "")[:25_000],
        "category": post.get("category", ""),
        "description": post.get("description", "")[:10_000],
        "seen_date": post.get("seen_date", "").strip(),
        "seen_time": post.get("seen_time", "").strip(),
        "seen_where": post.get("seen_where", "")[:1_000],
        "region": post.get("region", "").strip(),
        "reporter_name": post.get("reporter_name", "")[:1_000],
        "reporter_email": post.get("reporter_email", "").strip()[:500],
        "reporter_phone": post.get("reporter_phone", "").strip()[:100],
        "notify": post.get("notify", Report.Notify.EMAIL),
        "good_faith": post.get("good_faith") == "1",
        "consent": post.get("consent") == "1",
    }


def _seen_at(values: dict, errors: dict[str, list[str]]) -> datetime | None:
    if not values["seen_date"]:
        if values["seen_time"]:
            errors.setdefault("seen_date", []).append(_("Give the date too."))
        return None
    try:
        day = datetime.strptime(values["seen_date"], "%Y-%m-%d").date()
        moment = (
            datetime.strptime(values["seen_time"], "%H:%M").time()
            if values["seen_time"]
            else time(12)
        )
    except ValueError:
        errors.setdefault("seen_date", []).append(
            _("Give the date as on a calendar, e.g. 2024-02-12.")
        )
        return None
    # The reporter's clock is that of the region they name (WIB, WITA or WIT).
    return timezone.make_aware(datetime.combine(day, moment), zone_for(values["region"] or None))


def _render_form(request, values: dict, errors: dict, *, notice: str = "", status: int = 200):
    summary = [
        {"field": name, "message": message}
        for name, messages_ in errors.items()
        for message in messages_
    ]
    context = {
        "values": values,
        "errors": errors,
        "summary": summary,
        "notice": notice,
        "token": _new_token() if notice or not values.get("token") else values["token"],
        "category_options": category_options(),
        "region_groups": region_groups(),
        "notify_choices": Report.Notify.choices,
        "max_screenshots": MAX_SCREENSHOTS,
        "max_mb": images.max_bytes() // (1024 * 1024),
        "accept": ACCEPT,
        "honeypot": HONEYPOT,
        "today": timezone.localdate().isoformat(),
    }
    return render(request, "web/public/report_form.html", context, status=status)


def _too_many(request, limited: intake.RateLimited) -> HttpResponse:
    minutes = max(1, (limited.retry_after_seconds + 59) // 60)
    response = render(request, "web/public/too_many.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(limited.retry_after_seconds)
    return response


@login_not_required
@never_cache  # Back after a sent report fetches a fresh form token, not the spent one
@csrf_exempt  # checked below, after the size check: the body is not read before it
def report_form(request):
    if request.method != "POST":
        return _render_form(request, {"notify": Report.Notify.EMAIL}, {})
    limit = settings.SARING_REPORT_FORM_MAX_MB * 1024 * 1024
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return render(
            request,
            "web/public/too_large.html",
            {"max_mb": settings.SARING_REPORT_FORM_MAX_MB},
            status=413,
        )
    return _submit(request)


@csrf_protect
def _submit(request):
    post = request.POST
    values = _values(post)
    values["token"] = post.get("form_token", "")
    if post.get(HONEYPOT, "").strip():
        # A bot filled the field people cannot see: nothing stored, nothing told.
        logger.info("report form: honeypot filled, nothing stored")
        return render(request, "web/public/thanks.html")
    nonce = _token_nonce(values["token"])
    if nonce is None:
        return _render_form(
            request,
            values,
            {},
            notice=_(
                "This form was open for a long time or has been changed. Your text is kept: "
                "check it, choose the screenshots again and send it once more."
            ),
        )
    errors: dict[str, list[str]] = {}
    files = request.FILES.getlist("screenshots")
    if len(files) > MAX_SCREENSHOTS:
        errors["screenshots"] = [
            _("At most %(n)d screenshots; choose fewer.") % {"n": MAX_SCREENSHOTS}
        ]
    seen_at = _seen_at(values, errors)
    data = intake.ReportInput(
        urls=values["urls"].split(),
        category=values["category"],
        description=values["description"],
        seen_at=seen_at,
        seen_where=values["seen_where"],
        region_code=values["region"],
        reporter_name=values["reporter_name"],
        reporter_email=values["reporter_email"],
        reporter_phone=values["reporter_phone"],
        good_faith=values["good_faith"],
        consent=values["consent"],
        notify=values["notify"],
    )
    receipt = None
    try:
        if errors:  # the form's own errors first, then the service's, all shown together
            intake.validate(data, channel=Report.Channel.PUBLIC)
        else:
            receipt = intake.submit(
                data,
                channel=Report.Channel.PUBLIC,
                address=client_address(request) or "",
                idempotency_key=nonce,
            )
    except intake.IntakeErrors as invalid:
        for error in invalid.errors:
            name = FORM_FIELDS.get(error.field, error.field.split("[")[0])
            errors.setdefault(name, []).append(error.message)
    except intake.RateLimited as limited:
        return _too_many(request, limited)
    if receipt is None:
        return _render_form(request, values, errors, status=400)
    if receipt.created:
        for refusal in _store_screenshots(receipt, files):
            messages.warning(request, refusal)
    return redirect("web:report_receipt", code=receipt.report.tracking_code)


def _store_screenshots(receipt: intake.Receipt, files) -> list[str]:
    """After the report is committed: each image on its own; a refusal is told, never fatal."""
    refusals = []
    for upload in files:
        shown = images.safe_name(upload.name)
        if upload.size > images.max_bytes():
            refusals.append(
                _("%(name)s was not added: it is larger than %(mb)d MB.")
                % {"name": shown, "mb": images.max_bytes() // (1024 * 1024)}
            )
            continue
        try:
            add_screenshot(
                receipt.case, upload.name, upload.read(), report=receipt.report, scope=SYSTEM
            )
        except images.ImageRefused as refused:
            refusals.append(str(refused))
        except Exception:
            logger.exception("screenshot of report %s could not be stored", receipt.report.pk)
            refusals.append(_("%(name)s could not be stored.") % {"name": shown})
    return refusals


def _not_found(request, code: str = "") -> HttpResponse:
    return render(request, "web/public/not_found.html", {"code": code[:40]}, status=404)


@login_not_required
@never_cache
def report_receipt(request, code: str):
    report = intake.find_report(code)
    if report is None:
        return _not_found(request, code)
    return render(request, "web/public/receipt.html", {"report": report})


@login_not_required
def report_lookup(request):
    code = request.GET.get("kode", "").strip()
    if code:
        report = intake.find_report(code)
        if report is not None:
            return redirect("web:report_status", code=report.tracking_code)
        return render(
            request,
            "web/public/status_lookup.html",
            {"code": code[:40], "missing": True},
            status=404,
        )
    return render(request, "web/public/status_lookup.html", {"code": ""})


@login_not_required
@never_cache
def report_status(request, code: str):
    report = intake.find_report(code)
    if report is None:
        return _not_found(request, code)
    if report.tracking_code != code:
        return redirect("web:report_status", code=report.tracking_code)
    note_errors: list[str] = []
    note_text = ""
    if request.method == "POST":
        note_text = request.POST.get("text", "")[:5_000]
        try:
            intake.add_note(report, note_text)
        except intake.IntakeErrors as invalid:
            note_errors = [e.message for e in invalid.errors]
        except intake.RateLimited as limited:
            return _too_many(request, limited)
        else:
            messages.success(request, _("Thank you: your information was added to the report."))
            return redirect(reverse("web:report_status", args=[report.tracking_code]) + "#added")
    context = {
        "report": report,
        "status": intake.public_status(report),
        "category": categories.label(report.category, _language()),
        "notes": report.notes.filter(by_reporter=True),
        "note_errors": note_errors,
        "note_text": note_text,
        "max_note": intake.MAX_NOTE,
    }
    return render(request, "web/public/status.html", context, status=400 if note_errors else 200)


urlpatterns: list = [
    path("lapor/", report_form, name="report_form"),
    path("lapor/terima/<str:code>/", report_receipt, name="report_receipt"),
    path("lapor/status/", report_lookup, name="report_lookup"),
    path("lapor/status/<str:code>/", report_status, name="report_status"),
    # Django's set_language, open to the public (the site's own one is behind the login).
    path("lapor/bahasa/", login_not_required(set_language), name="report_language"),
]
