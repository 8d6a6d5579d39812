"""`saring guide SUBCOMMAND`: the modules of saring.guide.cli (kernel.subcommands)."""

from saring.guide import cli
from saring.kernel.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    package = cli
    help = "Public guide (INFORM): build the static site, deliver webhooks, import content."
