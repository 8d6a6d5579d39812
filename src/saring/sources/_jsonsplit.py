"""Split a JSON document into the raw text of the elements of one list, without parsing them.

The API-response formats keep their posts in one list (``data.videos``, ``items``, ``@graph``).
This scanner finds that list and hands on each element's own text, so that every element is
parsed, and if need be quarantined, on its own: one bad element never takes its neighbours
with it, an element nested 10,000 deep is only text here, and memory holds one element (and at
most ``MAX_ITEM_CHARS`` of it) at a time.

Only strings and brackets are tracked. A syntax error inside an element (a stray comma, NaN,
an unescaped control character, bytes that are not JSON) stays inside that element as long as
its quotes and brackets balance; when they do not (a file cut off), what is left is handed on
as one ``rest`` piece. Documents written one after the other (``{…}{…}``) are read in turn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ._values import json_loads

MAX_ITEM_CHARS = 64 * 1024 * 1024  # a longer element is handed on as its first KEPT_CHARS
KEPT_CHARS = 1024 * 1024
CHUNK = 64 * 1024
_STRUCTURE = re.compile(r'[{}\[\],:"]')
_STRING_BODY = re.compile(r'[^"\\]*(?:\\[\s\S][^"\\]*)*')
_STRING = r'"[^"\\]*(?:\\[\s\S][^"\\]*)*"'
# runs of text with complete strings, up to the next token that matters (or an unfinished string)
_SKIP_DEEP = re.compile(rf'[^"{{}}\[\]]*(?:{_STRING}[^"{{}}\[\]]*)*')
_SKIP_LIST = re.compile(rf'[^"{{}}\[\],]*(?:{_STRING}[^"{{}}\[\],]*)*')
# an object whose values nest one list deep at most, followed by ',' or ']' (possessive: a
# failed attempt costs one pass, never a backtracking storm)
_PLAIN = r'[^"{}\[\]]++'
_POSSESSIVE_STRING = r'"[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"'
_FLAT_ELEMENT = re.compile(
    rf"\s*+(\{{(?:{_PLAIN}|{_POSSESSIVE_STRING}|\[(?:{_PLAIN}|{_POSSESSIVE_STRING})*+\])*+\}})"
    r"\s*+(?=[,\]])"
)
_OPENER = {"}": ord("{"), "]": ord("[")}
_OBJECT = ord("{")
CUT = "the document ends before it is complete (the file was probably cut off)"
NOT_JSON = "text that is not JSON"


@dataclass(slots=True)
class Piece:
    """``item``: an element of the list (``index`` in it, in ``document``, the n-th document
    of the text); ``meta``: the value of a top-level member named in ``meta_keys`` (``key``);
    ``rest``: text the scanner could not place, ``error`` saying why. ``size`` is the full
    length of an element cut to ``KEPT_CHARS`` because it was over ``MAX_ITEM_CHARS``."""

    kind: str
    text: str
    index: int = 0
    document: int = 0
    key: str = ""
    error: str = ""
    size: int = 0


class Splitter:
    """``for piece in Splitter(read, ("data", "videos"), meta_keys=("error",))``.

    ``read(n)`` returns up to n characters, '' at the end. ``list_path`` names the keys from
    the top-level object down to the list; ``()`` means the top level is the list. After
    iteration ``found`` says whether the list was met and ``roots`` holds each document's
    first character ('{' or '[').
    """

    def __init__(
        self,
        read: Callable[[int], str],
        list_path: Sequence[str],
        meta_keys: Sequence[str] = (),
        *,
        max_item: int = MAX_ITEM_CHARS,
    ) -> None:
        self._read = read
        self.path = tuple(list_path)
        self.meta_keys = frozenset(meta_keys)
        self.max_item = max_item
        self.found = False
        self.roots: list[str] = []
        self.buf, self.pos, self.dropped = "", 0, 0
        self.start: int | None = None  # where the current element began
        self.meta_start: int | None = None
        self.meta_key = ""
        self.in_string = False
        self.string_from = 0  # where that string opened
        self.resume = 0  # where to go on looking for its end
        self.key_string = False  # that string is a member key we track
        self.over_from = -1  # absolute start of an element past max_item
        self.over_head = ""

    def __iter__(self) -> Iterator[Piece]:
        document = 0
        while True:
            first = self._next_non_space()
            if first is None:
                return
            if first not in "{[":
                yield self._junk(document)
                return
            self.roots.append(first)
            complete = yield from self._document(document)
            if not complete:
                return
            document += 1

    # -- buffer ----------------------------------------------------------------------------

    def _more(self, keep: int) -> bool:
        """Drop the text before ``keep`` (when that is worth a copy) and read more."""
        if keep > CHUNK:
            self.buf = self.buf[keep:]
            self.dropped += keep
            self.pos -= keep
            for name in ("start", "meta_start"):
                value = getattr(self, name)
                if value is not None:
                    setattr(self, name, value - keep)
            if self.in_string:
                self.string_from -= keep
                self.resume -= keep
        more = self._read(max(CHUNK, len(self.buf)))  # doubling: a 50 MB element is O(n)
        if not more:
            return False
        self.buf += more
        return True

    def _keep(self) -> int:
        keep = self.pos
        if self.in_string:
            keep = self.string_from if self.key_string else self.resume
        for start in (self.start, self.meta_start):
            if start is not None:
                keep = min(keep, start)
        return keep

    def _next_non_space(self) -> str | None:
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n\ufeff":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more(self.pos):
                return None

    def _junk(self, document: int) -> Piece:
        text = self.buf[self.pos : self.pos + KEPT_CHARS]
        while len(text) < KEPT_CHARS and (more := self._read(CHUNK)):
            text += more[: KEPT_CHARS - len(text)]
        return Piece("rest", text, document=document, error=NOT_JSON)

    # -- one document ----------------------------------------------------------------------

    def _document(self, document: int) -> Iterator[Piece]:
        """Pieces of one top-level value; returns False when the text ended inside it."""
        path = self.path
        list_level = len(path)  # stack level of the list
        frames = bytearray()  # the type of every open container
        keys: list[str | None] = []  # current member key of each frame along the path
        expect_key: list[bool] = []
        in_list, index = False, 0
        while True:
            if self.in_string:
                if not self._finish_string():
                    if in_list:
                        self._check_size(len(self.buf))
                    if not self._more(self._keep()):
                        yield self._cut(document, index, in_list)
                        return False
                    continue
                if self.key_string:
                    keys[len(frames) - 1] = string_key(self.buf[self.string_from : self.pos])
                self.in_string = self.key_string = False
                continue
            top = len(frames) - 1
            if in_list and top == list_level and self.start == self.pos:
                flat = _FLAT_ELEMENT.match(self.buf, self.pos)  # the common case, in one go
                if flat is not None and flat.end(1) - flat.start(1) <= self.max_item:
                    yield Piece("item", flat.group(1), index, document)
                    index += 1
                    self.pos, self.start = flat.end(), None
                    continue
            if top < len(keys):  # a level along the path: every token matters
                match = _STRUCTURE.search(self.buf, self.pos)
                at = match.start() if match else len(self.buf)
            else:  # inside an element or off the path: skip strings and scalars at C speed
                skip = _SKIP_LIST if in_list and top == list_level else _SKIP_DEEP
                at = skip.match(self.buf, self.pos).end()
            if at >= len(self.buf):
                self.pos = at
                if in_list:
                    self._check_size(at)
                if not self._more(self._keep()):
                    yield self._cut(document, index, in_list)
                    return False
                continue
            char = self.buf[at]
            self.pos = at + 1
            if in_list and self.start is not None and at - self.start > self.max_item:
                self._check_size(at)
            if char == '"':
                self.in_string, self.string_from, self.resume = True, at, at + 1
                self.key_string = 0 <= top < len(keys) and expect_key[top]
                continue
            if char == "{" or char == "[":
                level = len(frames)
                if level == 0:
                    keys.append(None)
                    expect_key.append(char == "{")
                    if not path and char == "[":
                        in_list = self.found = True
                        self.start, index = at + 1, 0
                elif level == len(keys) and frames[level - 1] == _OBJECT:
                    if level < list_level and keys[level - 1] == path[level - 1] and char == "{":
                        keys.append(None)
                        expect_key.append(True)
                    elif level == list_level and keys[level - 1] == path[-1] and char == "[":
                        in_list = self.found = True
                        self.start, index = at + 1, 0
                frames.append(ord(char))
                continue
            if char == "}" or char == "]":
                floor = list_level if in_list else 0
                if not _close(frames, char, floor):
                    continue  # a closer that opens nothing here: junk inside an element
                del keys[len(frames) :], expect_key[len(frames) :]
                if in_list and len(frames) <= list_level:
                    piece = self._element(document, index, at)
                    if piece is not None:
                        yield piece
                        index += 1
                    in_list = False
                if not frames:
                    if self.meta_start is not None:
                        yield self._meta(document, at)
                    return True
                continue
            if char == ",":
                if in_list and top == list_level:
                    piece = self._element(document, index, at)
                    if piece is not None:
                        yield piece
                        index += 1
                    self.start = at + 1
                elif top == 0 and self.meta_start is not None:
                    yield self._meta(document, at)
                if top < len(keys) and frames[top] == _OBJECT:
                    expect_key[top], keys[top] = True, None
            elif top < len(keys) and frames[top] == _OBJECT:  # ':'
                expect_key[top] = False
                if top == 0 and keys[0] in self.meta_keys:
                    self.meta_start, self.meta_key = at + 1, keys[0] or ""

    def _check_size(self, at: int) -> None:
        """Past max_item, keep only the element's start and stop holding the rest."""
        if self.start is not None and at - self.start > self.max_item:
            self.over_from = self.dropped + self.start
            self.over_head = self.buf[self.start : self.start + KEPT_CHARS]
            self.start = None

    def _finish_string(self) -> bool:
        """Move past the closing quote of the current string; False when it is not loaded."""
        end = _STRING_BODY.match(self.buf, self.resume).end()
        if end < len(self.buf) and self.buf[end] == '"':
            self.pos = end + 1
            return True
        self.resume = end  # at the end of the text, or at a backslash whose pair is not read
        return False

    def _element(self, document: int, index: int, at: int) -> Piece | None:
        if self.over_from >= 0:
            size = self.dropped + at - self.over_from
            piece = Piece("item", self.over_head, index, document, size=size)
            self.over_from, self.over_head = -1, ""
            return piece
        if self.start is None:
            return None
        text = self.buf[self.start : at].strip()
        self.start = None
        return Piece("item", text, index, document) if text else None

    def _meta(self, document: int, at: int) -> Piece:
        assert self.meta_start is not None
        text = self.buf[self.meta_start : at].strip()
        self.meta_start = None
        return Piece("meta", text, document=document, key=self.meta_key)

    def _cut(self, document: int, index: int, in_list: bool) -> Piece:
        """The text ended inside the document: what is left of the element it was in."""
        begin = self.start if in_list and self.start is not None else len(self.buf)
        text = self.over_head if self.over_from >= 0 else self.buf[begin:].strip()
        return Piece("rest", text[:KEPT_CHARS], index, document, error=CUT)


def _close(frames: bytearray, char: str, floor: int) -> bool:
    """Pop up to the frame ``char`` closes; a closer matching nothing at ``floor`` or above (the
    list's own level, while inside it) closes nothing."""
    opener = _OPENER[char]
    for level in range(len(frames) - 1, floor - 1, -1):
        if frames[level] == opener:
            del frames[level:]
            return True
    return False


def string_key(raw: str) -> str | None:
    if "\\" not in raw:
        return raw[1:-1]
    try:
        key = json_loads(raw)
    except (ValueError, TypeError):
        return None
    return key if isinstance(key, str) else None


def string_reader(text: str) -> Callable[[int], str]:
    """A ``read(n)`` over text already in memory."""
    position = 0

    def read(size: int) -> str:
        nonlocal position
        out = text[position : position + size]
        position += len(out)
        return out

    return read
