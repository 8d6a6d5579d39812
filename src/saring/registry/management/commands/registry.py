"""`saring registry import FILE [--as USERNAME] | list [--kind K] [--json] | retry ID`.

The known accounts from the command line. Commands act as the system (a national
administrator) unless `--as` names a user, whose scope then applies exactly as on the page.
`retry` re-runs a quarantined row (its id is printed by `import`), as stored or fixed with
`--set COLUMN=VALUE` (repeatable) or `--json '{"akun": …}'`."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from saring.accounts.scope import SYSTEM, Scope, ScopeError, scope_for
from saring.registry import imports
from saring.registry.models import KnownAccount, QuarantinedAccountRow
from saring.registry.querysets import AccountFilter, accounts


class Command(BaseCommand):
    help = "Import, list and re-run known accounts (official and registered campaign accounts)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="import|list|retry")
        load = actions.add_parser("import", help="Read a CSV or XLSX file into the registry.")
        load.add_argument("file")
        load.add_argument("--as", dest="username", help="Act as this user (default: system).")
        load.add_argument("--json", action="store_true", help="One JSON object as output.")

        listing = actions.add_parser("list", help="The active known accounts.")
        listing.add_argument("--kind", choices=KnownAccount.Kind.values)
        listing.add_argument("--platform")
        listing.add_argument("--json", action="store_true", help="A JSON array as output.")

        retry = actions.add_parser("retry", help="Re-run a quarantined row, as stored or fixed.")
        retry.add_argument("id", type=int, help="The quarantined row's id.")
        retry.add_argument(
            "--set", action="append", default=[], metavar="COLUMN=VALUE", help="Fix a cell."
        )
        retry.add_argument("--json", dest="fixed", help="The whole fixed row as a JSON object.")
        retry.add_argument("--as", dest="username", help="Act as this user (default: system).")

    def handle(self, *args, action: str, **options):
        translation.activate("en")  # the command line speaks English, like the other commands
        getattr(self, f"_{action}")(**options)

    def _scope(self, username: str | None) -> tuple[Scope, object]:
        if not username:
            return SYSTEM, None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        return scope_for(user), user

    def _import(self, *, file: str, username: str | None, json: bool, **options) -> None:
        scope, user = self._scope(username)
        try:
            run = imports.import_file(scope, file, user=user)
        except (imports.ImportFailed, ScopeError) as failure:
            raise CommandError(getattr(failure, "message", str(failure))) from None
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        rows = list(run.rows.filter(status=QuarantinedAccountRow.Status.OPEN))
        counts = {
            name: getattr(run, name)
            for name in ("read", "created", "updated", "unchanged", "quarantined")
        }
        if json:
            quarantined = [
                {"id": r.id, "line": r.line, "field": r.field, "reason": r.reason_code,
                 "message": imports.reason_text(r)}
                for r in rows
            ]  # fmt: skip
            self.stdout.write(_dumps({"import": run.id, **counts, "rows": quarantined}))
            return
        self.stdout.write(
            f"import #{run.id} {run.file_name}: "
            + ", ".join(f"{value} {name}" for name, value in counts.items())
        )
        for r in rows:
            self.stdout.write(
                f"  row #{r.id} line {r.line} [{r.field}] {r.reason_code}: {imports.reason_text(r)}"
            )
        if rows:
            self.stdout.write("fix a row with: saring registry retry ID --set COLUMN=VALUE")

    def _list(self, *, kind: str | None, platform: str | None, json: bool, **options) -> None:
        items = accounts(AccountFilter(kind=kind or "", platform=platform or ""))
        if json:
            self.stdout.write(_dumps([_item(a) for a in items]))
            return
        for a in items:
            who = a.get_body_display() if a.kind == "official" else a.participant
            region = a.regency_id or a.province_id or "national"
            self.stdout.write(f"{a.platform}\t@{a.handle}\t{a.kind}\t{who}\t{region}")

    def _retry(
        self, *, id: int, set: list[str], fixed: str | None, username: str | None, **options
    ) -> None:
        scope, _user = self._scope(username)
        row = QuarantinedAccountRow.objects.filter(pk=id).first()
        if row is None:
            raise CommandError(f"no quarantined row #{id}")
        if row.status != QuarantinedAccountRow.Status.OPEN:
            raise CommandError(f"row #{id} is {row.status}, not open")
        raw = None
        try:
            if fixed:
                raw = imports.parse_fix(fixed)
            if set:
                raw = dict(raw if raw is not None else row.raw)
                for change in set:
                    column, sep, value = change.partition("=")
                    if not sep:
                        raise CommandError(f"--set needs COLUMN=VALUE, not {change!r}")
                    raw[column.strip()] = value
            done = imports.retry_row(scope, row, raw)
        except ScopeError as refused:
            raise CommandError(str(refused)) from None
        except ValidationError as failure:
            raise CommandError(" ".join(failure.messages)) from None
        row.refresh_from_db()
        if not done:
            raise CommandError(
                f"row #{id} line {row.line} still refused [{row.field}]: {imports.reason_text(row)}"
            )
        self.stdout.write(f"row #{id} resolved: {row.account}")


def _item(a: KnownAccount) -> dict:
    return {
        "platform": a.platform,
        "handle": a.handle,
        "display_name": a.display_name,
        "kind": a.kind,
        "body": a.body,
        "participant": a.participant,
        "election": a.election_id,
        "region": a.regency_id or a.province_id or "",
        "registered_on": a.registered_on.isoformat() if a.registered_on else None,
        "closed_on": a.closed_on.isoformat() if a.closed_on else None,
        "url": a.url,
    }


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
