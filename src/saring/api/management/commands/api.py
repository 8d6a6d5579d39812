"""`saring api token create|revoke|list`: API tokens for partners and scripts.

`create` prints the new token once, alone on the last line of stdout, so a script can take it
with `| tail -n 1`. Commands act as SYSTEM; issuing and revoking are in the audit trail.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from saring.accounts.scope import SYSTEM
from saring.api import services
from saring.api.models import ApiToken


class Command(BaseCommand):
    help = "Create, revoke and list API tokens (Authorization: Bearer TOKEN on /api/v1/)."

    def add_arguments(self, parser):
        topics = parser.add_subparsers(dest="topic", required=True, metavar="token")
        token = topics.add_parser("token", help="API tokens.")
        actions = token.add_subparsers(dest="action", required=True, metavar="create|revoke|list")

        create = actions.add_parser("create", help="Make a token; it is printed only once.")
        create.add_argument("--user", required=True, help="Username the token acts as.")
        create.add_argument("--name", default="", help="A label, e.g. the partner's system.")

        revoke = actions.add_parser("revoke", help="Revoke one token, or all of a user's.")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--id", type=int, help="The token's id (see `list`).")
        which.add_argument("--prefix", help="The token's prefix (its characters 5 to 12).")
        which.add_argument("--user", help="With --all: every active token of this user.")
        revoke.add_argument("--all", action="store_true", help="With --user.")
        revoke.add_argument("--reason", default="", help="Why, for the audit trail.")

        listing = actions.add_parser("list", help="Tokens, without secrets.")
        listing.add_argument("--user", help="Only this user's tokens.")
        listing.add_argument("--active", action="store_true", help="Only tokens not revoked.")

    def handle(self, *args, topic: str, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        return user

    def _create(self, *, user: str, name: str, **options) -> None:
        account = self._user(user)
        try:
            issued = services.issue_token(SYSTEM, account, name)
        except services.TokenIssueError as error:
            raise CommandError(str(error)) from None
        token = issued.token
        org = token.organisation.name if token.organisation else "national, every organisation"
        self.stdout.write(
            f"token #{token.id} ({token.prefix}) for {account.get_username()} ({org}); "
            "it is shown only now, store it safely:"
        )
        self.stdout.write(issued.secret)

    def _revoke(
        self,
        *,
        id: int | None,
        prefix: str | None,
        user: str | None,
        all: bool,
        reason: str,
        **options,
    ) -> None:
        if user is not None and not all:
            raise CommandError("--user revokes every token of the user: add --all to confirm")
        if all and user is None:
            raise CommandError("--all needs --user")
        if user is not None:
            tokens = list(ApiToken.objects.of_user(self._user(user)).active())
        else:
            lookup = {"pk": id} if id is not None else {"prefix": prefix}
            tokens = list(ApiToken.objects.filter(**lookup))
            if not tokens:
                raise CommandError(
                    f"no token with {'id' if id is not None else 'prefix'} "
                    f"{id if id is not None else prefix!r}"
                )
        revoked = sum(services.revoke_token(SYSTEM, t, reason) for t in tokens)
        self.stdout.write(f"revoked {revoked} token(s)")

    def _list(self, *, user: str | None, active: bool, **options) -> None:
        tokens = ApiToken.objects.select_related("user", "organisation").order_by("id")
        if user is not None:
            tokens = tokens.of_user(self._user(user))
        if active:
            tokens = tokens.active()
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
            org = t.organisation.name if t.organisation else "-"
            self.stdout.write(
                f"#{t.id}\t{t.prefix}\t{t.user.get_username()}\t{org}\t{t.name or '-'}\t"
                f"created {t.created_at:%Y-%m-%d %H:%M}\tused {used}\t{state}"
            )
        self.stdout.write(f"{tokens.count()} token(s)")
