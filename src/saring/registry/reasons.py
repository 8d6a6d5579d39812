"""Why a known account is refused, in the reader's language: one catalogue for the form
errors, the import's quarantine and the command line (codes are stored, words are not)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from saring.kernel.wording import Wording

describe_reason = Wording(
    {
        "missing_value": gettext_noop("The value is missing."),
        "too_long": gettext_noop("The value is longer than %(limit)s characters."),
        "unknown_platform": gettext_noop("Unknown platform “%(value)s” (accepted: %(accepted)s)."),
        "bad_handle": gettext_noop("“%(value)s” is not an account handle or a profile URL."),
        "unknown_kind": gettext_noop(
            "Unknown kind “%(value)s” (official/resmi or campaign/kampanye)."
        ),
        "unknown_body": gettext_noop(
            "Unknown body “%(value)s” (KPU, Bawaslu, Komdigi, DKPP or other/lainnya)."
        ),
        "body_required": gettext_noop(
            "An official account needs the body that owns it (KPU, Bawaslu, Komdigi…)."
        ),
        "election_required": gettext_noop(
            "A campaign account needs the election it is registered for."
        ),
        "unknown_election": gettext_noop(
            "No election with the id “%(value)s” (for example pemilu.2024-02-14)."
        ),
        "no_campaign_stage": gettext_noop(
            "The calendar of %(election)s has no campaign stage, so its registration window "
            "is unknown."
        ),
        "participant_required": gettext_noop(
            "A campaign account needs the participant (party, candidate pair or candidate) "
            "who registered it."
        ),
        "over_limit": gettext_noop(
            "%(participant)s already has %(limit)s active campaign accounts on %(platform)s for "
            "%(election)s: at most %(limit)s per platform (%(basis)s)."
        ),
        "registered_required": gettext_noop(
            "A campaign account needs the date it was registered with the KPU."
        ),
        "registered_late": gettext_noop(
            "Registered on %(value)s: campaign accounts for %(election)s must be registered by "
            "%(deadline)s (%(basis)s)."
        ),
        "closed_after_campaign": gettext_noop(
            "Closed on %(value)s, after the campaign's last day (%(deadline)s): campaign "
            "accounts close by then (%(basis)s)."
        ),
        "closed_before_registered": gettext_noop(
            "Closed on %(value)s, before it was registered (%(registered)s)."
        ),
        "unreadable_date": gettext_noop(
            "The date “%(value)s” is impossible or unreadable: write YYYY-MM-DD or DD/MM/YYYY."
        ),
        "unknown_region": gettext_noop(
            "No region with the code “%(value)s” (a Kemendagri code such as 32 or 32.73; "
            "empty for national)."
        ),
        "bad_url": gettext_noop("The URL “%(value)s” must start with http:// or https://."),
        "duplicate_in_file": gettext_noop(
            "The same account (%(platform)s @%(handle)s) is already on line %(line)s of this file."
        ),
        "out_of_scope": gettext_noop(
            "This account belongs to another region; your organisation cannot change it."
        ),
        "already_registered": gettext_noop(
            "%(platform)s @%(handle)s is already in the registry: edit that entry instead."
        ),
        "not_an_object": gettext_noop(
            "The fixed row must be a JSON object of column names and values."
        ),
    }
)
