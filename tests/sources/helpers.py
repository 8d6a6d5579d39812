"""Helpers for the source-format tests: plain pytest, no Django, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from saring.sources import FORMATS, PostRecord, RawItem, RecordError

SAMPLES = Path(__file__).parent / "samples"


@dataclass
class Outcome:
    """What ingestion would see: records per item location, and what went to quarantine."""

    records: list[PostRecord] = field(default_factory=list)
    by_location: dict[str, list[PostRecord]] = field(default_factory=dict)
    quarantined: list[tuple[RawItem, RecordError]] = field(default_factory=list)

    def quarantined_at(self, location: str) -> RecordError:
        for item, err in self.quarantined:
            if item.location == location:
                return err
        raise AssertionError(f"nothing quarantined at {location}: {self.quarantined}")

    def by_id(self, platform_id: str) -> PostRecord:
        return next(r for r in self.records if r.platform_id == platform_id)


def ingest(fmt_name: str, path: Path | str) -> Outcome:
    """The ingestion loop of the contract, without a database."""
    fmt = FORMATS[fmt_name]
    outcome = Outcome()
    for item in fmt.iter_items(Path(path)):
        if item.error is not None:  # the reader already knows it is bad
            outcome.quarantined.append((item, item.error))
            continue
        try:
            records = fmt.parse(item.payload)
        except RecordError as err:
            outcome.quarantined.append((item, err))
            continue
        outcome.records.extend(records)
        outcome.by_location.setdefault(item.location, []).extend(records)
    return outcome
