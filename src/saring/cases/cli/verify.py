"""`saring cases verify PACKET.zip [--key PEM_FILE] [--json]`: exit 0 and "intact" when the
packet is as it was signed; otherwise each problem (naming its file) and exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import CommandError

from saring.cases.packets import verify_packet

NAME = "verify"
HELP = "Check an evidence packet's signature and every file's SHA-256 against its manifest."


def add_arguments(parser) -> None:
    parser.add_argument("packet", help="The packet ZIP file.")
    parser.add_argument(
        "--key",
        metavar="PEM_FILE",
        help="The signer's Ed25519 public key (PEM). Default: this deployment's own key.",
    )
    parser.add_argument("--json", action="store_true", help='Print {"intact", "problems"}.')


def handle(command, options) -> None:
    key = None
    if options.get("key"):
        try:
            key = Path(options["key"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read the key {options['key']}: {exc.strerror}") from None
    result = verify_packet(options["packet"], public_key_pem=key)
    if options.get("json"):
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
    elif result.ok:
        command.stdout.write("intact")
    else:
        for problem in result.problems:
            command.stdout.write(problem)
    if not result.ok:
        raise CommandError(
            f"{Path(options['packet']).name} is NOT intact: {len(result.problems)} problem(s)",
            returncode=1,
        )
