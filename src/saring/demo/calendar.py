"""The Pemilu 2024 calendar as volume curves for the demo data set.

Day 0 is 1 Nov 2023 (WIB); the window ends with 31 Mar 2024. All times are seconds since
``START`` in WIB (+07:00), formatted without ``datetime`` in the hot loop.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

WIB = timezone(timedelta(hours=7))
START_DATE = date(2023, 11, 1)
END_DATE = date(2024, 4, 1)  # exclusive
NDAYS = (END_DATE - START_DATE).days  # 152
START_UNIX = int(datetime(2023, 11, 1, tzinfo=WIB).timestamp())
WINDOW_SECONDS = NDAYS * 86400


def day(y: int, m: int, d: int) -> int:
    """Day index of a calendar date."""
    return (date(y, m, d) - START_DATE).days


CAMPAIGN_START = day(2023, 11, 28)
CAMPAIGN_END = day(2024, 2, 10)
QUIET = (day(2024, 2, 11), day(2024, 2, 12), day(2024, 2, 13))
VOTING_DAY = day(2024, 2, 14)
RECAP_END = day(2024, 3, 20)  # national recapitulation announced
DEBATES = (day(2023, 12, 12), day(2023, 12, 22), day(2024, 1, 7), day(2024, 1, 21),
           day(2024, 2, 4))  # fmt: skip
TIMNAS_MATCHES = (day(2024, 1, 15), day(2024, 1, 19), day(2024, 1, 24), day(2024, 1, 28))
RAMADAN_START = day(2024, 3, 12)

DAY_STRINGS = tuple((START_DATE + timedelta(days=i)).isoformat() for i in range(NDAYS + 8))
WEEKDAYS = tuple((START_DATE + timedelta(days=i)).weekday() for i in range(NDAYS + 8))


def iso(sec: int) -> str:
    """Seconds since START -> ISO 8601 with +07:00."""
    d, rem = divmod(sec, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    return f"{DAY_STRINGS[d]}T{h:02d}:{m:02d}:{s:02d}+07:00"


def _bump(d: int, center: float, width: float, height: float) -> float:
    return height * math.exp(-((d - center) ** 2) / (2 * width * width))


def election_weight(d: int) -> float:
    """Relative volume of ordinary election talk on day ``d``."""
    if d < CAMPAIGN_START:
        w = 0.30 + 0.10 * d / CAMPAIGN_START
    elif d <= CAMPAIGN_END:
        w = 0.45 + 0.60 * (d - CAMPAIGN_START) / (CAMPAIGN_END - CAMPAIGN_START)
    elif d in QUIET:
        w = (0.62, 0.66, 0.85)[QUIET.index(d)]
    elif d == VOTING_DAY:
        w = 5.6
    elif d <= VOTING_DAY + 3:
        w = (2.8, 1.8, 1.35)[d - VOTING_DAY - 1]
    elif d < RECAP_END:
        w = 1.15 - 0.35 * (d - VOTING_DAY - 4) / (RECAP_END - VOTING_DAY - 4)
        w += _bump(d, day(2024, 2, 28), 4, 0.45)  # counting disputes, second bump
    elif d == RECAP_END:
        w = 2.0
    elif d == RECAP_END + 1:
        w = 1.4
    else:
        w = 0.7 - 0.02 * (d - RECAP_END - 2)
    if d in DEBATES:
        w += 0.7
    elif d - 1 in DEBATES:
        w += 0.3
    return w


def chatter_weight(d: int) -> float:
    """Relative volume of everything that is not about the election."""
    w = 0.95
    if WEEKDAYS[d] >= 5:
        w *= 1.1
    if d in TIMNAS_MATCHES:
        w += 0.35
    if d == day(2023, 12, 31) or d == day(2024, 1, 1):
        w += 0.4
    if d == day(2023, 12, 25) or d == day(2024, 2, 10):
        w += 0.12
    if d >= RAMADAN_START - 1:
        w += 0.15
    return w


def official_weight(d: int) -> float:
    """Posting rhythm of KPU/Bawaslu accounts: sosialisasi peaks before voting, then recap."""
    if d < CAMPAIGN_START:
        return 0.035
    if d <= CAMPAIGN_END:
        return 0.04 + 0.05 * (d - CAMPAIGN_START) / (CAMPAIGN_END - CAMPAIGN_START)
    if d in QUIET:
        return 0.12
    if d == VOTING_DAY:
        return 0.25
    if d <= RECAP_END + 1:
        return 0.07 if d < RECAP_END else 0.12
    return 0.03


def curve(d: int, start: int, peak: int, half_life: float, grow: float = 3.0) -> float:
    """0 before ``start``; exponential-ish growth to 1 at ``peak``; then decay by half-life."""
    if d < start:
        return 0.0
    if d <= peak:
        span = max(1, peak - start)
        x = (d - start + 1) / (span + 1)
        return math.exp(grow * (x - 1.0))
    return 0.5 ** ((d - peak) / half_life)


# Hour-of-day profiles (WIB): quiet at 2-5 am, evening peak.
HOURLY = (0.9, 0.55, 0.25, 0.14, 0.14, 0.3, 0.65, 0.95, 1.1, 1.2, 1.25, 1.3, 1.4, 1.3, 1.2,
          1.2, 1.3, 1.4, 1.5, 1.75, 1.95, 2.0, 1.75, 1.35)  # fmt: skip
HOURLY_VOTING = (0.5, 0.3, 0.15, 0.12, 0.25, 0.9, 1.8, 2.4, 2.3, 2.1, 2.0, 1.9, 1.9, 2.2, 2.6,
                 2.6, 2.4, 2.2, 2.1, 2.1, 2.0, 1.8, 1.5, 1.1)  # fmt: skip
HOURLY_DEBATE = (0.9, 0.55, 0.25, 0.14, 0.14, 0.3, 0.6, 0.9, 1.0, 1.1, 1.1, 1.2, 1.2, 1.2, 1.1,
                 1.1, 1.2, 1.3, 1.5, 2.6, 3.4, 3.6, 2.8, 1.6)  # fmt: skip
HOURLY_RAMADAN = (0.7, 0.4, 0.9, 1.2, 0.7, 0.3, 0.5, 0.8, 1.0, 1.1, 1.1, 1.2, 1.2, 1.2, 1.1,
                  1.2, 1.5, 1.8, 1.4, 1.6, 1.9, 2.0, 1.7, 1.2)  # fmt: skip


def _cum(xs: tuple[float, ...]) -> tuple[float, ...]:
    out, t = [], 0.0
    for x in xs:
        t += x
        out.append(t)
    return tuple(out)


CUM_HOURLY = _cum(HOURLY)
CUM_HOURLY_VOTING = _cum(HOURLY_VOTING)
CUM_HOURLY_DEBATE = _cum(HOURLY_DEBATE)
CUM_HOURLY_RAMADAN = _cum(HOURLY_RAMADAN)


def hourly_profile(d: int) -> tuple[float, ...]:
    """Cumulative hour weights for day ``d``."""
    if d in (VOTING_DAY, RECAP_END):
        return CUM_HOURLY_VOTING
    if d in DEBATES:
        return CUM_HOURLY_DEBATE
    if d >= RAMADAN_START:
        return CUM_HOURLY_RAMADAN
    return CUM_HOURLY


def phase(d: int) -> str:
    """pre / campaign / quiet / voting / counting / after."""
    if d < CAMPAIGN_START:
        return "pre"
    if d <= CAMPAIGN_END:
        return "campaign"
    if d in QUIET:
        return "quiet"
    if d == VOTING_DAY:
        return "voting"
    if d <= RECAP_END:
        return "counting"
    return "after"
