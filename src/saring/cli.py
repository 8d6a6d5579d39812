"""The `saring` console command: Django's management commands under one name.

`saring demo`, `saring serve`, `saring ingest`, `saring worker`, `saring bench ingest`, and every
Django command (`saring migrate`, `saring createsuperuser`, ...).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saring.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["saring", *args])


if __name__ == "__main__":
    main()
