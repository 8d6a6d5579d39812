"""Bytes to text for every format: one decoding rule, never a silent replacement character.

* UTF-16 (Excel's "Unicode text", some API dumps) is recognised by its byte-order mark or, when
  there is none, by the NUL byte in every other position that ASCII text has in UTF-16.
* Anything else is UTF-8, and a byte that is not UTF-8 is read as Windows-1252 (latin-1 for the
  five bytes 1252 leaves undefined): a cp1252 or latin-1 file, or one such line or field in a
  UTF-8 file, reads as its author wrote it.
* NUL characters are dropped: PostgreSQL text cannot hold them and parsers choke on them.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path

UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}
CHUNK = 64 * 1024
_SNIFF = 4096


def _legacy(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each undecodable byte as cp1252, else latin-1."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chars = []
    for byte in error.object[error.start : error.end]:
        single = bytes((byte,))
        try:
            chars.append(single.decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(single.decode("latin-1"))
    return "".join(chars), error.end


LEGACY = "saring-legacy"
codecs.register_error(LEGACY, _legacy)


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """(codec name, length of its byte-order mark) for a file that starts with ``head``."""
    for bom, name in UTF16_BOMS.items():
        if head.startswith(bom):
            return name, len(bom)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", len(codecs.BOM_UTF8)
    sample = head[: _SNIFF - _SNIFF % 2]
    pairs = len(sample) // 2
    if pairs >= 2:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd >= 0.4 * pairs and even <= 0.05 * pairs:
            return "utf-16-le", 0
        if even >= 0.4 * pairs and odd <= 0.05 * pairs:
            return "utf-16-be", 0
    return "utf-8", 0


def is_utf16(codec: str) -> bool:
    return codec.startswith("utf-16")


def decoder(codec: str) -> codecs.IncrementalDecoder:
    # A UTF-16 file cut after an odd byte leaves half a character: it becomes U+FFFD, the only
    # replacement this module ever makes (there is no byte left to read it as).
    errors = "replace" if is_utf16(codec) else LEGACY
    return codecs.getincrementaldecoder(codec)(errors=errors)


def decode_bytes(raw: bytes, codec: str = "utf-8") -> str:
    """Decode a whole byte string by the module's rule, NUL characters dropped."""
    text = raw.decode(codec, "replace" if is_utf16(codec) else LEGACY)
    return text.replace("\x00", "") if "\x00" in text else text


class TextSource:
    """A file's decoded text, read in chunks (``read(n)`` characters at most, '' at the end).

    ``offset`` is how many bytes of the file have been consumed, for progress.
    """

    def __init__(self, path: Path | str) -> None:
        self._handle = Path(path).open("rb")  # noqa: SIM115 - closed by close()/read() at EOF
        head = self._handle.read(_SNIFF)
        self.codec, bom = sniff_encoding(head)
        self._handle.seek(bom)
        self._decoder = decoder(self.codec)
        self._pending = ""
        self.offset = bom
        self._done = False

    def read(self, size: int = CHUNK) -> str:
        while len(self._pending) < size and not self._done:
            raw = self._handle.read(max(size, CHUNK))
            self.offset += len(raw)
            text = self._decoder.decode(raw, final=not raw)
            if "\x00" in text:
                text = text.replace("\x00", "")
            self._pending += text
            if not raw:
                self._done = True
                self._handle.close()
        out, self._pending = self._pending[:size], self._pending[size:]
        return out

    def close(self) -> None:
        self._handle.close()


def read_text(path: Path | str, limit: int | None = None) -> str:
    """The whole file (or its first ``limit`` characters) decoded by the module's rule."""
    source = TextSource(path)
    try:
        if limit is not None:
            return source.read(limit)
        parts = []
        while chunk := source.read(4 * CHUNK):
            parts.append(chunk)
        return "".join(parts)
    finally:
        source.close()


def text_stream(handle: io.BufferedReader, codec: str) -> io.TextIOWrapper:
    """A line-iterable text view of a UTF-16 handle (line endings kept as they are)."""
    return io.TextIOWrapper(handle, encoding=codec, errors="replace", newline="")
