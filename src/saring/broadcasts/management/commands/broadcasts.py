"""`saring broadcasts SUBCOMMAND`: the modules of saring.broadcasts.cli (kernel.subcommands)."""

from saring.broadcasts import cli
from saring.kernel.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    package = cli
    help = "Broadcasts (INFORM): import recipients, send or resume a broadcast, opt-outs."
