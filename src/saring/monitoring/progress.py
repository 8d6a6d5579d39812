"""A dependency-free progress bar for long commands (bytes of the file consumed)."""

from __future__ import annotations

import time
from typing import TextIO


class ProgressBar:
    def __init__(self, stream: TextIO, label: str = "", width: int = 30) -> None:
        self.stream, self.label, self.width = stream, label, width
        self.started = time.perf_counter()
        self.last_draw = 0.0

    def update(self, done: int, total: int, summary) -> None:
        now = time.perf_counter()
        if now - self.last_draw < 0.2 and done < total:
            return
        self.last_draw = now
        fraction = done / total if total else 1.0
        filled = int(self.width * fraction)
        rate = summary.read / max(now - self.started, 1e-9)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {fraction:4.0%} "
            f"{summary.read:,} read, {summary.quarantined:,} quarantined, {rate:,.0f}/s "
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
