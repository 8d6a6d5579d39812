"""Deterministic synthetic social-media data for Saring's demo (Pemilu 2024, Nov 2023 – Mar 2024).

Everything is written for the project: invented accounts, template texts, fictional targets
("paslon 01/02/03"). Places are real province and regency names and Kemendagri codes.

Each line is one object of Saring's generic JSONL schema. ``n_posts`` unique posts are made;
about 15% of them are observed again later with higher counts, as extra lines after the
original (same platform and platform_id, later ``observed_at``). Lines come out ordered by
``observed_at``. The same seed gives byte-identical output; memory stays flat (a day of posts
plus pending observations).
"""

from __future__ import annotations

import bisect
import heapq
import json
import math
from collections.abc import Iterator
from pathlib import Path
from random import Random

from saring.demo import calendar as cal
from saring.demo import texts as tx
from saring.demo.compose import Composer, Slots, cum, truncate
from saring.demo.geo import load_geo
from saring.demo.harms import HARMS
from saring.demo.ids import make_ids
from saring.demo.narratives import NARRATIVES, Narrative
from saring.demo.people import PLATFORM_SHARE, PLATFORMS, Author, build_pool, pick_region

__all__ = ["generate", "generate_labelled", "write_jsonl"]

# platform: (median views, sigma, likes/views, comments/likes, shares/likes)
ENGAGEMENT = {
    "tiktok": (5000.0, 1.9, 0.07, 0.04, 0.12),
    "x": (300.0, 1.7, 0.03, 0.12, 0.30),
    "instagram": (1500.0, 1.6, 0.06, 0.04, 0.05),
    "facebook": (600.0, 1.7, 0.05, 0.15, 0.35),
    "youtube": (4000.0, 1.9, 0.035, 0.08, 0.0),
}
MEDIA = {  # (media type, cumulative probability)
    "tiktok": (("video", 0.93), ("carousel", 1.0)),
    "instagram": (("video", 0.35), ("image", 0.75), ("carousel", 1.0)),
    "x": (("text", 0.65), ("image", 0.9), ("video", 1.0)),
    "facebook": (("text", 0.45), ("image", 0.8), ("video", 1.0)),
}
TAU_HOURS = {"chatter": 6.0, "election": 10.0, "counter": 10.0, "official": 16.0}
REOBSERVE = {
    "chatter": 0.07,
    "election": 0.12,
    "counter": 0.12,
    "official": 0.2,
    "harm": 0.3,
    "hoax": 0.4,
}
ELECTION_SCALE = 0.8
NARRATIVE_SCALE = 0.13
COUNTER_SCALE = 0.15
OFFICIAL_SCALE = 2.4
HARM_SCALE = 0.6
SPREADER_SHARE = {"hoax": 0.45, "harm": 0.4, "election": 0.03}


class _Gen(Composer):
    def __init__(self, n_posts: int, seed: int) -> None:
        self.n_posts = n_posts
        self.rng = Random(seed)
        self.geo = load_geo()
        self.pool = build_pool(Random(seed * 7919 + 1), self.geo)
        salts = Random(seed * 104729 + 3)
        self.salt = [salts.getrandbits(64) for _ in range(6)]
        self.seq = 0  # unique post counter
        self.line_seq = 0  # heap tie-breaker
        self.heap: list = []
        self.recent_x: list[tuple[int, str, str]] = []  # (created, id, handle) ring
        self.recent_yt: list[tuple[int, str]] = []
        self.seasonal = [
            (cal.day(*a), cal.day(*b), tpl, mood, tags) for a, b, tpl, mood, tags in tx.SEASONAL
        ]
        self.support = {c.key: c for c in self.pool.clusters if c.pushes[0].startswith("support")}
        self.pushers: dict[str, list] = {}
        for c in self.pool.clusters:
            for k in c.pushes:
                self.pushers.setdefault(k, []).append(c)
        self.nar_w = [[self._nar_weight(n, d) for n in NARRATIVES] for d in range(cal.NDAYS)]

    # ---------------------------------------------------------------- calendar and topics
    @staticmethod
    def _nar_weight(n: Narrative, d: int) -> float:
        w = cal.curve(d, n.start, n.peak, n.half_life)
        if n.second_wave:
            s, p, h, a = n.second_wave
            w += a * cal.curve(d, s, p, h)
        return n.amp * w * NARRATIVE_SCALE

    def topics(self, d: int) -> tuple[list, list[float]]:
        lag = sum(self.nar_w[d - 1]) if d else 0.0
        items = [
            ("chatter", "", None, cal.chatter_weight(d)),
            ("election", "", None, cal.election_weight(d) * ELECTION_SCALE),
            ("official", "", None, cal.official_weight(d) * OFFICIAL_SCALE),
            ("counter", "", None, lag * COUNTER_SCALE),
        ]
        items += [("hoax", n.slug, n, w) for n, w in zip(NARRATIVES, self.nar_w[d], strict=True)]
        items += [("harm", h.key, h, h.weight(d) * HARM_SCALE) for h in HARMS]
        items = [it for it in items if it[3] > 1e-6]
        return items, cum(it[3] for it in items)

    def day_counts(self) -> list[int]:
        noise = Random(self.rng.getrandbits(32))
        ws = []
        for d in range(cal.NDAYS):
            total = self.topics(d)[1][-1]
            ws.append(total * max(0.7, 1.0 + 0.07 * noise.gauss(0, 1)))
        scale = self.n_posts / sum(ws)
        raw = [w * scale for w in ws]
        counts = [int(r) for r in raw]
        rest = self.n_posts - sum(counts)
        order = sorted(range(cal.NDAYS), key=lambda i: (counts[i] - raw[i], i))
        for i in order[:rest]:
            counts[i] += 1
        return counts

    # ---------------------------------------------------------------- one post
    def post(
        self,
        d: int,
        topic: tuple,
        t: int,
        author: Author | None = None,
        text: str | None = None,
        slots: Slots | None = None,
    ) -> None:
        rng, pool = self.rng, self.pool
        kind, key, obj, _w = topic
        if author is None:
            if kind == "official":
                author = pool.pick_official(rng)
            else:
                platform = self._platform(kind, obj)
                u = rng.random()
                if u < SPREADER_SHARE.get(kind, 0.0):
                    author = pool.pick_spreader(rng, platform)
                if author is None:
                    author = pool.pick_user(rng, platform)
        platform = author.platform
        if slots is None:
            reg = author.region if rng.random() < 0.65 else pick_region(rng, self.geo)
            s = Slots(self, reg)
        else:
            s, reg = slots, slots.reg
        forced = text is not None
        if text is None:
            text, label, tags, mentions = self.content(d, kind, key, obj, author, s)
        else:
            label, tags, mentions = key, [], []
            if obj is not None and getattr(obj, "hashtags", None):
                tags = [h.format_map(s) for h in obj.hashtags[: rng.randint(1, 3)]]
            elif key.startswith("support:"):
                tags = [f"Pilih{key[-2:]}"]
        # media type
        if platform == "youtube":
            want_video = author.kind in ("official", "spreader") or rng.random() < 0.3
            media = "video" if want_video or not self.recent_yt else "comment"
        else:
            u = rng.random()
            media = next(m for m, c in MEDIA[platform] if u <= c)
        in_reply_to = ""
        if (
            platform == "x"
            and kind != "official"
            and not forced
            and self.recent_x
            and rng.random() < 0.18
        ):
            pt, pid, phandle = self.recent_x[rng.randrange(len(self.recent_x))]
            if pt < t and phandle != author.handle:
                in_reply_to = pid
                mentions.insert(0, phandle)
                text = f"@{phandle} {text}"
        pid, url, parent = make_ids(
            rng, self.seq, self.salt, platform, media, t, author.handle, self.recent_yt
        )
        self.seq += 1
        if parent:
            in_reply_to = parent
        # platform shaping of text and tags
        tags = list(dict.fromkeys(tags))
        if media != "comment":
            ptags = tx.PLATFORM_TAGS[platform]
            if ptags and kind != "official" and rng.random() < 0.7:
                tags += [
                    p
                    for p in rng.sample(ptags, rng.randint(1, min(3, len(ptags))))
                    if p not in tags
                ]
        else:
            tags = []
        if platform == "x":
            tags = tags[:2]
        tail = "".join(f" @{m}" for m in mentions if f"@{m}" not in text)
        tag_str = " ".join("#" + h for h in tags)
        if platform == "x":
            text = truncate(text, 279 - len(tag_str) - len(tail))
        elif media == "comment":
            text = truncate(text, 300)
        elif platform == "youtube":
            text = truncate(text, 100)
        text += tail
        if tag_str:
            text = text + ("\n\n" if platform == "instagram" else " ") + tag_str
        # place -> region code
        region = ""
        u = rng.random()
        if "place" in s or "kota" in s:
            region = reg.code if u < 0.28 else ""
        elif "prov" in s:
            region = reg.province if u < 0.3 else ""
        elif author.kind == "official":
            region = author.area_code if u < 0.7 else ""
        elif u < 0.06:
            region = author.region.code if u < 0.04 else author.region.province
        line = {
            "platform": platform,
            "platform_id": pid,
            "url": url,
            "author_handle": author.handle,
            "author_name": author.name,
            "author_location": author.location,
            "text": text,
            "hashtags": tags,
            "mentions": mentions,
            "created_at": cal.iso(t),
            "observed_at": "",
            "views": 0,
            "likes": 0,
            "shares": 0,
            "comments": 0,
            "media_type": media,
        }
        if region:
            line["region_code"] = region
        if in_reply_to:
            line["in_reply_to"] = in_reply_to
        if platform == "x":
            self._ring(self.recent_x, (t, pid, author.handle), 400)
        elif platform == "youtube" and media == "video":
            self._ring(self.recent_yt, (t, pid), 300)
        meta = {
            "category": kind,
            "key": label,
            "harm": kind in ("hoax", "harm"),
            "official": author.kind == "official",
            "author_kind": author.kind,
            "cluster": author.cluster if author.kind == "buzzer" else "",
            "observation": 0,
        }
        self._observe(line, meta, t, kind, obj, author, media, bool(in_reply_to))

    @staticmethod
    def _ring(buf: list, item, size: int) -> None:
        buf.append(item)
        if len(buf) > size * 2:
            del buf[:size]

    def _platform(self, kind: str, obj) -> str:
        rng = self.rng
        u = rng.random()
        if kind in ("hoax", "harm"):
            ws = [0.4 * a + 0.6 * b for a, b in zip(PLATFORM_SHARE, obj.platforms, strict=True)]
        elif kind == "chatter":
            ws = [0.3, 0.26, 0.2, 0.14, 0.1]
        else:
            ws = PLATFORM_SHARE
        i = bisect.bisect(cum(ws), u * sum(ws))
        return PLATFORMS[min(i, 4)]

    # ---------------------------------------------------------------- engagement
    def _observe(self, line, meta, t, kind, obj, author, media, reply) -> None:
        rng = self.rng
        platform = line["platform"]
        virality = getattr(obj, "virality", 1.0) if obj is not None else 1.0
        if kind == "election" and meta["key"].startswith("support:"):
            virality = 0.6
        tau = getattr(obj, "tau_hours", None) or TAU_HOURS.get(kind, 8.0)
        harmful = kind in ("hoax", "harm")
        if media == "comment":
            fv = 0.0
            fl = rng.lognormvariate(1.0, 1.6) * math.sqrt(author.reach * virality)
            fc = rng.lognormvariate(-0.5, 1.2)
            fs = 0.0
        else:
            base, sigma, lr, cr, sr = ENGAGEMENT[platform]
            fv = base * author.reach * virality * math.exp(sigma * rng.gauss(0, 1))
            if reply:
                fv *= 0.2
            if media == "text" and platform == "facebook":
                fv *= 0.7
            fv = min(fv, 4.0e7)
            fl = fv * lr * rng.lognormvariate(0, 0.45)
            fc = fl * cr * rng.lognormvariate(0, 0.6) * (1.6 if harmful else 1.0)
            fs = fl * sr * rng.lognormvariate(0, 0.6) * (2.0 if harmful else 1.0)
        end = cal.WINDOW_SECONDS - 1
        age = int(min(6 * 86400, max(120, rng.lognormvariate(math.log(5 * 3600), 1.2))))
        ages = [min(age, end - t)]
        p = REOBSERVE.get(kind, 0.1) * (1.6 if fv > ENGAGEMENT[platform][0] * 20 else 1.0)
        if rng.random() < p:
            for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
                age += int(min(5 * 86400, max(1800, rng.lognormvariate(math.log(20 * 3600), 0.7))))
                if t + age > end:
                    break
                ages.append(age)
        scale = tau * 3600.0
        for i, a in enumerate(ages):
            g = 1.0 - math.exp(-max(a, 60) / scale)
            out = line
            if i:
                out = {
                    **line,
                    "hashtags": list(line["hashtags"]),
                    "mentions": list(line["mentions"]),
                }
            out["observed_at"] = cal.iso(t + a)
            v = int(fv * g + 0.5)
            likes = int(fl * g + 0.5)
            out["views"] = v
            out["likes"] = likes if media == "comment" else min(likes, v)
            out["shares"] = int(fs * g + 0.5)
            out["comments"] = int(fc * g + 0.5)
            m = meta if i == 0 else {**meta, "observation": i}
            self.line_seq += 1
            heapq.heappush(self.heap, (t + a, self.line_seq, out, m))

    # ---------------------------------------------------------------- days
    def run(self) -> Iterator[tuple[dict, dict]]:
        rng = self.rng
        counts = self.day_counts()
        for d in range(cal.NDAYS):
            day_start = d * 86400
            while self.heap and self.heap[0][0] < day_start:
                _t, _s, line, meta = heapq.heappop(self.heap)
                yield line, meta
            n = counts[d]
            if not n:
                continue
            items, cum = self.topics(d)
            hcum = cal.hourly_profile(d)
            top = hcum[-1]
            times = sorted(
                day_start + bisect.bisect(hcum, rng.random() * top) * 3600 + rng.randrange(3600)
                for _ in range(n)
            )
            i = 0
            while i < n:
                topic = items[bisect.bisect(cum, rng.random() * cum[-1])]
                k = self._maybe_burst(d, topic, times[i], n - i)
                if k:
                    i += k
                    continue
                self.post(d, topic, times[i])
                i += 1
        while self.heap:
            _t, _s, line, meta = heapq.heappop(self.heap)
            yield line, meta

    def _maybe_burst(self, d: int, topic: tuple, t0: int, room: int) -> int:
        """Buzzer cluster posting the same message within minutes; returns posts made."""
        rng = self.rng
        kind, key, obj, _w = topic
        if kind == "election" and rng.random() < 0.008:
            cluster = self.support[rng.choice(sorted(self.support))]
            key = cluster.pushes[0]
            topic = ("election", key, None, 0.0)
        elif kind in ("hoax", "harm") and key in self.pushers and rng.random() < 0.04:
            cluster = rng.choice(self.pushers[key])
        else:
            return 0
        k = min(room, rng.randint(5, len(cluster.members)))
        if k < 3:
            return 0
        members = rng.sample(cluster.members, k)
        reg = pick_region(rng, self.geo)
        s = Slots(self, reg)
        if kind == "hoax":
            base = self._narrative_text(obj, s, members[0], burst=True)
        elif kind == "harm":
            base = rng.choice(obj.templates).format_map(s)
        else:
            base = rng.choice(tx.SUPPORT).replace("{p}", key[-2:]).format_map(s)
        t = t0
        end = (d + 1) * 86400 - 1
        for j, m in enumerate(members):
            text = base
            u = rng.random()
            if j and u < 0.3:
                text = base + " " + rng.choice(("🔥", "‼️", "💯", "👇", "🙏", "😡"))
            elif j and u < 0.4:
                text = rng.choice(("RT ", "Sebarkan: ", "Copas: ", "")) + base
            self.post(d, topic, min(t, end), author=m, text=text, slots=s)
            t += rng.randint(20, 400)
        return k


def generate_labelled(n_posts: int = 50_000, seed: int = 2024) -> Iterator[tuple[dict, dict]]:
    """Like :func:`generate`, with a ground-truth label per line.

    The label holds ``category`` (chatter, election, counter, official, hoax, harm), ``key``
    (narrative slug for hoax/counter/clarification posts, harm key for harm posts, "support:NN"
    for coordinated supporter posts), ``harm``, ``official``, ``author_kind``, ``cluster`` and
    ``observation`` (0 for the first line of a post, 1-3 for later observations).
    """
    if n_posts < 0:
        raise ValueError("n_posts must be >= 0")
    if n_posts == 0:
        return
    yield from _Gen(n_posts, seed).run()


def generate(n_posts: int = 50_000, seed: int = 2024) -> Iterator[dict]:
    """Yield the lines (dicts of the generic JSONL schema) of the demo data set."""
    for line, _meta in generate_labelled(n_posts, seed):
        yield line


def write_jsonl(path: Path, n_posts: int = 50_000, seed: int = 2024) -> int:
    """Write the data set as UTF-8 JSONL to ``path``; return the number of lines written."""
    n = 0
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with Path(path).open("w", encoding="utf-8", newline="\n") as f:
        for line in generate(n_posts, seed):
            f.write(dumps(line))
            f.write("\n")
            n += 1
    return n
