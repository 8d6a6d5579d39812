"""Reading a web address for saring.sources.links: the input checked and split, platform
hosts, tracking parameters, and the cleaning of an address that is not one platform post.

Pure Python, no Django; http(s) checks are saring.sources.urls' (not repeated here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from .urls import MAX_URL, http_url


class LinkError(ValueError):
    """Not a web address; `code` (one of links.ERROR_CODES) says why (for the reader's language)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# --- hosts ------------------------------------------------------------------------------

# Registrable domain -> platform; any subdomain counts (m., www., id-id.facebook.com, …).
_DOMAINS: dict[str, str] = {
    "tiktok.com": "tiktok",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "youtube-nocookie.com": "youtube",
    "x.com": "x",
    "twitter.com": "x",
    # Embed fixers people share instead of X links: the same path shows the same post.
    "fxtwitter.com": "x",
    "vxtwitter.com": "x",
    "fixupx.com": "x",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.watch": "facebook",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "threads.net": "threads",
    "threads.com": "threads",
}
# Where a platform's non-post pages are cleaned to, for the mirror hosts below.
_HOME = {
    "tiktok": "www.tiktok.com",
    "youtube": "www.youtube.com",
    "x": "x.com",
    "facebook": "www.facebook.com",
    "instagram": "www.instagram.com",
    "threads": "www.threads.com",
}
_MIRROR_SUBDOMAINS = frozenset({"", "www", "m", "mobile", "mbasic", "web", "touch"})
_MIRROR_DOMAINS = frozenset(
    {"tiktok.com", "youtube.com", "x.com", "twitter.com", "facebook.com", "fb.com",
     "instagram.com", "threads.net", "threads.com"}
)  # fmt: skip


def platform_domain(host: str) -> tuple[str, str, str]:
    """(platform or "", registrable domain, subdomain) of a host."""
    labels = host.split(".")
    for i in range(len(labels) - 1):
        domain = ".".join(labels[i:])
        if domain in _DOMAINS:
            return _DOMAINS[domain], domain, ".".join(labels[:i])
    return "", "", ""


# --- tracking parameters ----------------------------------------------------------------

_TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "igshid", "igsh", "si", "feature", "_r", "_t", "is_from_webapp", "sender_device", "ref",
        "ref_src", "ref_url", "mibextid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "spm", "rdid", "sfnsn", "extid", "xmt", "slof", "is_copy_url", "web_id", "u_code",
        "sec_user_id", "sec_uid", "checksum", "tt_from", "enter_from", "pp", "ab_channel",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "share_", "__cft__", "__tn__", "_nc_", "mkt_")
# Harmless on most sites, tracking on these: X's share ids, TikTok's interface language.
_PLATFORM_TRACKING = {
    "x": frozenset({"s", "t", "cxt", "lang"}),
    "tiktok": frozenset({"lang", "language", "timestamp", "user_id", "source"}),
    "facebook": frozenset({"paipv", "eav", "notif_id", "notif_t", "acontext"}),
    "instagram": frozenset({"img_index", "hl"}),
}


def _tracking(name: str, platform: str) -> bool:
    lowered = name.lower()
    return (
        lowered in _TRACKING
        or lowered.startswith(_TRACKING_PREFIXES)
        or lowered in _PLATFORM_TRACKING.get(platform, ())
    )


# --- parsing the input ------------------------------------------------------------------

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_PORT_AFTER = re.compile(r"\d{1,5}(?:[/?#]|$)")
# A bare address: a dotted host (IDN allowed), an optional port, then a path or nothing.
_BARE = re.compile(
    r"[^\s/?#@:\\]+\.(?:[^\W\d_]{2,63}|xn--[A-Za-z0-9-]{1,59})\.?(?::\d{1,5})?(?:[/?#]|$)"
)


@dataclass(frozen=True)
class Parts:
    scheme: str
    host: str  # lower case, punycoded, no trailing dot; IPv6 in brackets
    port: str  # "" for the scheme's default
    path: str
    query: tuple[tuple[str, str], ...]
    fragment: str

    def param(self, name: str) -> str:
        for key, value in self.query:
            if key == name:
                return value.strip()
        return ""


def prepare(url: object) -> str:
    """The input as an http(s) address, or LinkError saying why it is not one."""
    if url is None:
        raise LinkError("empty", "no address given")
    if not isinstance(url, str):
        raise LinkError("not_a_url", f"not text: {type(url).__name__}")
    text = url.strip()
    if not text:
        raise LinkError("empty", "no address given")
    if len(text) > MAX_URL:
        raise LinkError("too_long", f"longer than {MAX_URL} characters")
    match = _SCHEME.match(text)
    rest = text[match.end() :] if match else ""
    if match and rest.startswith("//"):
        if match.group(1).lower() not in ("http", "https"):
            raise LinkError("scheme", f"only http(s) addresses, not {match.group(1).lower()}:")
    elif match and match.group(1).lower() in ("http", "https"):
        raise LinkError("not_a_url", "http(s): must be followed by //")
    elif match and not _PORT_AFTER.match(rest):  # javascript:, data:, mailto: (not host:port)
        raise LinkError("scheme", f"only http(s) addresses, not {match.group(1).lower()}:")
    elif text.startswith("//") and _BARE.match(text[2:]):
        text = "https:" + text
    elif _BARE.match(text):
        text = "https://" + text
    else:
        raise LinkError("not_a_url", "not a web address (no host)")
    checked = http_url(text)
    if not checked:
        raise LinkError("not_a_url", "not a web address")
    return checked


def _host(raw: str) -> str:
    if ":" in raw:  # IPv6 (urlsplit strips the brackets)
        return f"[{raw}]"
    host = raw.rstrip(".")
    if not host or ".." in host:
        raise LinkError("not_a_url", "no host")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as error:
            raise LinkError("not_a_url", f"not a valid host name: {error}") from None
    return host.lower()


def split(text: str) -> Parts:
    try:
        split = urlsplit(text)
        hostname = split.hostname
        port = split.port
    except ValueError as error:  # a bad port, an unclosed IPv6 bracket, …
        raise LinkError("not_a_url", f"not a web address: {error}") from None
    if not hostname:
        raise LinkError("not_a_url", "no host")
    scheme = split.scheme.lower()
    default = 443 if scheme == "https" else 80
    return Parts(
        scheme=scheme,
        host=_host(hostname),
        port="" if port in (None, default) else str(port),
        path=split.path or "/",
        query=tuple(parse_qsl(split.query, keep_blank_values=True)),
        fragment=split.fragment,
    )


# --- cleaning (other sites, and platform pages that are not one post) -------------------

_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(0)[1:], 16))
    return char if char in _UNRESERVED else match.group(0).upper()


def _clean_path(path: str) -> str:
    # Non-ASCII becomes %XX; existing escapes keep their meaning (%2F stays %2F).
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    path = _ESCAPE.sub(_escape, path)
    path = re.sub(r"/{2,}", "/", path)
    return path.rstrip("/") or "/"


def cleaned(parts: Parts, platform: str, subdomain: str, domain: str) -> str:
    host = parts.host
    if platform and domain in _MIRROR_DOMAINS and subdomain in _MIRROR_SUBDOMAINS:
        host = _HOME[platform]
    elif host.startswith("www."):
        host = host[4:]
    netloc = f"{host}:{parts.port}" if parts.port else host
    kept = sorted(
        ((k, v) for k, v in parts.query if k and not _tracking(k, platform)), key=lambda kv: kv[0]
    )
    query = urlencode(kept, quote_via=quote, safe="/:@!$'()*,;-._~") if kept else ""
    return f"{parts.scheme}://{netloc}{_clean_path(parts.path)}" + (f"?{query}" if query else "")
