"""`saring cases SUBCOMMAND`: each subcommand is a module of saring.cases.cli with `HELP`,
`add_arguments(parser)` and `handle(command, options)` (so each area keeps its own file)."""

from __future__ import annotations

import importlib
import pkgutil

from django.core.management.base import BaseCommand

from saring.cases import cli


def _subcommands() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"saring.cases.cli.{info.name}")
        if hasattr(module, "handle"):
            found[getattr(module, "NAME", info.name.replace("_", "-"))] = module
    return dict(sorted(found.items()))


class Command(BaseCommand):
    help = "Cases (RESPOND): verify packets, deliver escalations, reminders, figures, proposals."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in _subcommands().items():
            module.add_arguments(sub.add_parser(name, help=module.HELP))

    def handle(self, *args, **options):
        return _subcommands()[options["subcommand"]].handle(self, options)
