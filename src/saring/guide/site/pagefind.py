"""Index a built site with Pagefind (the `pagefind` package ships its binary: no network).

Only pages marked `data-pagefind-body` are indexed (clarifications, pages, FAQs,
announcements, home, calendar); Pagefind writes its bundle and its UI into <site>/pagefind/,
one index per page language (id and en)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class PagefindError(RuntimeError):
    pass


def index(site: Path, *, timeout: float = 300.0) -> str:
    """Run Pagefind over `site`; its summary output, or PagefindError saying why not."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--quiet"]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed argument list
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise PagefindError(f"pagefind took more than {timeout:.0f} s") from error
    except OSError as error:
        raise PagefindError(f"pagefind could not start: {error}") from error
    if done.returncode != 0 or not (site / "pagefind" / "pagefind.js").exists():
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise PagefindError(f"pagefind failed ({done.returncode}): {' / '.join(tail)}")
    return done.stdout.strip()
