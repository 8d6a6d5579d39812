"""The demo's broadcasts: one recipient list of fictitious numbers and one draft SMS broadcast.

`build_demo_broadcasts()` (called by `saring demo` after the guide) imports ~200 numbers of the
form +62 812-0000-xxxx (a block no operator has issued; written in the ways real lists write
them: 0812…, 62812…, +62 812-…) spread over five regencies of Jawa Barat, Garut (32.05) and
Kota Bandung (32.73) among them, plus a few malformed rows so the import quarantine shows what
it rejects and why, one duplicate and one number that answered STOP. It goes through the
broadcasts' own services as `analis.jabar` (KPU Provinsi Jawa Barat), and composes a draft SMS
to Garut's recipients about the demo re-vote announcement. Nothing is sent: the draft waits
for an officer. Idempotent: a second run finds the list and the draft and adds nothing.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from saring.accounts.scope import SYSTEM, scope_for
from saring.broadcasts.models import Broadcast, Channel, RecipientList
from saring.broadcasts.services import compose, recipients
from saring.guide.models import Entry
from saring.kernel.address import public_url

LIST_NAME = "Demo: pemilih Jawa Barat (nomor fiktif)"
BROADCAST_TITLE = "Demo: PSU TPS 012 Desa Sukamaju, Kabupaten Garut"
FILE_NAME = "demo-pemilih-jabar.csv"
OWNER = "analis.jabar"
# regency code -> how many of the 200 numbers live there
SPREAD = (("32.05", 60), ("32.73", 60), ("32.04", 30), ("32.02", 25), ("32.06", 25))
STOPPED = "+6281200000007"  # one demo number that answered STOP to an earlier message
# Rows the import must refuse, each for its own reason (line numbers follow the good rows).
MALFORMED = (
    ("nomor belum ada", "32", "32.05"),  # no number at all
    ("12345", "32", "32.73"),  # too short
    ("+1 202 555 0100", "32", "32.73"),  # not an Indonesian number
    ("022-2500000", "32", "32.73"),  # a Bandung landline: no SMS
    ("0812-0000-0999", "32", "35.78"),  # a regency outside the province (Surabaya)
    ("0812-0000-0998", "32", "32.99"),  # no such regency
)


@dataclass
class Result:
    list_id: int | None = None
    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    opted_out_present: int = 0
    broadcast_id: int | None = None
    created: bool = False


def _written(n: int) -> str:
    """The n-th demo number, written as people write numbers (normalised on import)."""
    digits = f"{n:04d}"
    forms = (f"0812-0000-{digits}", f"62812 0000 {digits}", f"+62 812-0000-{digits}",
             f"0812 0000 {digits}")  # fmt: skip
    return forms[n % len(forms)]


def demo_csv() -> str:
    """The demo list as a CSV text (semicolons, as spreadsheets in Indonesia export)."""
    lines = ["nomor;provinsi;kabupaten"]
    n = 0
    for regency, count in SPREAD:
        for _ in range(count):
            n += 1
            lines.append(f"{_written(n)};32;{regency}")
    lines.append(f"{_written(1)};32;32.05")  # the first number again: a duplicate, not an error
    lines.extend(";".join(row) for row in MALFORMED)
    return "\n".join(lines) + "\n"


def sms_text() -> str:

    base = public_url()
    return (
        "KPU Kab. Garut (demo): pemungutan suara ulang di TPS 012 Desa Sukamaju, "
        f"07.00-13.00 WIB. Bawa KTP-el. Info: {base}/panduan/ Balas STOP untuk berhenti."
    )


def build_demo_broadcasts(out=None) -> Result:
    """The demo list (with its quarantine and one opt-out) and one draft broadcast."""

    def say(message: str) -> None:
        if out is not None:
            out.write(message)

    owner = scope_for(get_user_model().objects.get(username=OWNER))
    result = Result()
    recipient_list = RecipientList.objects.filter(name=LIST_NAME).first()
    if recipient_list is None:
        recipient_list = recipients.create_list(
            owner,
            LIST_NAME,
            description="Nomor +62 812-0000-xxxx fiktif untuk demo; tidak ada pesan yang dikirim.",
            province="32",
        )
        # The STOP arrives as the gateway's callback would deliver it (the system acting).
        recipients.opt_out(SYSTEM, Channel.SMS, STOPPED, "sms:STOP")
        imported = recipients.import_csv(
            owner, recipient_list, io.BytesIO(demo_csv().encode("utf-8")), FILE_NAME
        )
        result.imported, result.rejected = imported.imported, imported.rejected
        result.duplicates = imported.duplicates
        result.opted_out_present = imported.opted_out_present
    result.list_id = recipient_list.pk

    broadcast = Broadcast.objects.filter(title=BROADCAST_TITLE).first()
    if broadcast is None:
        announcement = Entry.objects.filter(kind="announcement", slug="psu-tps-garut").first()
        broadcast = compose.save_broadcast(
            owner,
            title=BROADCAST_TITLE,
            text=sms_text(),
            channel=Channel.SMS,
            lists=[recipient_list],
            target_province="32",
            target_regency="32.05",
            rate_per_second=20,
            announcement_id=announcement.pk if announcement else None,
        )
        result.created = True
    result.broadcast_id = broadcast.pk
    say(
        f"Broadcasts: the list “{LIST_NAME}” ({recipient_list.recipients.count()} numbers, "
        f"{recipient_list.rejected_rows.count()} rows in quarantine) and a draft SMS to "
        "Kabupaten Garut; nothing is sent until an officer sends it."
    )
    return result
