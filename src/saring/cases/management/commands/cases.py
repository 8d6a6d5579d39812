"""`saring cases SUBCOMMAND`: the modules of saring.cases.cli (kernel.subcommands)."""

from saring.cases import cli
from saring.kernel.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    package = cli
    help = "Cases (RESPOND): verify packets, deliver escalations, reminders, figures, proposals."
