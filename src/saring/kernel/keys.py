"""Key files a deployment generates once and keeps in its data directory (mode 0600)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path


def read_or_create(path: Path, generate: Callable[[], bytes]) -> bytes:
    """The file's bytes; on first use, `generate()` is written with O_EXCL, so two processes
    starting at once keep one key (the loser reads the winner's)."""
    if not path.exists():
        material = generate()
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(material)
            return material
    return path.read_bytes()
