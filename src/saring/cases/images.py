"""Screenshots sent with reports: accepted only when the bytes are a JPEG, PNG, WebP or GIF
(never trusting the file name or the browser's content type), refused with a code otherwise,
and re-encoded from their pixels so that EXIF, GPS and every other metadata are gone.

The hash of the original bytes is kept, so a reporter who still has the file can show that
the stored one came from it.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Decompression bombs: a few KB of PNG can declare gigapixels. 40 megapixels is far above any
# phone screenshot (a 4K screen is 8.3 MP) and keeps decoding under ~160 MB of memory.
MAX_PIXELS = 40_000_000
DEFAULT_MAX_MB = 10

# Format Pillow detected -> (format we store, content type, extension). GIF: first frame as PNG.
OUTPUT = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "MPO": ("JPEG", "image/jpeg", "jpg"),  # phone cameras' multi-picture JPEG: the first
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),
}
# What Image.open may try (MPO comes out of the JPEG opener; it has no opener of its own).
OPEN_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
CODES = ("too_large", "svg", "not_an_image", "too_many_pixels", "corrupt", "too_many")

_SVG = re.compile(rb"<svg[\s>/]|<!doctype\s+svg", re.IGNORECASE)


class ImageRefused(ValueError):
    """A screenshot that is not stored; `code` is one of CODES, the message names the file."""

    def __init__(self, code: str, name: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.name = name


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    name: str
    content_type: str
    width: int
    height: int
    original_sha256: str
    sha256: str


def max_bytes() -> int:
    return int(getattr(settings, "SARING_SCREENSHOT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def safe_name(name: str, extension: str = "") -> str:
    """The last path component, ASCII letters, digits, `.`, `-` and `_` only, at most 80
    characters, with `extension` (the stored format's) in place of whatever it claimed."""
    base = re.split(r"[/\\]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_.")[:70] or "screenshot"
    return f"{stem}.{extension}" if extension else stem


def _is_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return text[:1] == b"<" and bool(_SVG.search(head))


def clean_image(name: str, data: bytes) -> CleanImage:
    """The stored form of one screenshot, or ImageRefused. Checks run cheapest first: the size
    before anything is decoded, the pixel count from the header before the pixels."""
    shown = safe_name(name, (name or "").rsplit(".", 1)[-1] if "." in (name or "") else "")
    limit_mb = max_bytes() // (1024 * 1024)
    if len(data) > max_bytes():
        raise ImageRefused(
            "too_large",
            shown,
            _("%(name)s is larger than %(limit)d MB.") % {"name": shown, "limit": limit_mb},
        )
    if _is_svg(data[:2048]):
        raise ImageRefused(
            "svg", shown, _("%(name)s is an SVG drawing; send a JPEG or PNG.") % {"name": shown}
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=OPEN_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused("too_many_pixels", shown, _too_many(shown)) from None
    except UnidentifiedImageError:
        raise ImageRefused("not_an_image", shown, _not_an_image(shown)) from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRefused("corrupt", shown, _corrupt(shown)) from None
    width, height = image.size
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise ImageRefused("too_many_pixels", shown, _too_many(shown))
    if image.format not in OUTPUT:
        raise ImageRefused("not_an_image", shown, _not_an_image(shown))
    fmt, content_type, extension = OUTPUT[image.format]
    try:
        image.seek(0)  # GIF/WebP animations: the first frame
        image.load()
        content, width, height = _reencode(image, fmt)
    except (OSError, SyntaxError, ValueError, EOFError, KeyError, TypeError):
        raise ImageRefused("corrupt", shown, _corrupt(shown)) from None
    return CleanImage(
        content=content,
        name=safe_name(name, extension),
        content_type=content_type,
        width=width,
        height=height,
        original_sha256=hashlib.sha256(data).hexdigest(),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _reencode(image: Image.Image, fmt: str) -> tuple[bytes, int, int]:
    """Pixels only: the EXIF orientation applied first, then a fresh image with no `info`
    (EXIF, XMP, ICC, text chunks, comments) written in `fmt`."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):  # 16-bit and float greyscale
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if fmt == "JPEG":
        mode = "L" if image.mode in ("L", "1") else "RGB"
    else:
        mode = "RGBA" if has_alpha else ("L" if image.mode in ("L", "1") else "RGB")
    pixels = image.convert(mode) if image.mode != mode else image.copy()
    pixels.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels.save(out, "JPEG", quality=90, optimize=False)
    elif fmt == "WEBP":
        pixels.save(out, "WEBP", quality=90, method=3)
    else:
        pixels.save(out, "PNG", compress_level=6)
    return out.getvalue(), pixels.width, pixels.height


def _too_many(name: str) -> str:
    return _("%(name)s has too many pixels (at most %(limit)d megapixels).") % {
        "name": name,
        "limit": MAX_PIXELS // 1_000_000,
    }


def _not_an_image(name: str) -> str:
    return _("%(name)s is not a JPEG, PNG, WebP or GIF image.") % {"name": name}


def _corrupt(name: str) -> str:
    return _("%(name)s is damaged and cannot be read.") % {"name": name}
