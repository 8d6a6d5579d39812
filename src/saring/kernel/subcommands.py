"""`saring <context> SUBCOMMAND`: one management command per context whose subcommands are the
modules of a package, each with `HELP`, `add_arguments(parser)` and `handle(command, options)`
(and optionally `NAME`), so each area keeps its own file."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from django.core.management.base import BaseCommand


def subcommands(package: ModuleType) -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if hasattr(module, "handle"):
            found[getattr(module, "NAME", info.name.replace("_", "-"))] = module
    return dict(sorted(found.items()))


class SubcommandCommand(BaseCommand):
    """Subclasses set `package` (the module whose submodules are the subcommands) and `help`."""

    package: ModuleType

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in subcommands(self.package).items():
            module.add_arguments(sub.add_parser(name, help=module.HELP))

    def handle(self, *args, **options):
        return subcommands(self.package)[options["subcommand"]].handle(self, options)
