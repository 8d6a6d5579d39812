"""What every importer needs to know about a file on disk, whichever context reads it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The file's content hash: what makes importing the same file again recognisable."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
