"""SMS length: which encoding a text needs and how many segments it costs (pure Python).

GSM 03.38: a text made only of the default alphabet (plus its extension table, whose
characters take an escape and so count two) is sent as GSM-7: 160 septets in one message,
153 per segment once it is split (the rest is the concatenation header). Anything else is sent
as UCS-2: 70 UTF-16 code units in one, 67 per segment (an emoji outside the BMP takes two).
Split points never fall inside an escape pair or a surrogate pair, as phones do it.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7 = "gsm7"
UCS2 = "ucs2"

# The default alphabet (3GPP TS 23.038, 6.2.1); "\x1b" is the escape itself and not a character.
_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENSION = "^{}\\[~]|€\f"
BASIC_SET = frozenset(_BASIC)
EXTENSION_SET = frozenset(_EXTENSION)

LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}  # (single message, per segment when split)


@dataclass(frozen=True, slots=True)
class SmsMeasure:
    encoding: str  # "gsm7" or "ucs2"
    characters: int  # septets (GSM-7) or UTF-16 code units (UCS-2), as the network counts
    segments: int  # 0 for an empty text
    per_segment: int  # the limit that applies: 160/153 or 70/67
    remaining: int  # units left in the last segment before another one is needed


def encoding_of(text: str) -> str:
    return GSM7 if all(c in BASIC_SET or c in EXTENSION_SET for c in text) else UCS2


def _units(text: str, encoding: str) -> list[int]:
    """The size of each character in the chosen encoding."""
    if encoding == GSM7:
        return [2 if c in EXTENSION_SET else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def measure(text: str) -> SmsMeasure:
    encoding = encoding_of(text)
    units = _units(text, encoding)
    total = sum(units)
    single, split = LIMITS[encoding]
    if total == 0:
        return SmsMeasure(encoding, 0, 0, single, single)
    if total <= single:
        return SmsMeasure(encoding, total, 1, single, single - total)
    segments, used = 1, 0
    for size in units:  # greedy packing: a pair that does not fit opens the next segment
        if used + size > split:
            segments, used = segments + 1, 0
        used += size
    return SmsMeasure(encoding, total, segments, split, split - used)


def non_gsm_characters(text: str) -> list[str]:
    """The characters that force UCS-2 (to tell the author what to replace), in order, once."""
    seen: dict[str, None] = {}
    for c in text:
        if c not in BASIC_SET and c not in EXTENSION_SET:
            seen.setdefault(c, None)
    return list(seen)
