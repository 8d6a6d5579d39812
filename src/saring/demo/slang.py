"""Informal register for the demo texts: slang abbreviations, elongations, typos, particles,
emoji and a little Javanese, Sundanese, Betawi, Batak, Makassar and Malay colour.

``stylize`` turns a clean template sentence into what an account with a given style types.
"""

from __future__ import annotations

from dataclasses import dataclass

SLANG: dict[str, tuple[str, ...]] = {
    "yang": ("yg", "yg", "yang"), "tidak": ("gk", "ga", "gak", "nggak", "tdk", "enggak"),
    "enggak": ("gk", "ngga", "ga"), "sudah": ("udah", "udh", "sdh", "dah"),
    "banget": ("bgt", "bngt", "bgtt"), "kalau": ("kalo", "klo", "klw"), "saja": ("aja", "aj"),
    "dengan": ("dgn", "sama", "dg"), "untuk": ("utk", "buat"), "bagaimana": ("gimana", "gmn"),
    "begitu": ("gitu",), "begini": ("gini",), "karena": ("krn", "karna", "soalnya"),
    "orang": ("org", "orang"), "sekarang": ("skrg", "skrng"), "juga": ("jg", "juga"),
    "lagi": ("lg", "lagi"), "belum": ("blm", "blom"), "tapi": ("tp", "tapi"),
    "saya": ("sy", "gw", "aku", "gue"), "aku": ("aq", "gw", "ak"), "kamu": ("km", "lu", "kmu"),
    "memang": ("emang", "emg"), "benar": ("bener", "bnr"), "seperti": ("kayak", "kyk", "kek"),
    "nanti": ("ntar", "nnti", "ntr"), "lihat": ("liat", "liat"), "tahu": ("tau", "tw"),
    "ini": ("ni", "nih", "ini"), "jangan": ("jgn", "jangan"), "kenapa": ("knp", "napa"),
    "teman": ("temen",), "semua": ("smua", "semua"), "pakai": ("pake", "pk"),
    "bilang": ("blg",), "sih": ("sii", "sih"), "banyak": ("byk", "banyak"), "dari": ("dr",),
    "pada": ("pd",), "atau": ("ato", "atw"), "mereka": ("mrk", "mereka"), "kita": ("kt", "kita"),
    "terus": ("trs", "terus", "trus"), "sampai": ("sampe", "ampe"), "gimana": ("gmn",),
    "bapak": ("pak", "bpk"), "ibu": ("bu", "ibu"), "pemilihan": ("pemilihan",),
    "sebelum": ("sblm",), "setelah": ("stlh", "abis"), "habis": ("abis",), "masih": ("msh",),
    "apalagi": ("apalg",), "cuma": ("cm", "cuman"), "hanya": ("cuma", "cm"),
    "katanya": ("katanya", "ktnya", "konon"), "mau": ("mo", "mau"), "bisa": ("bs", "bisa"),
}  # fmt: skip

ELONGATE = ("parah", "banget", "bgt", "anjir", "woy", "gila", "keren", "capek", "lapar",
            "panas", "seru", "sedih", "kesel", "plis", "tolong", "ayo", "mantap", "curang",
            "bohong", "hoaks", "aneh", "lucu", "nggak", "gak", "sumpah")  # fmt: skip

PARTICLES = ("sih", "deh", "dong", "loh", "kok", "nih", "gaes", "guys", "cuy", "bro", "sis",
             "gan", "bestie", "lur")  # fmt: skip
LAUGH = ("wkwk", "wkwkwk", "wkwkwkwk", "awokawok", "haha", "xixixi", "ngakak", "wkwk 🤣")
ENGLISH = ("ngl", "literally", "so true", "no debate", "real", "fr", "btw", "anyway",
           "vibes", "mood", "lowkey", "bruh")  # fmt: skip

DIALECT_TAILS: dict[str, tuple[str, ...]] = {
    "jawa": ("rek", "lur", "lho", "piye iki", "wes ngono wae", "ora umum", "cah", "yo ngono",
             "mbok yo", "tenan"),
    "sunda": ("euy", "atuh", "mah", "sok atuh", "teh", "pisan", "lah"),
    "betawi": ("bener dah", "kagak", "ye", "aje", "ente", "dah"),
    "batak": ("bah", "lae", "horas", "bah macam mana ini"),
    "makassar": ("ji", "mi", "ces", "iye", "daeng"),
    "melayu": ("lah", "tak", "macam mana", "betul tu", "kan"),
}  # fmt: skip

EMOJI: dict[str, tuple[str, ...]] = {
    "angry": ("😡", "🤬", "😤", "👊", "😠", "😡😡"),
    "sad": ("😭", "🥲", "😢", "😞", "💔"),
    "happy": ("😂", "🤣", "😆", "😁", "😄", "🤭"),
    "love": ("❤️", "😍", "🥰", "💕", "🫶"),
    "alarm": ("⚠️", "‼️", "🚨", "❗❗", "⛔", "🔴"),
    "proud": ("🇮🇩", "✌️", "🙏", "💪", "🔥", "👍"),
    "think": ("🤔", "🧐", "🙄", "😶", "🫠"),
    "info": ("📢", "📌", "✅", "🗳️", "ℹ️", "👉"),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Style:
    slang: float  # chance a word with a slang form is abbreviated
    emoji: float  # chance of emoji at the end
    caps: float  # chance of SHOUTING (whole text upper-case)
    typo: float  # chance of one typo
    laugh: float  # chance of a laugh token
    dialect: str  # "", "jawa", "sunda", ...
    lower: bool  # writes everything in lower case


FORMAL = Style(0.0, 0.4, 0.0, 0.0, 0.0, "", False)


def random_style(rng, dialect: str) -> Style:
    slang = rng.choice((0.05, 0.2, 0.45, 0.6, 0.75, 0.9))
    return Style(
        slang=slang,
        emoji=rng.choice((0.1, 0.35, 0.6, 0.85)),
        caps=rng.choice((0.0, 0.0, 0.02, 0.08)),
        typo=rng.choice((0.0, 0.05, 0.15, 0.3)),
        laugh=rng.choice((0.02, 0.1, 0.25)),
        dialect=dialect if rng.random() < 0.45 else "",
        lower=slang > 0.5 and rng.random() < 0.6,
    )


def _typo(rng, word: str) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    r = rng.random()
    if r < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if r < 0.75:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def stylize(rng, text: str, st: Style, mood: str = "") -> str:
    """Rewrite ``text`` in the informal register of ``st``; ``mood`` picks emoji."""
    if st.slang > 0:
        words = text.split(" ")
        sl = st.slang
        for i, w in enumerate(words):
            low = w.lower()
            forms = SLANG.get(low)
            if forms is not None and rng.random() < sl:
                words[i] = rng.choice(forms)
            elif low in ELONGATE and rng.random() < sl * 0.6:
                words[i] = w + w[-1] * rng.randint(1, 3)
        if st.typo and rng.random() < st.typo:
            j = rng.randrange(len(words))
            words[j] = _typo(rng, words[j])
        text = " ".join(words)
        if rng.random() < sl * 0.35:
            text = text.rstrip(".!") + " " + rng.choice(PARTICLES)
        if st.dialect and rng.random() < 0.5:
            text = text.rstrip(".") + " " + rng.choice(DIALECT_TAILS[st.dialect])
        if rng.random() < sl * 0.08:
            eng = rng.choice(ENGLISH)
            text = f"{eng} {text}" if rng.random() < 0.5 else f"{text} {eng}"
    if st.laugh and rng.random() < st.laugh * (3.0 if mood == "happy" else 0.3):
        text += " " + rng.choice(LAUGH)
    if st.lower:
        text = text.lower()
    elif st.caps and rng.random() < st.caps * (4 if mood in ("angry", "alarm") else 1):
        text = text.upper()
    if mood and rng.random() < st.emoji:
        e = rng.choice(EMOJI[mood])
        text += " " + (e * rng.randint(1, 3) if len(e) == 1 else e)
    return text
