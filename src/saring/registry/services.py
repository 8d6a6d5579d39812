"""Writing the registry of known accounts: who may, what a valid entry is, and who is told.

Rules (whatever the caller: page, admin, API, import, command; a refusal changes nothing):
- Analysts and administrators of KPU, Bawaslu and Komdigi organisations write (and the system).
  The registry is shared by every body, so the organisation's kind does not matter, its region
  does: a national organisation writes any account; a province or regency/city organisation
  only accounts placed in its own region (never a national one, never a sibling's). Viewers,
  platforms and fact-checkers read only. A refusal is a ScopeError.
- Handles are stored lower case without "@" or a profile-URL prefix; (platform, handle) is
  unique, which is what imports upsert on.
- Official accounts name the body that owns them. Registered campaign accounts (PKPU 15/2023
  Pasal 37-38 as amended by PKPU 20/2023; Pilkada: PKPU 13/2024) name the election and the
  participant; at most 20 active accounts per participant, platform and election; registered
  before the campaign (Pemilu: at least 3 days before its first day; Pilkada: before its first
  day); closed on the campaign's last day at the latest, which is the default. Pilkada's
  campaign ends the day before the quiet period, so "closed before the quiet period" is the
  same bound. A refusal is a ValidationError naming the field, with a code of `reasons`.
- Every write is an audit event; after it commits, `hooks.REGISTRY_CHANGED` hears which
  (platform, handle) pairs changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record
from saring.elections.models import Election, Stage
from saring.kernel import hooks
from saring.regions.models import Province, Regency
from saring.registry.models import KnownAccount
from saring.registry.reasons import describe_reason

LIMIT_PER_PLATFORM = 20
WRITER_KINDS = {"kpu", "bawaslu", "komdigi"}
PLATFORMS = {"tiktok": "TikTok", "instagram": "Instagram", "x": "X", "facebook": "Facebook",
             "youtube": "YouTube", "threads": "Threads"}  # fmt: skip
PLATFORM_ALIASES = {"twitter": "x", "tw": "x", "ig": "instagram", "insta": "instagram",
                    "fb": "facebook", "meta": "facebook", "yt": "youtube", "tt": "tiktok",
                    "tik tok": "tiktok"}  # fmt: skip
HOSTS = {"tiktok.com": "tiktok", "instagram.com": "instagram", "x.com": "x",
         "twitter.com": "x", "facebook.com": "facebook", "fb.com": "facebook",
         "youtube.com": "youtube", "threads.net": "threads", "threads.com": "threads"}  # fmt: skip
# Path segments before the name in a profile URL (youtube.com/c/NAME, /channel/ID, /user/NAME).
URL_PREFIXES = {"c", "channel", "user", "people", "pg"}
HANDLE = re.compile(r"^[\w.\-]{1,200}$")
FIELDS = ("platform", "handle", "display_name", "kind", "body", "participant", "election",
          "registered_on", "closed_on", "url", "notes", "is_active", "organisation",
          "province", "regency")  # fmt: skip
CAMPAIGN_ONLY = ("participant", "election", "registered_on", "closed_on")


@dataclass(frozen=True)
class Window:
    """When an election's campaign accounts are registered and closed."""

    starts_on: date
    ends_on: date
    deadline: date  # last day to register
    basis: str


def error(code: str, **params: Any) -> ValidationError:
    """A refusal with its code (stored by imports) worded in the active language."""
    return ValidationError(gettext(describe_reason.templates[code]), code=code, params=params)


# --- normalising ---------------------------------------------------------------------------


def platform_of(value: str) -> str | None:
    """ "TikTok", "twitter", "IG" → the platform's key; None if unknown."""
    key = " ".join((value or "").strip().lower().split())
    key = PLATFORM_ALIASES.get(key, key)
    return key if key in PLATFORMS else None


def platform_of_url(value: str) -> str | None:
    host = urlsplit(value.strip()).hostname if "://" in (value or "") else None
    if not host:
        return None
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("web.")
    return HOSTS.get(host)


def normalise_handle(value: str) -> str:
    """ "@KPU_RI", "https://www.tiktok.com/@kpu_ri?lang=id", "youtube.com/c/KPURI/" → the
    stored form ("kpu_ri", "kpuri"): lower case, no "@", no URL around it."""
    text = (value or "").strip()
    if "://" in text or re.match(r"^(www\.)?[a-z0-9-]+\.(com|net)/", text, re.IGNORECASE):
        parts = urlsplit(text if "://" in text else f"https://{text}")
        segments = [s for s in parts.path.split("/") if s]
        while segments and segments[0].lower() in URL_PREFIXES:
            segments = segments[1:]
        text = segments[0] if segments else ""
        if text.lower() == "profile.php":  # facebook.com/profile.php?id=N
            text = dict(p.partition("=")[::2] for p in parts.query.split("&")).get("id", "")
    return text.strip().lstrip("@").strip().lower()


def normalise_participant(value: str) -> str:
    return " ".join((value or "").split())


def region_of(code: str | None) -> tuple[str | None, str | None]:
    """ "32" → ("32", None); "32.73" → ("32", "32.73"); "" → national. ValidationError
    (unknown_region) if no such region."""
    code = (code or "").strip()
    if not code:
        return None, None
    if "." in code:
        if not Regency.objects.filter(code=code).exists():
            raise error("unknown_region", value=code)
        return code[:2], code
    if not Province.objects.filter(code=code).exists():
        raise error("unknown_region", value=code)
    return code, None


def campaign_window(election: Election) -> Window | None:
    """The registration window of `election` (or of its round, when a region's race has no
    calendar of its own); None when no campaign stage is known."""
    stage = Stage.objects.filter(election=election, kind=Stage.Kind.CAMPAIGN).first()
    if stage is None and election.parent_id:
        stage = Stage.objects.filter(
            election_id=election.parent_id, kind=Stage.Kind.CAMPAIGN
        ).first()
    if stage is None:
        return None
    if election.kind == Election.Kind.PEMILU:
        # PKPU 15/2023 Pasal 37(2): at the latest 3 days before the campaign starts.
        return Window(stage.starts_on, stage.ends_on, stage.starts_on - timedelta(days=3),
                      "PKPU 15/2023")  # fmt: skip
    # PKPU 13/2024: registered before the campaign, deactivated before the quiet period.
    return Window(stage.starts_on, stage.ends_on, stage.starts_on - timedelta(days=1),
                  "PKPU 13/2024")  # fmt: skip


# --- who may write -------------------------------------------------------------------------


def may_write(scope: Scope) -> bool:
    """Analysts and administrators of KPU, Bawaslu or Komdigi (any kind for the system)."""
    kind_ok = scope.organisation_kind is None or scope.organisation_kind in WRITER_KINDS
    return scope.can("analyst") and kind_ok and scope.role != "none"


def may_place(scope: Scope, province_code: str | None, regency_code: str | None) -> bool:
    """May `scope` write an account placed in this region? (the kind does not matter: the
    registry is shared.)"""
    return may_write(scope) and scope.may_edit(province_code, regency_code, None, role="analyst")


def may_edit(scope: Scope, account: KnownAccount) -> bool:
    return may_place(scope, account.province_id, account.regency_id)


def _require_writer(scope: Scope) -> None:
    if not may_write(scope):
        raise ScopeError(
            _("Only analysts and administrators of KPU, Bawaslu or Komdigi edit known accounts.")
        )


def _require_place(scope: Scope, province: str | None, regency: str | None) -> None:
    if not may_place(scope, province, regency):
        raise ScopeError(gettext(describe_reason.templates["out_of_scope"]))


# --- validating ----------------------------------------------------------------------------


def _values(account: KnownAccount | None) -> dict[str, Any]:
    if account is None:
        return {"display_name": "", "body": "", "participant": "", "election": None,
                "registered_on": None, "closed_on": None, "url": "", "notes": "",
                "is_active": True, "organisation": None, "province": None, "regency": None,
                "platform": "", "handle": "", "kind": ""}  # fmt: skip
    return {
        **{name: getattr(account, name) for name in FIELDS if name not in _FOREIGN},
        **{name: getattr(account, f"{name}_id") for name in _FOREIGN},
    }


_FOREIGN = ("election", "organisation", "province", "regency")


def _id(value: Any) -> Any:
    return getattr(value, "pk", value) if value not in ("", None) else None


def clean(
    fields: dict[str, Any], account: KnownAccount | None = None, cache: dict | None = None
) -> dict[str, Any]:
    """The values `account` (or a new account) would have with `fields` applied, normalised
    and checked; ValidationError({field: error}) otherwise. `region` ("32.73", "32", "") may
    stand for province and regency. Call it inside a transaction: it locks the participant's
    accounts while it counts them."""
    unknown = set(fields) - set(FIELDS) - {"region"}
    if unknown:
        raise TypeError(f"unknown known-account fields: {sorted(unknown)}")
    values = _values(account)
    for name, value in fields.items():
        if name != "region":
            values[name] = _id(value) if name in _FOREIGN else value
    errors: dict[str, ValidationError] = {}
    if "region" in fields:
        try:
            values["province"], values["regency"] = region_of(fields["region"])
        except ValidationError as refused:
            errors["region"] = refused
    elif values["regency"]:
        values["province"] = str(values["regency"])[:2]

    raw_handle = str(values["handle"] or "")
    values["handle"] = normalise_handle(raw_handle)
    raw_platform = str(values["platform"] or "")
    values["platform"] = platform_of(raw_platform) or (
        platform_of_url(raw_handle) if not raw_platform.strip() else None
    )
    if values["platform"] is None:
        errors["platform"] = (
            error("unknown_platform", value=raw_platform, accepted=", ".join(PLATFORMS))
            if raw_platform.strip()
            else error("missing_value")
        )
    if not values["handle"]:
        errors["handle"] = error("missing_value")
    elif not HANDLE.match(values["handle"]):
        errors["handle"] = error("bad_handle", value=raw_handle)
    values["url"] = str(values["url"] or "").strip()
    if not values["url"] and "://" in raw_handle:
        values["url"] = raw_handle.strip()
    if values["url"]:
        try:
            URLValidator(schemes=["http", "https"])(values["url"])
        except ValidationError:
            errors["url"] = error("bad_url", value=values["url"])
    values["display_name"] = " ".join(str(values["display_name"] or "").split())
    values["notes"] = str(values["notes"] or "").strip()
    for name, limit in (("display_name", 300), ("participant", 300), ("url", 500)):
        if len(str(values[name] or "")) > limit:
            errors[name] = error("too_long", limit=limit)

    kind = values["kind"]
    if kind not in KnownAccount.Kind.values:
        errors["kind"] = error("missing_value") if not kind else error("unknown_kind", value=kind)
    elif kind == KnownAccount.Kind.OFFICIAL:
        if not values["body"]:
            errors["body"] = error("body_required")
        elif values["body"] not in KnownAccount.Body.values:
            errors["body"] = error("unknown_body", value=values["body"])
        for name in CAMPAIGN_ONLY:  # an official account has no registration window
            values[name] = "" if name == "participant" else None
    else:
        values["body"] = ""
        _clean_campaign(values, errors, account, {} if cache is None else cache)
    if errors:
        raise ValidationError(errors)
    return values


def _clean_campaign(
    values: dict[str, Any],
    errors: dict[str, ValidationError],
    account: KnownAccount | None,
    cache: dict,
) -> None:
    values["participant"] = normalise_participant(values["participant"])
    if not values["participant"]:
        errors["participant"] = error("participant_required")
    election = None
    if not values["election"]:
        errors["election"] = error("election_required")
    else:
        key = ("election", values["election"])
        if key not in cache:  # an import asks for the same few elections on every row
            found = Election.objects.filter(pk=values["election"]).first()
            cache[key] = (found, campaign_window(found) if found else None)
        election, window = cache[key]
        if election is None:
            errors["election"] = error("unknown_election", value=str(values["election"]))
    if election is None:
        return
    if not values["province"] and election.province_id and "region" not in errors:
        # registered with the KPU office of the race's own level
        values["province"], values["regency"] = election.province_id, election.regency_id
    if window is None:
        errors["election"] = error("no_campaign_stage", election=election.name)
        return
    registered, closed = values["registered_on"], values["closed_on"]
    if registered is None:
        errors.setdefault("registered_on", error("registered_required"))
    elif registered > window.deadline:
        errors["registered_on"] = error(
            "registered_late", value=registered.isoformat(), election=election.name,
            deadline=window.deadline.isoformat(), basis=window.basis,
        )  # fmt: skip
    if closed is None:
        values["closed_on"] = closed = window.ends_on
    if closed > window.ends_on:
        errors["closed_on"] = error(
            "closed_after_campaign", value=closed.isoformat(),
            deadline=window.ends_on.isoformat(), basis=window.basis,
        )  # fmt: skip
    elif registered is not None and closed < registered:
        errors["closed_on"] = error(
            "closed_before_registered", value=closed.isoformat(), registered=registered.isoformat()
        )
    if values["is_active"] and values["participant"] and values["platform"]:
        others = KnownAccount.objects.annotate(participant_key=Lower("participant")).filter(
            participant_key=values["participant"].lower(),
            platform=values["platform"],
            election=election,
            kind=KnownAccount.Kind.CAMPAIGN,
            is_active=True,
        )
        if account is not None and account.pk:
            others = others.exclude(pk=account.pk)
        # Lock the participant's accounts so two writers cannot both take the 20th place.
        if len(list(others.select_for_update().values_list("pk", flat=True))) >= LIMIT_PER_PLATFORM:
            errors["participant"] = error(
                "over_limit", participant=values["participant"], limit=LIMIT_PER_PLATFORM,
                platform=PLATFORMS[values["platform"]], election=election.name,
                basis=window.basis,
            )  # fmt: skip


# --- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    account: KnownAccount
    created: bool
    changed: list[str]  # the fields that changed (every field of a new account)
    pairs: list[tuple[str, str]]  # (platform, handle) before and after, for the hook


def store(
    scope: Scope,
    account: KnownAccount | None,
    fields: dict[str, Any],
    *,
    audit: bool = True,
    locked: bool = False,
    cache: dict | None = None,
) -> Stored:
    """The write behind `save_account` and the import (which audits the file once instead of
    each row and announces the whole registry): checks, saves, no hook. `locked`: the caller
    read `account` with select_for_update in this transaction; `cache`: elections and their
    windows kept from one call to the next (an import's rows)."""
    _require_writer(scope)
    if account is not None:
        if not locked:
            account = KnownAccount.objects.select_for_update().get(pk=account.pk)
        _require_place(scope, account.province_id, account.regency_id)
    values = clean(fields, account, cache)
    _require_place(scope, values["province"], values["regency"])
    if account is None:
        taken = KnownAccount.objects.filter(platform=values["platform"], handle=values["handle"])
        if taken.exists():
            found = error(
                "already_registered", platform=values["platform"], handle=values["handle"]
            )
            raise ValidationError({"handle": found})
        # A campaign account recorded by a KPU office of its own level: registered with it.
        own_level = (scope.province_code, scope.regency_code) == (
            values["province"],
            values["regency"],
        )
        if (
            values["organisation"] is None
            and values["kind"] == KnownAccount.Kind.CAMPAIGN
            and scope.organisation_kind == "kpu"
            and own_level
        ):
            values["organisation"] = scope.organisation_id
    before = _values(account)
    changed = [name for name in FIELDS if before[name] != values[name]]
    pairs = [(values["platform"], values["handle"])]
    if account is not None and (account.platform, account.handle) != pairs[0]:
        pairs.insert(0, (account.platform, account.handle))
    if account is not None and not changed:
        return Stored(account, False, [], [])
    target = account or KnownAccount()
    for name in FIELDS:
        setattr(target, f"{name}_id" if name in _FOREIGN else name, values[name])
    target.updated_by_id = scope.user_id
    target.save()
    if audit:
        record(
            scope,
            Action.KNOWN_ACCOUNT_SAVED,
            target,
            details={"created": account is None, "kind": target.kind, "changed": changed},
        )
    return Stored(target, account is None, changed, pairs)


def announce(pairs: list[tuple[str, str]] | None) -> None:
    """Tell `hooks.REGISTRY_CHANGED` once the surrounding transaction commits (a failing hook
    is logged by Django and does not undo the write)."""
    for hook in list(hooks.REGISTRY_CHANGED):
        transaction.on_commit(partial(hook, pairs), robust=True)


@transaction.atomic
def save_account(scope: Scope, account: KnownAccount | None = None, **fields: Any) -> KnownAccount:
    """Create (`account` None) or edit a known account (see the module's rules). Fields not
    given keep their value; `region` ("32.73") may stand for province and regency."""
    stored = store(scope, account, fields)
    if stored.pairs:
        announce(stored.pairs)
    return stored.account


@transaction.atomic
def deactivate_account(scope: Scope, account: KnownAccount, reason: str) -> KnownAccount:
    """Mark an account inactive (closed, handed over, no longer the body's), with the reason in
    the audit trail; it frees a place under the limit of 20."""
    _require_writer(scope)
    account = KnownAccount.objects.select_for_update().get(pk=account.pk)
    _require_place(scope, account.province_id, account.regency_id)
    if not (reason or "").strip():
        raise ValidationError({"reason": error("missing_value")})
    if account.is_active:
        account.is_active = False
        account.updated_by_id = scope.user_id
        account.save(update_fields=["is_active", "updated_by", "updated_at"])
        record(
            scope,
            Action.KNOWN_ACCOUNT_DEACTIVATED,
            account,
            from_state="active",
            to_state="inactive",
            reason=reason.strip(),
        )
        announce([(account.platform, account.handle)])
    return account
