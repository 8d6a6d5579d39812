"""What content a URL points at, per platform: one key for every form of the same post.

A report names content by whatever URL the reporter copied: a TikTok share link with a dozen
tracking parameters, ``m.facebook.com/story.php?…``, ``youtu.be/…``, ``twitter.com/…``. Cases
are one per piece of content, so every form of one post must give the same ``key``:
``platform:content_id`` (``tiktok:7301234567890123456``, ``youtube:dQw4w9WgXcQ``, ``x:…``,
``facebook:…``, ``instagram:CODE``, ``threads:CODE``). Platform codes are MONITOR's
``Post.platform`` values, so a key's id finds the ingested post.

Decisions (docs/decisions/0014-case-model.md):

* The canonical URL is one that opens the content without knowing its author:
  TikTok ``https://www.tiktok.com/@/video/ID`` (TikTok redirects ``@`` to the author),
  YouTube ``https://www.youtube.com/watch?v=ID``, X ``https://x.com/i/status/ID``, Instagram
  ``https://www.instagram.com/p/CODE/`` (reels and IGTV open there too), Threads
  ``https://www.threads.com/@handle/post/CODE``, Facebook by kind (``/PAGE/posts/ID``,
  ``/watch/?v=ID``, ``/reel/ID``, ``/photo.php?fbid=ID``; ``pfbid…`` ids kept as they are).
* Short links (``vt.tiktok.com/CODE``, ``vm.tiktok.com/CODE``, ``tiktok.com/t/CODE``,
  ``fb.watch/CODE``, ``facebook.com/share/…/CODE``) redirect to the post, and nothing here goes
  on the network, so they are kept as they are: key ``tiktok:short:CODE`` /
  ``facebook:short:CODE``, ``content_id`` empty. Two reports of one post, one by short link and
  one by full URL, make two cases until an officer merges them.
* A platform page that is not one post (a profile, a hashtag, a search) keeps its platform but
  has no content id: key ``other:`` + its cleaned URL, like any other site.
* Any other http(s) site: platform ``other``, key ``other:`` + the cleaned URL (lower-case
  scheme and host, no ``www.``, default port, user name, fragment or trailing slash, tracking
  parameters dropped, the rest sorted). A key longer than ``KEY_MAX`` is ``other:sha256:HEX``.
* ``Content.url`` is the input trimmed, with ``https://`` added when it had no scheme
  (``tiktok.com/@a/video/1``), so it is always a link that can be opened.

Pure Python, no Django: errors carry a ``code`` the caller words in the reader's language.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import unquote

from ._linkparts import LinkError, Parts, cleaned, platform_domain, prepare, split
from .urls import MAX_URL

__all__ = [
    "ERROR_CODES", "KEY_MAX", "OTHER", "PLATFORMS", "Content", "LinkError", "canonicalise",
    "platform_of",
]  # fmt: skip

PLATFORMS: tuple[str, ...] = ("tiktok", "instagram", "facebook", "youtube", "x", "threads")
OTHER = "other"
KEY_MAX = 500  # CaseItem.key's length

ERROR_CODES = ("empty", "not_a_url", "scheme", "too_long")


@dataclass(frozen=True)
class Content:
    url: str  # as given (trimmed; https:// added when it had no scheme)
    platform: str  # one of PLATFORMS, or "other"
    content_id: str  # the platform's id of the post/video ("" for other sites and short links)
    key: str  # "platform:content_id", "platform:short:CODE", or "other:" + canonical URL
    canonical_url: str


# --- per platform -----------------------------------------------------------------------

# (key id, content id, canonical URL) or None when the URL is not one post.
Found = tuple[str, str, str] | None

_NUM = r"\d{5,25}"
_TIKTOK_PATHS = [
    re.compile(rf"/@[^/]*/(video|photo)/({_NUM})(?:/|$)"),
    re.compile(rf"/(?:share/)?(video|photo)/({_NUM})(?:/|$)"),
    re.compile(rf"/(embed)(?:/v2)?/({_NUM})(?:/|$)"),
    re.compile(rf"/(v)/({_NUM})(?:\.html)?(?:/|$)"),
    re.compile(rf"/(player)/v1/({_NUM})(?:/|$)"),
]
_SHORT = re.compile(r"/([A-Za-z0-9_-]{4,40})/?$")


def _tiktok(parts: Parts, subdomain: str) -> Found:
    if subdomain in ("vt", "vm"):
        short = _SHORT.match(parts.path)
        if short:
            code = short.group(1)
            return f"short:{code}", "", f"https://{parts.host}/{code}/"
        return None
    short = re.match(r"/t/([A-Za-z0-9_-]{4,40})/?$", parts.path)
    if short:
        code = short.group(1)
        return f"short:{code}", "", f"https://www.tiktok.com/t/{code}/"
    for pattern in _TIKTOK_PATHS:
        found = pattern.match(parts.path)
        if found:
            kind, content_id = found.groups()
            kind = "photo" if kind == "photo" else "video"
            return content_id, content_id, f"https://www.tiktok.com/@/{kind}/{content_id}"
    item = parts.param("item_id") or parts.param("share_item_id")
    if re.fullmatch(_NUM, item):
        return item, item, f"https://www.tiktok.com/@/video/{item}"
    return None


_YT_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YT_PATH = re.compile(r"/(?:shorts|embed|live|v|e|watch)/([A-Za-z0-9_-]{11})(?:[/?]|$)")


def _youtube(parts: Parts, domain: str) -> Found:
    video = ""
    if domain == "youtu.be":
        found = re.match(r"/([A-Za-z0-9_-]{11})/?$", parts.path)
        video = found.group(1) if found else ""
    elif parts.path.rstrip("/") == "/watch":
        video = parts.param("v")
    else:
        found = _YT_PATH.match(parts.path)
        video = found.group(1) if found else ""
    if not _YT_ID.fullmatch(video):
        return None
    return video, video, f"https://www.youtube.com/watch?v={video}"


_X_STATUS = re.compile(r"/(?:i/web/|i/|[A-Za-z0-9_]{1,50}/)?status(?:es)?/(\d{1,25})(?:/|$)")


def _x(parts: Parts) -> Found:
    path = parts.path
    if parts.fragment.startswith("!/"):  # the old twitter.com/#!/handle/status/ID
        path = parts.fragment[1:]
    found = _X_STATUS.match(path)
    if not found:
        return None
    status = found.group(1)
    return status, status, f"https://x.com/i/status/{status}"


_FB_ID = re.compile(rf"{_NUM}|pfbid[0-9A-Za-z]{{20,100}}")


def _fb_id(value: str) -> str:
    return value if _FB_ID.fullmatch(value) else ""


def _facebook(parts: Parts, domain: str, depth: int) -> Found | Content:
    www = "https://www.facebook.com"
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if domain == "fb.watch":
        if len(segments) == 1 and re.fullmatch(r"[A-Za-z0-9_-]{4,40}", segments[0]):
            return f"short:{segments[0]}", "", f"https://fb.watch/{segments[0]}/"
        return None
    first = segments[0].lower() if segments else ""
    if first in ("l.php", "flx") and depth == 0:  # the link shim: l.facebook.com/l.php?u=…
        target = parts.param("u")
        if target:
            try:
                return _content(target, depth + 1)
            except LinkError:
                return None
    if first in ("permalink.php", "story.php"):
        post, page = _fb_id(parts.param("story_fbid")), parts.param("id")
        if post and re.fullmatch(r"\d{1,25}", page):
            return post, post, f"{www}/{page}/posts/{post}"
        return (post, post, f"{www}/{post}") if post else None
    if first in ("photo.php", "photo"):
        photo = _fb_id(parts.param("fbid"))
        return (photo, photo, f"{www}/photo.php?fbid={photo}") if photo else None
    if first == "watch":
        video = _fb_id(parts.param("v"))
        return (video, video, f"{www}/watch/?v={video}") if video else None
    if first == "share" and len(segments) >= 2:
        code = segments[-1]
        if re.fullmatch(r"[A-Za-z0-9_-]{4,40}", code):
            kind = "/".join(segments[1:-1])
            return f"short:{code}", "", f"{www}/share/{kind + '/' if kind else ''}{code}/"
        return None
    if first in ("reel", "reels") and len(segments) >= 2 and _fb_id(segments[1]):
        return segments[1], segments[1], f"{www}/reel/{segments[1]}"
    if first == "groups" and len(segments) >= 4 and segments[2] in ("posts", "permalink"):
        post = _fb_id(segments[3])
        return (post, post, f"{www}/groups/{segments[1]}/posts/{post}") if post else None
    if len(segments) >= 3 and segments[1] == "posts":
        post = _fb_id(segments[-1])
        return (post, post, f"{www}/{segments[0]}/posts/{post}") if post else None
    if "videos" in segments[:2] or "photos" in segments[:2]:
        # /PAGE/videos/ID, /videos/ID, /PAGE/videos/title/ID, /PAGE/photos/a.123/ID
        kind = "videos" if "videos" in segments[:2] else "photos"
        rest = segments[segments.index(kind) + 1 :]
        ids = [s for s in rest if re.fullmatch(_NUM, s)]
        if not ids:
            return None
        if kind == "videos":
            return ids[-1], ids[-1], f"{www}/watch/?v={ids[-1]}"
        return ids[-1], ids[-1], f"{www}/photo.php?fbid={ids[-1]}"
    return None


_IG_CODE = r"[A-Za-z0-9_-]{5,60}"
_IG_POST = re.compile(rf"/(?:[A-Za-z0-9._]{{1,30}}/)?(?:p|reels?|tv)/({_IG_CODE})(?:/|$)")
_IG_STORY = re.compile(rf"/stories/([A-Za-z0-9._]{{1,30}})/({_NUM})(?:/|$)")


def _instagram(parts: Parts) -> Found:
    found = _IG_POST.match(parts.path)
    if found:
        code = found.group(1)
        return code, code, f"https://www.instagram.com/p/{code}/"
    story = _IG_STORY.match(parts.path)
    if story:
        user, story_id = story.groups()
        return story_id, story_id, f"https://www.instagram.com/stories/{user}/{story_id}/"
    return None


_THREADS_POST = re.compile(rf"/@([A-Za-z0-9._]{{1,30}})/post/({_IG_CODE})(?:/|$)")
_THREADS_T = re.compile(rf"/t/({_IG_CODE})(?:/|$)")


def _threads(parts: Parts) -> Found:
    found = _THREADS_POST.match(parts.path)
    if found:
        handle, code = found.groups()
        return code, code, f"https://www.threads.com/@{handle}/post/{code}"
    found = _THREADS_T.match(parts.path)
    if found:
        code = found.group(1)
        return code, code, f"https://www.threads.com/t/{code}"
    return None


# --- the interface ----------------------------------------------------------------------


def _other_key(canonical: str) -> str:
    key = f"{OTHER}:{canonical}"
    if len(key) <= KEY_MAX:
        return key
    return f"{OTHER}:sha256:{hashlib.sha256(canonical.encode()).hexdigest()}"


def _content(url: object, depth: int = 0) -> Content:
    text = prepare(url)
    parts = split(text)
    platform, domain, subdomain = platform_domain(parts.host)
    found: Found | Content = None
    if platform == "tiktok":
        found = _tiktok(parts, subdomain)
    elif platform == "youtube":
        found = _youtube(parts, domain)
    elif platform == "x":
        found = _x(parts)
    elif platform == "facebook":
        found = _facebook(parts, domain, depth)
    elif platform == "instagram":
        found = _instagram(parts)
    elif platform == "threads":
        found = _threads(parts)
    if isinstance(found, Content):  # unwrapped from a link shim: the target, as given here
        return Content(text, found.platform, found.content_id, found.key, found.canonical_url)
    if found:
        key_id, content_id, canonical = found
        return Content(text, platform, content_id, f"{platform}:{key_id}", canonical)
    canonical = cleaned(parts, platform, subdomain, domain)
    if len(canonical) > MAX_URL:
        raise LinkError("too_long", f"longer than {MAX_URL} characters once cleaned")
    return Content(text, platform or OTHER, "", _other_key(canonical), canonical)


def canonicalise(url: str) -> Content:
    """The content ``url`` points at: platform, content id, key and canonical URL.

    Raises LinkError with ``code`` "empty", "not_a_url" (no host, spaces, …), "scheme"
    (``javascript:``, ``data:``, ``ftp:`` …) or "too_long" (over 2000 characters). A bare
    ``tiktok.com/…`` or ``www.x.com/…`` is read as https; an internationalised host is
    punycoded."""
    return _content(url)


def platform_of(url: str) -> str:
    """The platform code of ``url`` (one of PLATFORMS), or "other" for any other site and for
    anything that is not a web address (use canonicalise to tell the reader why)."""
    try:
        return canonicalise(url).platform
    except LinkError:
        return OTHER
