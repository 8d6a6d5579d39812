"""Post texts for the demo data set: template slots, narrative copies, official posts.

``Composer`` is mixed into the generator; it uses the generator's ``rng``, ``pool``,
``nar_w`` (narrative weight per day) and ``seasonal`` (date-bound chatter).
"""

from __future__ import annotations

import bisect
from random import Random

from saring.demo import calendar as cal
from saring.demo import official as off
from saring.demo import texts as tx
from saring.demo.geo import PROVINCE_SHORT, Regency
from saring.demo.harms import INSULTS
from saring.demo.narratives import NARRATIVES, SCAM_LINKS, Narrative
from saring.demo.people import Author, Pool
from saring.demo.slang import stylize
from saring.demo.texts import COMMENTS, COUNTERS, PREFIXES, QUESTIONS, WRAPPERS

BIGS = ("2.000", "5 ribu", "12.000", "1.500", "ratusan ribu", "30 ribu", "850", "3.472")
PERSEN = ("56", "58,3", "60", "54", "57,9")
COUNTER_TAGS = ("SaringSebelumSharing", "CekFakta", "LawanHoaks", "StopHoaks")
SIMPLE_SLOTS = {
    "big": BIGS,
    "nominal": tx.NOMINAL,
    "persen": PERSEN,
    "food": tx.FOODS,
    "team": tx.TEAMS,
    "idol": tx.IDOLS,
    "drakor": tx.DRAKOR,
    "insult": INSULTS,
    "link": SCAM_LINKS,
}


def cum(ws) -> list[float]:
    """Cumulative sums, for ``bisect`` sampling."""
    out, t = [], 0.0
    for w in ws:
        t += w
        out.append(t)
    return out


def _join(parts: list[str]) -> str:
    out = []
    for p in parts:
        p = p.strip()
        if p and p[-1] not in ".!?:,)":
            p += "."
        out.append(p)
    return " ".join(out)


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``limit`` characters at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - len(ellipsis))
    return text[: cut if cut > limit // 2 else limit - len(ellipsis)].rstrip(" ,.") + ellipsis


class Slots(dict):
    """Template fields filled lazily, once per post, from the generator's random stream."""

    __slots__ = ("gen", "reg")

    def __init__(self, gen: Composer, reg: Regency) -> None:
        super().__init__()
        self.gen = gen
        self.reg = reg

    def __missing__(self, key: str) -> str:
        v = self.gen.slot(key, self)
        self[key] = v
        return v


class Composer:
    """Text-making half of the generator (see ``generator._Gen``)."""

    rng: Random
    pool: Pool
    nar_w: list[list[float]]
    seasonal: list

    def slot(self, key: str, s: Slots) -> str:
        rng, reg = self.rng, s.reg
        if key == "place":
            return rng.choice(reg.variants)
        if key == "kota":
            return reg.short if rng.random() < 0.8 else rng.choice(reg.variants)
        if key == "prov":
            names = PROVINCE_SHORT.get(reg.province)
            return rng.choice(names) if names else reg.province_name
        if key == "paslon":
            return rng.choice(tx.PASLON)
        if key == "paslon2":
            p = s["paslon"]
            return rng.choice([x for x in tx.PASLON if x != p])
        if key == "tps":
            n = rng.randint(1, 60)
            return f"{n:03d}" if rng.random() < 0.5 else str(n)
        if key == "n":
            return str(rng.randint(3, 40))
        opts = SIMPLE_SLOTS.get(key)
        return rng.choice(opts) if opts else ""

    def _narrative_text(self, nar: Narrative, s: Slots, author: Author, burst: bool) -> str:
        rng = self.rng
        for k, opts in nar.extra_slots.items():
            s[k] = rng.choice(opts)
        st = author.style
        r = rng.random()
        if burst or r < 0.2:
            text = rng.choice(nar.chains).format_map(s)
            if burst:
                return text
            if rng.random() < 0.25:
                cut = int(len(text) * rng.uniform(0.4, 0.8))
                text = truncate(text, cut, rng.choice(("...", "…", "... (selengkapnya di grup)")))
            if rng.random() < 0.45:
                c = stylize(rng, rng.choice(COMMENTS), st)
                text = rng.choice(WRAPPERS).replace("{c}", c).replace("{x}", text)
            return text
        claim = rng.choice(nar.claims).format_map(s)
        if r < 0.62:
            parts = [claim]
            if rng.random() < 0.55:
                parts.append(rng.choice(nar.extras).format_map(s))
            if rng.random() < 0.5:
                call = rng.choice(nar.calls)
                if rng.random() < 0.25:
                    parts.insert(0, call)
                else:
                    parts.append(call)
            if rng.random() < 0.35:
                parts.insert(0, rng.choice(PREFIXES))
            return stylize(rng, _join(parts), st, nar.mood)
        if r < 0.8:
            q = rng.choice(QUESTIONS).replace("{x}", claim.rstrip(".!?"))
            return stylize(rng, q, st, "think")
        c = stylize(rng, rng.choice(COMMENTS), st)
        return rng.choice(WRAPPERS).replace("{c}", c).replace("{x}", _join([claim]))

    def _official_text(self, d: int, author: Author, s: Slots) -> tuple[str, str, list[str]]:
        rng = self.rng
        s["wilayah"] = author.area
        s["lembaga"] = author.name
        lag = self.nar_w[d - 1] if d else self.nar_w[0]
        total = sum(lag)
        if total > 0 and rng.random() < min(0.55, total * 2.5):
            i = bisect.bisect(cum(lag), rng.random() * total)
            nar = NARRATIVES[min(i, len(NARRATIVES) - 1)]
            fact = nar.fact[0].upper() + nar.fact[1:]
            text = rng.choice(off.CLARIFY).format(
                title=nar.title,
                fact=nar.fact,
                fact_cap=fact,
                verdict=nar.verdict,
                verdict_low=nar.verdict.lower(),
            )
            return (
                text,
                nar.slug,
                ["KLARIFIKASI", "SaringSebelumSharing", "LawanHoaks"][: rng.randint(1, 3)],
            )
        bank = off.BAWASLU if author.cluster == "bawaslu" else off.KPU
        ph = cal.phase(d)
        opts = bank.get(ph, ()) + bank["any"] if rng.random() < 0.7 else bank["any"]
        text = rng.choice(opts or bank["any"]).format_map(s)
        tags = off.BAWASLU_TAGS if author.cluster == "bawaslu" else off.OFFICIAL_TAGS
        return text, "", rng.sample(tags, rng.randint(1, 3))

    def content(self, d, kind, key, obj, author, s) -> tuple[str, str, list[str], list[str]]:
        """(text, label key, hashtags, mentions) for one post."""
        rng, st = self.rng, author.style
        tags: list[str] = []
        mentions: list[str] = []
        label = key
        if kind == "chatter":
            active = [x for x in self.seasonal if x[0] <= d <= x[1]]
            if active and rng.random() < 0.3:
                _a, _b, tpl, mood, ctags = rng.choice(active)
            else:
                tpl, mood, ctags = rng.choice(tx.CHATTER)
            text = stylize(rng, tpl.format_map(s), st, mood)
            tags = list(ctags)
            if rng.random() < 0.04:
                other = self.pool.pick_user(rng, author.platform)
                if other.handle != author.handle:
                    mentions.append(other.handle)
        elif kind == "election":
            if key.startswith("support:"):
                text = rng.choice(tx.SUPPORT).replace("{p}", key[-2:]).format_map(s)
                tags = [f"Pilih{key[-2:]}", "Pilpres2024"]
            else:
                ph = cal.phase(d)
                bank = tx.ELECTION[ph] if rng.random() < 0.7 else tx.ELECTION["any"]
                tpl, mood = rng.choice(bank)
                text = stylize(rng, tpl.format_map(s), st, mood)
                tags = rng.sample(tx.ELECTION_TAGS, rng.choice((0, 1, 1, 2)))
        elif kind == "counter":
            lag = self.nar_w[d - 1]
            i = bisect.bisect(cum(lag), rng.random() * sum(lag))
            nar = NARRATIVES[min(i, len(NARRATIVES) - 1)]
            label = nar.slug
            text = rng.choice(COUNTERS).format(
                fact=nar.fact, topic=nar.topic, verdict_low=nar.verdict.lower()
            )
            text = stylize(rng, text, st, "think")
            tags = rng.sample(COUNTER_TAGS, rng.randint(0, 2))
            if rng.random() < 0.2:
                mentions.append(rng.choice(("kpu_ri", "bawaslu_ri")))
        elif kind == "official":
            text, label, tags = self._official_text(d, author, s)
            if author.area_code and rng.random() < 0.2:
                mentions.append("kpu_ri")
        elif kind == "hoax":
            text = self._narrative_text(obj, s, author, burst=False)
            tags = rng.sample(obj.hashtags, rng.randint(0, len(obj.hashtags)))
            if rng.random() < 0.05:
                mentions.append("kpu_ri")
        else:  # harm
            text = stylize(rng, rng.choice(obj.templates).format_map(s), st, obj.mood)
            tags = [t.format_map(s) for t in rng.sample(obj.hashtags, rng.randint(0, 2))]
            if key == "serangan_penyelenggara" and rng.random() < 0.3:
                mentions.append(rng.choice(("kpu_ri", "bawaslu_ri")))
        placeless = not (s.keys() & {"place", "kota", "prov"})
        if kind in ("chatter", "election") and placeless and rng.random() < 0.12:
            text = text + " " + rng.choice(tx.PLACE_TAILS).format_map(s)
        return text, label, tags, mentions
