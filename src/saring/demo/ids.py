"""Platform-plausible ids and URLs for the demo data set.

TikTok and X ids are 19-digit snowflakes carrying the creation time (TikTok: seconds << 32;
X: milliseconds since the Twitter epoch << 22); Instagram shortcodes are the base64 form of a
media id built the same way; Facebook ids are 18-digit numbers; YouTube video ids are 11
characters and comment ids look like ``Ugx…4AaABAg``.
"""

from __future__ import annotations

from saring.demo import calendar as cal

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
YT_LAST = "AEIMQUYcgkosw048"
MASK64 = (1 << 64) - 1
TWITTER_EPOCH_MS = 1288834974657
INSTAGRAM_EPOCH_MS = 1314220021721


def _b64(x: int, n: int) -> str:
    out = []
    for _ in range(n):
        out.append(B64[x & 63])
        x >>= 6
    return "".join(reversed(out))


def make_ids(
    rng,
    seq: int,
    salt: list[int],
    platform: str,
    media: str,
    created: int,
    handle: str,
    recent_yt: list[tuple[int, str]],
) -> tuple[str, str, str]:
    """(platform_id, url, in_reply_to) of post number ``seq`` created at ``created`` seconds.

    Ids are bijective scrambles of ``seq`` combined with the creation time, so they are unique
    per platform without keeping a set; YouTube comments reply to a video from ``recent_yt``.
    """
    unix = cal.START_UNIX + created
    if platform == "tiktok":
        pid = str((unix << 32) | ((seq * 2654435761 + salt[0]) & 0xFFFFFFFF))
        kind = "photo" if media == "carousel" else "video"
        return pid, f"https://www.tiktok.com/@{handle}/{kind}/{pid}", ""
    if platform == "x":
        ms = unix * 1000 + rng.randrange(1000)
        pid = str(((ms - TWITTER_EPOCH_MS) << 22) | ((seq * 40503 + salt[1]) & 0x3FFFFF))
        return pid, f"https://x.com/{handle}/status/{pid}", ""
    if platform == "instagram":
        ms = unix * 1000 + rng.randrange(1000)
        media_id = ((ms - INSTAGRAM_EPOCH_MS) << 23) | ((seq * 5059 + salt[2]) & 0x7FFFFF)
        code = _b64(media_id, 11)
        kind = "reel" if media == "video" else "p"
        return code, f"https://www.instagram.com/{kind}/{code}/", ""
    if platform == "facebook":
        pid = str(122100000000000000 + (seq * 2654435761 + salt[3]) % 10**14)
        kind = "videos" if media == "video" else "posts"
        return pid, f"https://www.facebook.com/{handle}/{kind}/{pid}", ""
    x = (seq * 0x9E3779B97F4A7C15 + salt[4]) & MASK64
    if media == "comment":
        cid = (
            "Ug"
            + rng.choice("xwyz")
            + _b64(x, 11)
            + "".join(rng.choice(B64[:62]) for _ in range(5))
            + "4AaABAg"
        )
        _t, vid = recent_yt[rng.randrange(len(recent_yt))]
        return cid, f"https://www.youtube.com/watch?v={vid}&lc={cid}", vid
    vid = _b64(x >> 4, 10) + YT_LAST[x & 15]
    shorts = rng.random() < 0.4
    url = (
        f"https://www.youtube.com/shorts/{vid}"
        if shorts
        else (f"https://www.youtube.com/watch?v={vid}")
    )
    return vid, url, ""
