"""`saring guide build [--out DIR] [--if-due] [--no-search] [--json]`: render the public site,
its feeds and JSON snapshots into DIR (default SARING_GUIDE_DIR), index it with Pagefind and
swap it in atomically. `--if-due` (for cron or the worker, e.g. every 5 minutes) builds only
when something changed on its own: a revision's valid-from/until passed since the last build,
or a new day began (the countdowns are written as text)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

NAME = "build"
HELP = "Build the public guide site (static files, feeds, snapshots) and swap it in."


def add_arguments(parser) -> None:
    parser.add_argument(
        "--out", default=None, metavar="DIR", help="Where the site goes (default SARING_GUIDE_DIR)."
    )
    parser.add_argument(
        "--if-due",
        action="store_true",
        help="Only when a validity window opened or closed, or the day changed, since the "
        "last build.",
    )
    parser.add_argument(
        "--no-search", action="store_true", help="Skip the Pagefind index (quicker previews)."
    )
    parser.add_argument("--reason", default="", help="Recorded with the build.")
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")


def handle(command, options: dict) -> None:
    from saring.guide.site.build import BuildError, build_site, due

    out = Path(options["out"]) if options["out"] else None
    quiet = options["json"] or options.get("verbosity", 1) < 1
    reason = options["reason"] or "command"
    if options["if_due"]:
        why = due(out)
        if not why:
            if options["json"]:
                command.stdout.write(json.dumps({"built": False}))
            elif not quiet:
                command.stdout.write("nothing due: the site is current")
            return
        reason = f"due: {why}"
    try:
        result = build_site(
            out,
            reason=reason,
            progress=None if quiet else command.stdout.write,
            index=not options["no_search"],
        )
    except BuildError as error:
        raise CommandError(f"build failed, the previous site is still served: {error}") from None
    if options["json"]:
        command.stdout.write(json.dumps({"built": True, **result.as_dict()}))
