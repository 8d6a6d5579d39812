"""One key per piece of content, whatever URL form a reporter copied (saring.sources.links)."""

from __future__ import annotations

import pytest

from saring.sources.links import (
    KEY_MAX,
    OTHER,
    PLATFORMS,
    Content,
    LinkError,
    canonicalise,
    platform_of,
)

TT = "7301234567890123456"
TT_CANON = f"https://www.tiktok.com/@/video/{TT}"
YT = "dQw4w9WgXcQ"
YT_CANON = f"https://www.youtube.com/watch?v={YT}"
XID = "1755555555555555555"
X_CANON = f"https://x.com/i/status/{XID}"
PFBID = "pfbid02Hk8tq3XcXpSWcL5sDmhPZ8LbnrCAFQhEKTi6D8pNbAVd1nK4k7mqzYxLVq9Lb6Hrl"
IG = "C3xYz_Ab-12"

# (url as reported, platform, key, canonical URL)
FORMS = [
    # TikTok: the id decides, not the handle, host or query string
    (f"https://www.tiktok.com/@bawaslu_ri/video/{TT}", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://www.tiktok.com/@someone.else/video/{TT}?is_from_webapp=1&sender_device=pc"
     "&_r=1&_t=8kXyz&lang=id", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://m.tiktok.com/v/{TT}.html", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://m.tiktok.com/@a/video/{TT}", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://mobile.tiktok.com/@a/video/{TT}/", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://www.tiktok.com/video/{TT}", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://www.tiktok.com/embed/v2/{TT}", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://www.tiktok.com/share/video/{TT}", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"tiktok.com/@a/video/{TT}", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"HTTPS://WWW.TIKTOK.COM/@A/video/{TT}#comments", "tiktok", f"tiktok:{TT}", TT_CANON),
    (f"https://www.tiktok.com/@a/photo/{TT}", "tiktok", f"tiktok:{TT}",
     f"https://www.tiktok.com/@/photo/{TT}"),
    ("https://vt.tiktok.com/ZSjAbC123/", "tiktok", "tiktok:short:ZSjAbC123",
     "https://vt.tiktok.com/ZSjAbC123/"),
    ("https://vm.tiktok.com/ZMhXy9Q/?k=1", "tiktok", "tiktok:short:ZMhXy9Q",
     "https://vm.tiktok.com/ZMhXy9Q/"),
    ("https://www.tiktok.com/t/ZTRabcd12/", "tiktok", "tiktok:short:ZTRabcd12",
     "https://www.tiktok.com/t/ZTRabcd12/"),
    # YouTube
    (f"https://youtu.be/{YT}", "youtube", f"youtube:{YT}", YT_CANON),
    (f"https://youtu.be/{YT}?si=AbCdEfGh&t=42", "youtube", f"youtube:{YT}", YT_CANON),
    (f"https://www.youtube.com/watch?v={YT}&feature=share&pp=ygU", "youtube", f"youtube:{YT}",
     YT_CANON),
    (f"https://www.youtube.com/watch?feature=youtu.be&v={YT}&list=PL1", "youtube",
     f"youtube:{YT}", YT_CANON),
    (f"https://youtube.com/shorts/{YT}?si=x", "youtube", f"youtube:{YT}", YT_CANON),
    (f"https://www.youtube.com/embed/{YT}?start=10", "youtube", f"youtube:{YT}", YT_CANON),
    (f"https://www.youtube-nocookie.com/embed/{YT}", "youtube", f"youtube:{YT}", YT_CANON),
    (f"https://www.youtube.com/live/{YT}?feature=shared", "youtube", f"youtube:{YT}", YT_CANON),
    (f"https://m.youtube.com/watch?v={YT}", "youtube", f"youtube:{YT}", YT_CANON),
    (f"https://music.youtube.com/watch?v={YT}&si=1", "youtube", f"youtube:{YT}", YT_CANON),
    (f"www.youtube.com/v/{YT}", "youtube", f"youtube:{YT}", YT_CANON),
    # X and Twitter
    (f"https://x.com/bawaslu_ri/status/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://twitter.com/bawaslu_ri/status/{XID}?s=20&t=AbC", "x", f"x:{XID}", X_CANON),
    (f"https://mobile.twitter.com/a/status/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://www.x.com/a/status/{XID}/photo/1", "x", f"x:{XID}", X_CANON),
    (f"www.x.com/a/status/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://twitter.com/i/web/status/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://x.com/i/status/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://twitter.com/statuses/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://twitter.com/a/statuses/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://twitter.com/#!/a/status/{XID}", "x", f"x:{XID}", X_CANON),
    (f"https://fxtwitter.com/a/status/{XID}", "x", f"x:{XID}", X_CANON),
    # Facebook
    ("https://www.facebook.com/permalink.php?story_fbid=123456789012345&id=100064123456789",
     "facebook", "facebook:123456789012345",
     "https://www.facebook.com/100064123456789/posts/123456789012345"),
    (f"https://m.facebook.com/story.php?story_fbid={PFBID}&id=100064123456789&mibextid=Nif5oz",
     "facebook", f"facebook:{PFBID}", f"https://www.facebook.com/100064123456789/posts/{PFBID}"),
    (f"https://www.facebook.com/bawaslu.ri/posts/{PFBID}?__cft__[0]=AZX&__tn__=%2CO%2CP-R",
     "facebook", f"facebook:{PFBID}", f"https://www.facebook.com/bawaslu.ri/posts/{PFBID}"),
    ("https://web.facebook.com/bawaslu.ri/posts/123456789012345/?_rdc=1&_rdr",
     "facebook", "facebook:123456789012345",
     "https://www.facebook.com/bawaslu.ri/posts/123456789012345"),
    ("https://www.facebook.com/watch/?v=987654321098765&ref=sharing", "facebook",
     "facebook:987654321098765", "https://www.facebook.com/watch/?v=987654321098765"),
    ("https://mbasic.facebook.com/watch?v=987654321098765", "facebook",
     "facebook:987654321098765", "https://www.facebook.com/watch/?v=987654321098765"),
    ("https://www.facebook.com/bawaslu.ri/videos/987654321098765/", "facebook",
     "facebook:987654321098765", "https://www.facebook.com/watch/?v=987654321098765"),
    ("https://www.facebook.com/videos/987654321098765", "facebook",
     "facebook:987654321098765", "https://www.facebook.com/watch/?v=987654321098765"),
    ("https://www.facebook.com/reel/1122334455667788?s=yWDuG2&fs=e", "facebook",
     "facebook:1122334455667788", "https://www.facebook.com/reel/1122334455667788"),
    ("https://www.facebook.com/photo.php?fbid=556677889900112&set=a.1&type=3", "facebook",
     "facebook:556677889900112", "https://www.facebook.com/photo.php?fbid=556677889900112"),
    ("https://www.facebook.com/photo/?fbid=556677889900112&set=a.1", "facebook",
     "facebook:556677889900112", "https://www.facebook.com/photo.php?fbid=556677889900112"),
    ("https://www.facebook.com/bawaslu.ri/photos/a.12345678/556677889900112/", "facebook",
     "facebook:556677889900112", "https://www.facebook.com/photo.php?fbid=556677889900112"),
    ("https://www.facebook.com/groups/1234567890/posts/2233445566778899/", "facebook",
     "facebook:2233445566778899", "https://www.facebook.com/groups/1234567890/posts/2233445566778899"),
    ("https://www.facebook.com/groups/1234567890/permalink/2233445566778899/", "facebook",
     "facebook:2233445566778899", "https://www.facebook.com/groups/1234567890/posts/2233445566778899"),
    ("https://fb.watch/qWeRtY12/", "facebook", "facebook:short:qWeRtY12",
     "https://fb.watch/qWeRtY12/"),
    ("https://www.facebook.com/share/p/1AbCdEfGhI/?mibextid=WC7FNe", "facebook",
     "facebook:short:1AbCdEfGhI", "https://www.facebook.com/share/p/1AbCdEfGhI/"),
    ("https://www.facebook.com/share/v/1XyZ98765/", "facebook", "facebook:short:1XyZ98765",
     "https://www.facebook.com/share/v/1XyZ98765/"),
    # the link shim: the address it forwards to is the content
    (f"https://l.facebook.com/l.php?u=https%3A%2F%2Fyoutu.be%2F{YT}%3Fsi%3Dq&h=AT0xyz",
     "youtube", f"youtube:{YT}", YT_CANON),
    # Instagram
    (f"https://www.instagram.com/p/{IG}/", "instagram", f"instagram:{IG}",
     f"https://www.instagram.com/p/{IG}/"),
    (f"https://instagram.com/p/{IG}?igsh=MWQ1ZGUxMzBkMA==&img_index=2", "instagram",
     f"instagram:{IG}", f"https://www.instagram.com/p/{IG}/"),
    (f"https://www.instagram.com/reel/{IG}/?igshid=abc", "instagram", f"instagram:{IG}",
     f"https://www.instagram.com/p/{IG}/"),
    (f"https://www.instagram.com/reels/{IG}/", "instagram", f"instagram:{IG}",
     f"https://www.instagram.com/p/{IG}/"),
    (f"https://www.instagram.com/tv/{IG}", "instagram", f"instagram:{IG}",
     f"https://www.instagram.com/p/{IG}/"),
    (f"https://www.instagram.com/bawaslu_ri/p/{IG}/", "instagram", f"instagram:{IG}",
     f"https://www.instagram.com/p/{IG}/"),
    (f"https://m.instagram.com/reel/{IG}", "instagram", f"instagram:{IG}",
     f"https://www.instagram.com/p/{IG}/"),
    # Threads, on both of its hosts
    (f"https://www.threads.net/@bawaslu_ri/post/{IG}?xmt=AQGz", "threads", f"threads:{IG}",
     f"https://www.threads.com/@bawaslu_ri/post/{IG}"),
    (f"https://www.threads.com/@bawaslu_ri/post/{IG}", "threads", f"threads:{IG}",
     f"https://www.threads.com/@bawaslu_ri/post/{IG}"),
    (f"https://threads.net/t/{IG}/", "threads", f"threads:{IG}",
     f"https://www.threads.com/t/{IG}"),
    # other sites: cleaned, tracking dropped, the rest sorted
    ("https://WWW.Kompas.COM:443/read/2024/02/07/hoaks-tps/?utm_source=wa&utm_medium=x"
     "&page=2&fbclid=IwAR0&a=1#komentar", OTHER,
     "other:https://kompas.com/read/2024/02/07/hoaks-tps?a=1&page=2",
     "https://kompas.com/read/2024/02/07/hoaks-tps?a=1&page=2"),
    ("http://example.org:80/", OTHER, "other:http://example.org/", "http://example.org/"),
    ("https://example.org", OTHER, "other:https://example.org/", "https://example.org/"),
    ("https://example.org:8443/a//b/?gclid=1&ref=tw&s=cari", OTHER,
     "other:https://example.org:8443/a/b?s=cari", "https://example.org:8443/a/b?s=cari"),
    ("https://user:secret@example.org/a", OTHER, "other:https://example.org/a",
     "https://example.org/a"),
    ("https://bücher.example/ä?q=ü", OTHER,
     "other:https://xn--bcher-kva.example/%C3%A4?q=%C3%BC",
     "https://xn--bcher-kva.example/%C3%A4?q=%C3%BC"),
    ("https://example.org/%7euser/%2f?x=1", OTHER, "other:https://example.org/~user/%2F?x=1",
     "https://example.org/~user/%2F?x=1"),
    ("kpu.go.id/berita", OTHER, "other:https://kpu.go.id/berita", "https://kpu.go.id/berita"),
    # a platform page that is not one post keeps its platform, with no content id
    ("https://mobile.twitter.com/bawaslu_ri?lang=en&s=09", "x", "other:https://x.com/bawaslu_ri",
     "https://x.com/bawaslu_ri"),
    ("https://m.facebook.com/profile.php?id=100064123456789&mibextid=ZbWKwL", "facebook",
     "other:https://www.facebook.com/profile.php?id=100064123456789",
     "https://www.facebook.com/profile.php?id=100064123456789"),
    ("https://www.tiktok.com/@bawaslu_ri?lang=id&is_from_webapp=1", "tiktok",
     "other:https://www.tiktok.com/@bawaslu_ri", "https://www.tiktok.com/@bawaslu_ri"),
    ("https://www.youtube.com/watch?v=tooshort", "youtube",
     "other:https://www.youtube.com/watch?v=tooshort",
     "https://www.youtube.com/watch?v=tooshort"),
]  # fmt: skip


@pytest.mark.parametrize(("url", "platform", "key", "canonical"), FORMS)
def test_every_form_gives_its_key_and_canonical_url(url, platform, key, canonical):
    content = canonicalise(url)
    assert (content.platform, content.key, content.canonical_url) == (platform, key, canonical)
    assert platform_of(url) == platform
    # the canonical URL is itself one of the forms: it gives the same key again
    assert canonicalise(content.canonical_url).key == key


def test_there_are_enough_forms():
    assert len(FORMS) >= 40
    assert {platform for _, platform, _, _ in FORMS} == {*PLATFORMS, OTHER}


def test_content_id_is_the_platforms_id_and_empty_otherwise():
    assert canonicalise(f"https://vm.tiktok.com/x/../@a/video/{TT}").content_id == ""
    assert canonicalise(f"https://www.tiktok.com/@a/video/{TT}").content_id == TT
    assert canonicalise(f"https://youtu.be/{YT}").content_id == YT
    assert canonicalise(f"https://x.com/a/status/{XID}").content_id == XID
    assert canonicalise(f"https://www.instagram.com/p/{IG}/").content_id == IG
    assert canonicalise("https://vt.tiktok.com/ZSjAbC123/").content_id == ""
    assert canonicalise("https://fb.watch/qWeRtY12/").content_id == ""
    assert canonicalise("https://example.org/a").content_id == ""


def test_url_is_kept_as_given_trimmed_with_a_scheme():
    given = f"  https://www.tiktok.com/@a/video/{TT}?_t=8k  \n"
    content = canonicalise(given)
    assert isinstance(content, Content)
    assert content.url == given.strip()
    assert canonicalise(f"tiktok.com/@a/video/{TT}").url == f"https://tiktok.com/@a/video/{TT}"
    assert canonicalise("//example.org/a").url == "https://example.org/a"
    with pytest.raises(AttributeError):
        content.key = "x"  # frozen


def test_ids_and_codes_keep_their_case():
    # Instagram, YouTube and short-link codes are case-sensitive: two cases differ.
    assert (
        canonicalise("https://youtu.be/dQw4w9WgXcQ").key
        != canonicalise("https://youtu.be/DQW4W9WGXCQ").key
    )
    assert canonicalise("https://vt.tiktok.com/ZSabc/").key == "tiktok:short:ZSabc"


def test_look_alike_hosts_are_not_the_platform():
    assert canonicalise(f"https://nottiktok.com/@a/video/{TT}").platform == OTHER
    assert canonicalise(f"https://tiktok.com.evil.example/@a/video/{TT}").platform == OTHER
    # the host is what follows the user name, not what precedes the @
    assert canonicalise(f"https://www.tiktok.com@evil.example/video/{TT}").platform == OTHER
    assert canonicalise(f"https://x.com.evil.example/a/status/{XID}").key.startswith("other:")


def test_a_long_other_address_gets_a_hashed_key():
    content = canonicalise("https://example.org/" + "a" * 1500)
    assert content.platform == OTHER
    assert content.key.startswith("other:sha256:") and len(content.key) <= KEY_MAX
    assert len(content.key) == len("other:sha256:") + 64
    assert content.canonical_url == "https://example.org/" + "a" * 1500
    assert canonicalise("https://example.org/" + "a" * 1500 + "/").key == content.key
    assert canonicalise("https://example.org/" + "a" * 1501).key != content.key


def test_the_link_shim_with_a_bad_target_is_a_facebook_page():
    content = canonicalise("https://l.facebook.com/l.php?u=javascript%3Aalert(1)&h=x")
    assert content.platform == "facebook" and content.key.startswith("other:")
    assert "javascript" in content.canonical_url  # kept as data in a query, never as a scheme
    assert content.canonical_url.startswith("https://l.facebook.com/l.php?")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        (None, "empty"),
        ("hello", "not_a_url"),
        ("bukan alamat", "not_a_url"),
        ("https://kpu.go.id/a b", "not_a_url"),
        ("https://kpu.go.id/\x00x", "not_a_url"),
        ("java\tscript:alert(1)", "not_a_url"),
        ("https://", "not_a_url"),
        ("https:///no-host", "not_a_url"),
        ("https:/kpu.go.id", "not_a_url"),
        ("http://[::1", "not_a_url"),
        ("https://kpu.go.id:99999/", "not_a_url"),
        ("https://a..b/", "not_a_url"),
        ("localhost:8000/x", "not_a_url"),
        (12345, "not_a_url"),
        ("javascript:alert(1)", "scheme"),
        ("JavaScript:alert(document.cookie)", "scheme"),
        ("data:text/html,<script>alert(1)</script>", "scheme"),
        ("vbscript:msgbox(1)", "scheme"),
        ("ftp://files.example.org/a", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("mailto:pelapor@example.org", "scheme"),
        ("https://example.org/" + "a" * 2000, "too_long"),
    ],
)
def test_bad_input_is_refused_with_a_code(value, code):
    with pytest.raises(LinkError) as raised:
        canonicalise(value)
    assert raised.value.code == code
    assert str(raised.value)  # a message for logs; the reader sees the code's translation
    assert platform_of(value) == OTHER


def test_exactly_2000_characters_is_still_an_address():
    url = "https://example.org/" + "a" * (2000 - len("https://example.org/"))
    assert len(url) == 2000
    assert canonicalise(url).platform == OTHER


def test_platforms_are_monitors_codes():
    assert PLATFORMS == ("tiktok", "instagram", "facebook", "youtube", "x", "threads")
    assert OTHER not in PLATFORMS
