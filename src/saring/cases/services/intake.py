"""Intake: a report from the public form, a partner's API call or an officer becomes a Report
on exactly one Case per piece of content, and the public tracking page reads it back.

Rules, in the order `submit` applies them:
1. a replay (the same idempotency key) returns the first answer, before anything else;
2. validation collects every field's error (`IntakeErrors`), each naming its field;
3. rate limits, counted from stored reports by keyed hashes (no address is ever stored);
4. one transaction: the case that holds any of the URLs (followed through merges) gets the
   report, or a new case is opened; the audit trail records both;
5. after commit only: the receipt message (`notify.report_received`). Screenshots are the
   caller's work after `submit` returns, so a refused image never costs the report.

Personal data (name, e-mail, phone) stays on the Report row: it is not logged, not audited and
not part of any public answer.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saring.accounts.scope import SYSTEM, Scope
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.audit.services import record
from saring.cases import categories, deadlines
from saring.cases.models import Case, Decision, Report, ReportNote
from saring.cases.services import notify
from saring.cases.services.items import add_items, existing_case, live_case
from saring.cases.services.offices import handling_office, placement, regime_at
from saring.regions.models import Province, Regency
from saring.sources import links

logger = logging.getLogger("saring.cases.intake")

MAX_URLS = 10
MAX_DESCRIPTION = 5_000
MAX_NOTE = 2_000
MAX_SEEN_WHERE = 300
MAX_NAME = 200
MAX_URL = 2_000
CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock a little ahead is not "the future"

# Limits (settings, see docs/operator.md): (setting, default, window).
ADDRESS_LIMITS = (
    ("SARING_REPORTS_PER_ADDRESS_10_MIN", 5, timedelta(minutes=10)),
    ("SARING_REPORTS_PER_ADDRESS_DAY", 20, timedelta(days=1)),
)
CONTACT_LIMITS = (("SARING_REPORTS_PER_CONTACT_DAY", 10, timedelta(days=1)),)
PARTNER_LIMITS = (("SARING_REPORTS_PER_PARTNER_HOUR", 0, timedelta(hours=1)),)  # 0: no limit
NOTE_LIMITS = (("SARING_REPORT_NOTES_PER_DAY", 10, timedelta(days=1)),)

# Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand stays unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PREFIX = "LP-"
CODE_LENGTH = 8  # 40 bits: not guessable at the rate limits above

# LinkError codes (saring.sources.links is pure Python, so its messages are not translated).
LINK_REASONS = {
    "empty": lambda: _("the address is empty."),
    "not_a_url": lambda: _("this is not a web address."),
    "scheme": lambda: _("only web addresses (http or https) can be reported."),
    "too_long": lambda: _("the address is too long."),
}

ORIGIN_OF_CHANNEL = {
    Report.Channel.PUBLIC: Case.Origin.PUBLIC,
    Report.Channel.PARTNER: Case.Origin.PARTNER,
    Report.Channel.OFFICER: Case.Origin.OFFICER,
    Report.Channel.AUTOMATIC: Case.Origin.AUTOMATIC,
}


@dataclass
class ReportInput:
    urls: list[str] = field(default_factory=list)
    category: str = ""
    description: str = ""
    seen_at: datetime | None = None
    seen_where: str = ""
    region_code: str = ""  # a province ("32") or a regency ("32.73")
    reporter_name: str = ""
    reporter_email: str = ""
    reporter_phone: str = ""
    good_faith: bool = False
    consent: bool = False
    notify: str = ""  # Report.Notify; empty: e-mail if given, else SMS if a phone, else none


@dataclass(frozen=True)
class IntakeError:
    field: str  # "urls[0]", "category", "reporter_email", …
    code: str
    message: str


class IntakeErrors(ValueError):
    """Every invalid field of one submission."""

    def __init__(self, errors: list[IntakeError]):
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))
        self.errors = errors

    def by_field(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(error.field, []).append(error.message)
        return grouped


class RateLimited(Exception):
    def __init__(self, retry_after_seconds: int):
        super().__init__(f"rate limited, retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


@dataclass(frozen=True)
class Receipt:
    report: Report
    case: Case
    attached_to_existing: bool
    created: bool  # False: an idempotent replay of an earlier submission


# ---------------------------------------------------------------------------------------------
# Hashes and codes


def fingerprint(kind: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with the secret key): equal for equal values, not reversible
    without the key (a plain hash of an IPv4 address falls to trying all four billion)."""
    if not value:
        return ""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def new_tracking_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


_CROCKFORD_READS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def normalise_code(raw: str) -> str:
    """What a person typed (any case, spaces or dashes, O for 0) as the stored code."""
    text = re.sub(r"[\s\-_.]+", "", (raw or "").upper())
    if text.startswith("LP") and len(text) == len("LP") + CODE_LENGTH:
        return CODE_PREFIX + text[2:].translate(_CROCKFORD_READS)
    return (raw or "").strip().upper()


def find_report(raw_code: str) -> Report | None:
    code = normalise_code(raw_code)
    if not code or len(code) > 20:
        return None
    report = Report.objects.filter(tracking_code=code).select_related("case").first()
    if report is None and code != (raw_code or "").strip().upper():
        report = Report.objects.filter(tracking_code=(raw_code or "").strip().upper()).first()
    return report


def _stored_key(channel: str, scope: Scope | None, key: str | None) -> str | None:
    """Idempotency keys are namespaced: a partner's key can never return another's report."""
    if not key:
        return None
    if channel == Report.Channel.PUBLIC:
        namespace = "f"
    else:
        namespace = f"{channel[:1]}{scope.organisation_id or 0}" if scope else channel[:1]
    stored = f"{namespace}:{key}"
    if len(stored) > 100:
        stored = f"{namespace}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return stored


# ---------------------------------------------------------------------------------------------
# Validation


@dataclass
class _Clean:
    contents: list[links.Content]
    urls: list[str]
    province_code: str | None
    regency_code: str | None
    email: str
    phone: str
    notify: str
    seen_at: datetime | None


def normalise_phone(raw: str) -> str:
    """E.164 (+62…) or ValueError; numbers without a country code are read as Indonesian."""
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(exc)) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1)
def _regions() -> tuple[frozenset[str], dict[str, str]]:
    """Province codes and regency -> province: official data, loaded once per process."""
    provinces = frozenset(Province.objects.values_list("code", flat=True))
    return provinces, dict(Regency.objects.values_list("code", "province_id"))


def _region(code: str) -> tuple[str | None, str | None] | None:
    code = (code or "").strip()
    if not code:
        return None, None
    provinces, regencies = _regions()
    if not provinces:  # an empty cache (regions loaded after the first call): ask again
        _regions.cache_clear()
        provinces, regencies = _regions()
    if "." in code:
        province = regencies.get(code)
        return (province, code) if province else None
    return (code, None) if code in provinces else None


_CATEGORIES: tuple[float, frozenset[str]] = (0.0, frozenset())
_CATEGORIES_SECONDS = 60.0  # an admin's edit of the taxonomy is seen within a minute


def _known_category(code: str) -> bool:
    """Cached; an unknown code re-reads the taxonomy once, so a new category works at once."""
    global _CATEGORIES
    loaded_at, codes = _CATEGORIES
    fresh = time.monotonic() - loaded_at <= _CATEGORIES_SECONDS
    if code in codes and fresh:
        return True
    codes = frozenset(categories.codes())
    _CATEGORIES = (time.monotonic(), codes)
    return code in codes


def validate(data: ReportInput, *, channel: str) -> _Clean:
    errors: list[IntakeError] = []
    public = channel == Report.Channel.PUBLIC

    def error(name: str, code: str, message: str) -> None:
        errors.append(IntakeError(name, code, message))

    urls = [u.strip() for u in (data.urls or []) if u and u.strip()]
    contents: list[links.Content] = []
    if not urls:
        error("urls", "required", _("Give at least one address (URL) of the content."))
    elif len(urls) > MAX_URLS:
        error(
            "urls",
            "too_many",
            _("At most %(n)d addresses in one report; send the rest in another.") % {"n": MAX_URLS},
        )
    else:
        for i, url in enumerate(urls):
            if len(url) > MAX_URL:
                error(f"urls[{i}]", "too_long", _("This address is too long."))
                continue
            try:
                contents.append(links.canonicalise(url))
            except links.LinkError as exc:
                reason = LINK_REASONS[exc.code]() if exc.code in LINK_REASONS else str(exc)
                error(
                    f"urls[{i}]",
                    exc.code,
                    _("“%(url)s” cannot be used: %(reason)s")
                    % {"url": url[:200], "reason": reason},
                )

    if not _known_category(data.category):
        error("category", "invalid", _("Choose what is wrong with the content."))

    description = data.description or ""
    if public and not description.strip():
        error("description", "required", _("Describe what you saw and why it is wrong."))
    elif len(description) > MAX_DESCRIPTION:
        error(
            "description",
            "too_long",
            _("The description is too long: at most %(n)d characters.") % {"n": MAX_DESCRIPTION},
        )
    if len(data.seen_where or "") > MAX_SEEN_WHERE:
        error("seen_where", "too_long", _("At most %(n)d characters.") % {"n": MAX_SEEN_WHERE})
    if len(data.reporter_name or "") > MAX_NAME:
        error("reporter_name", "too_long", _("At most %(n)d characters.") % {"n": MAX_NAME})

    seen_at = data.seen_at
    if seen_at is not None:
        if timezone.is_naive(seen_at):
            seen_at = timezone.make_aware(seen_at)
        if seen_at > timezone.now() + CLOCK_SKEW:
            error("seen_at", "future", _("This time is in the future."))

    region = _region(data.region_code)
    if region is None:
        error("region_code", "unknown", _("There is no province or regency with this code."))
        region = (None, None)

    email = (data.reporter_email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("reporter_email", "invalid", _("This is not an e-mail address."))
    phone = (data.reporter_phone or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError:
            error(
                "reporter_phone", "invalid", _("This is not a phone number, e.g. 0812 3456 7890.")
            )
    if public and not email and not phone:
        error(
            "reporter_email",
            "contact_required",
            _("Give an e-mail address or a phone number, so that we can tell you what happens."),
        )

    notify_by = data.notify or (
        Report.Notify.EMAIL if email else Report.Notify.SMS if phone else Report.Notify.NONE
    )
    if notify_by not in Report.Notify.values:
        error("notify", "invalid", _("Choose how you want to be told."))
    # A medium without its contact falls back to the one given (the form's default is e-mail;
    # a reporter who gave only a phone should not be sent back for that).
    elif notify_by == Report.Notify.EMAIL and not email:
        notify_by = Report.Notify.SMS if phone else Report.Notify.NONE
    elif notify_by == Report.Notify.SMS and not phone:
        notify_by = Report.Notify.EMAIL if email else Report.Notify.NONE

    if data.good_faith is not True:
        error(
            "good_faith",
            "required",
            _("Confirm that the report is accurate and made in good faith."),
        )
    if public and data.consent is not True:
        error(
            "consent",
            "required",
            _("Agree to the handling of your personal data to send a report."),
        )
    if errors:
        raise IntakeErrors(errors)
    return _Clean(contents, urls, region[0], region[1], email, phone, notify_by, seen_at)


# ---------------------------------------------------------------------------------------------
# Rate limits


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _check(rows, limits, now: datetime) -> None:
    """RateLimited when `rows` (dated by created_at) reach a limit; Retry-After is when the
    oldest row that counts leaves the window."""
    wait = 0
    for name, default, window in limits:
        limit = _limit(name, default)
        if limit <= 0:
            continue
        times = list(
            rows.filter(created_at__gte=now - window)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            wait = max(wait, int((times[-1] + window - now).total_seconds()) + 1)
    if wait:
        raise RateLimited(max(wait, 1))


def check_rate(
    *, channel: str, address_hash: str, contact_hashes: list[str], scope: Scope | None
) -> None:
    now = timezone.now()
    reports = Report.objects.all()
    if channel == Report.Channel.PARTNER:
        # Partners are trusted and revocable: counted per organisation only, and by default
        # not at all (SARING_REPORTS_PER_PARTNER_HOUR=0).
        if scope and scope.organisation_id:
            _check(reports.filter(organisation_id=scope.organisation_id), PARTNER_LIMITS, now)
        return
    if channel != Report.Channel.PUBLIC:
        return
    if address_hash:
        _check(reports.filter(address_hash=address_hash), ADDRESS_LIMITS, now)
    if contact_hashes:
        _check(reports.filter(contact_hash__in=contact_hashes), CONTACT_LIMITS, now)


# ---------------------------------------------------------------------------------------------
# Submit


def _title(description: str, first_url: str) -> str:
    words = (description or "").split()
    if not words:
        return first_url[:300]
    title = " ".join(words[:12])
    return title if len(words) <= 12 and len(title) <= 120 else title[:117].rstrip() + "…"


def _replay(stored_key: str) -> Receipt | None:
    report = Report.objects.filter(idempotency_key=stored_key).select_related("case").first()
    if report is None:
        return None
    attached = Report.objects.filter(first_case_id=report.first_case_id, pk__lt=report.pk).exists()
    return Receipt(report, live_case(report.case), attached, created=False)


def submit(
    data: ReportInput,
    *,
    channel: str,
    scope: Scope | None = None,
    address: str = "",
    idempotency_key: str | None = None,
) -> Receipt:
    """Store one report (see the module's docstring for the order of the rules). Raises
    IntakeErrors or RateLimited; otherwise the report is committed when this returns."""
    stored_key = _stored_key(channel, scope, idempotency_key)
    if stored_key and (replay := _replay(stored_key)):
        return replay
    clean = validate(data, channel=channel)
    address_hash = fingerprint("address", address)
    # The phone first: it is what is stored (one hash a row), and a number costs more to
    # change than an e-mail address; the check counts rows matching either.
    contact_hashes = [
        h
        for h in (fingerprint("phone", clean.phone), fingerprint("email", clean.email.lower()))
        if h
    ]
    check_rate(
        channel=channel, address_hash=address_hash, contact_hashes=contact_hashes, scope=scope
    )
    for attempt in range(3):
        try:
            receipt = _store(data, clean, channel, scope, address_hash, contact_hashes, stored_key)
            break
        except IntegrityError:
            # A concurrent twin: the same key (answer with its receipt) or the same new content
            # (the retry finds the case it opened and attaches).
            if stored_key and (replay := _replay(stored_key)):
                return replay
            if attempt == 2:
                raise
    logger.info(
        "report %s stored on case %s (channel %s, attached %s)",
        receipt.report.pk,
        receipt.case.pk,
        channel,
        receipt.attached_to_existing,
    )
    return receipt


@transaction.atomic
def _store(
    data: ReportInput,
    clean: _Clean,
    channel: str,
    scope: Scope | None,
    address_hash: str,
    contact_hashes: list[str],
    stored_key: str | None,
) -> Receipt:
    acting = scope or SYSTEM
    now = timezone.now()
    user_id = scope.user_id if scope else None
    case = existing_case(clean.contents)
    attached = case is not None
    if case is None:
        office = handling_office(clean.province_code, clean.regency_code)
        regime = regime_at(office.province_code, office.regency_code, clean.seen_at or now)
        case = Case(
            title=_title(data.description, clean.urls[0]),
            state=Case.State.RECEIVED,
            origin=ORIGIN_OF_CHANNEL.get(channel, Case.Origin.PUBLIC),
            category=data.category,
            summary=(data.description or "")[:MAX_DESCRIPTION],
            **placement(office, regime),
            discovered_at=clean.seen_at,
            created_by_id=user_id,
        )
        # Registered now: the follow-up runs from this moment (one INSERT, no UPDATE after).
        case.follow_up_due = deadlines.follow_up_due(case.regime, now, zone=deadlines.zone_of(case))
        case.save(force_insert=True)
        record(
            acting,
            Action.CASE_OPENED,
            case,
            to_state=case.state,
            details={"origin": case.origin, "category": case.category, "channel": channel},
        )
    elif clean.seen_at and (case.discovered_at is None or clean.seen_at < case.discovered_at):
        case.discovered_at = clean.seen_at
        case.save(update_fields=["discovered_at", "updated_at"])
    added, _taken = add_items(case, clean.contents, by=None)
    late = False
    if clean.seen_at:
        end = deadlines.report_window_end(case.regime, clean.seen_at, zone=deadlines.zone_of(case))
        late = end is not None and now > end
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a code collision retries cleanly
                report = Report.objects.create(
                    case=case,
                    first_case=case,
                    tracking_code=new_tracking_code(),
                    channel=channel,
                    organisation_id=scope.organisation_id if scope else None,
                    submitted_by_id=user_id,
                    urls=clean.urls,
                    category=data.category,
                    description=data.description or "",
                    seen_at=clean.seen_at,
                    seen_where=(data.seen_where or "").strip(),
                    province_id=clean.province_code,
                    regency_id=clean.regency_code,
                    reporter_name=(data.reporter_name or "").strip(),
                    reporter_email=clean.email,
                    reporter_phone=clean.phone,
                    good_faith=bool(data.good_faith),
                    consent=bool(data.consent),
                    notify=clean.notify,
                    late=late,
                    address_hash=address_hash,
                    contact_hash=contact_hashes[0] if contact_hashes else "",
                    idempotency_key=stored_key,
                )
            break
        except IntegrityError:
            if stored_key and Report.objects.filter(idempotency_key=stored_key).exists():
                raise
    else:  # pragma: no cover - 2^40 codes; five collisions in a row is a broken RNG
        raise RuntimeError("could not find a free tracking code")
    record(
        acting,
        Action.REPORT_RECEIVED,
        report,
        details={
            "case": case.pk,
            "attached": attached,
            "channel": channel,
            "items_added": len(added),
            "late": late,
        },
    )
    transaction.on_commit(lambda: _send_receipt(report))
    return Receipt(report, case, attached, created=True)


def _send_receipt(report: Report) -> None:
    """After commit: a failing mailer must not turn a stored report into an error page."""
    try:
        notify.report_received(report)
    except Exception:
        logger.exception("receipt for report %s could not be queued", report.pk)


# ---------------------------------------------------------------------------------------------
# The reporter's side: public status and added information

PUBLIC_STATES: dict[str, tuple[object, object]] = {
    "draft": (
        gettext_lazy("Received"),
        gettext_lazy("Your report has been received and waits for an officer to check it."),
    ),
    "received": (
        gettext_lazy("Received"),
        gettext_lazy("Your report has been received and waits for an officer to check it."),
    ),
    "triaged": (
        gettext_lazy("Checked by an officer"),
        gettext_lazy("An officer has checked the report and decides what to do next."),
    ),
    "reopened": (
        gettext_lazy("Being checked again"),
        gettext_lazy("The report is being looked at again."),
    ),
    "escalated": (
        gettext_lazy("Sent to the platform"),
        gettext_lazy(
            "The content was sent to the platform or the ministry; we wait for their answer."
        ),
    ),
    "answered": (
        gettext_lazy("The platform answered"),
        gettext_lazy("The platform has answered; the outcome is shown below."),
    ),
    "appealed": (
        gettext_lazy("Answer disputed"),
        gettext_lazy("The platform's answer is disputed and being followed up."),
    ),
    "closed": (gettext_lazy("Finished"), gettext_lazy("Handling of this report is finished.")),
    "rejected": (
        gettext_lazy("Not followed up"),
        gettext_lazy("The report was checked and is not followed up; the reason is below."),
    ),
}


@dataclass(frozen=True)
class Step:
    at: datetime
    state: str
    label: str


@dataclass(frozen=True)
class PublicStatus:
    tracking_code: str
    state: str
    state_label: str
    explanation: str
    outcome: str  # the code ("removed", …) or "" before an answer
    outcome_label: str
    reason: str  # the reason told to the reporter, once triage has given one
    updated_at: datetime
    received_at: datetime
    timeline: list[Step]


def _state_words(state: str) -> tuple[str, str]:
    label, explanation = PUBLIC_STATES.get(state, PUBLIC_STATES["received"])
    return str(label), str(explanation)


def public_status(report: Report) -> PublicStatus:
    """What the holder of the tracking code may see: the case's state, outcome and the dates
    of its public moves. No names, no other reports, no officer's notes."""
    case = live_case(report.case)
    state = case.state if case.state != Case.State.MERGED else Case.State.RECEIVED
    label, explanation = _state_words(state)
    outcome = case.outcome or ""
    outcome_label = str(dict(Decision.Visibility.choices).get(outcome, outcome))
    events = AuditEvent.objects.filter(
        subject_type="cases.case", subject_id=str(case.pk), at__gte=report.created_at
    ).exclude(to_state="")
    steps = [Step(report.created_at, "received", _state_words("received")[0])]
    for at, to_state in events.order_by("seq").values_list("at", "to_state"):
        if to_state in PUBLIC_STATES and to_state not in {"draft", steps[-1].state}:
            steps.append(Step(at, to_state, _state_words(to_state)[0]))
    reason = case.validity_reason if case.is_valid is not None else ""
    return PublicStatus(
        tracking_code=report.tracking_code,
        state=state,
        state_label=label,
        explanation=explanation,
        outcome=outcome,
        outcome_label=outcome_label,
        reason=reason,
        updated_at=max(case.updated_at, report.created_at),
        received_at=report.created_at,
        timeline=steps,
    )


def add_note(report: Report, text: str) -> ReportNote:
    """More information from the reporter. No message goes back to the reporter for it; the
    audit trail records that (not what) information was added."""
    text = (text or "").strip()
    if not text:
        raise IntakeErrors([IntakeError("text", "required", _("Write the information to add."))])
    if len(text) > MAX_NOTE:
        raise IntakeErrors(
            [IntakeError("text", "too_long", _("At most %(n)d characters.") % {"n": MAX_NOTE})]
        )
    _check(ReportNote.objects.filter(report=report, by_reporter=True), NOTE_LIMITS, timezone.now())
    with transaction.atomic():
        note = ReportNote.objects.create(report=report, text=text, by_reporter=True)
        record(
            SYSTEM,
            Action.REPORT_NOTE_ADDED,
            report,
            details={"case": report.case_id, "chars": len(text)},
        )
    return note
