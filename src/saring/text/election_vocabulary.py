"""Election vocabulary the normaliser must never rewrite.

The slang lexicon (``data/slang_id.tsv``) turns chat spellings into standard words, and the
per-token rules collapse elongations, doubled last letters and digits used as letters. Election
acronyms and system names look like chat spellings to those rules ("dpt" is also chat for
"dapat", "pps" ends in a doubled-looking pair, "c1" has a digit): an officer searching "DPT" or
"Sirekap" must find exactly the posts that wrote them. ``PROTECTED_WORDS`` are kept as written
(lower-cased) by every per-token rule; ``PROTECTED_PHRASES`` are the multi-word terms whose
words are protected too ("quick count", "C.Hasil").

One word stays ambiguous in posts: "dpt" (see ``AMBIGUOUS``). In a post it is the voter list
when the post writes it in capitals, a voter-list word stands near it, or the post names any
other protected election word; otherwise it is "dapat". What a user types in a search box or a
watchlist term is always the voter list: nobody searches Saring for "dapat".

Pure Python, no Django import.
"""

from __future__ import annotations

__all__ = [
    "AMBIGUOUS",
    "ELECTION_EVIDENCE",
    "PROTECTED_PHRASES",
    "PROTECTED_WORDS",
    "is_protected",
]

# fmt: off
_ACRONYMS = (
    # voter lists and polling stations (KPU)
    "dpt", "dptb", "dpk", "dps", "dpshp", "dpthp", "dptln", "tps", "tpsln", "tpsu",
    # ad-hoc bodies and their staff
    "kpps", "kppsln", "ppk", "pps", "ppln", "ppdp", "pantarlih", "ptps", "pkd",
    # election bodies and rules
    "kpu", "kpud", "bawaslu", "panwaslu", "panwascam", "dkpp", "pkpu", "perbawaslu",
    "gakkumdu",
    # KPU and Bawaslu information systems
    "sirekap", "silon", "sipol", "sidalih", "situng", "sidapil", "silog", "siwaslu",
    # results forms ("C1", "C.Hasil", "D.Hasil")
    "c1", "d1", "da1", "db1", "dc1", "plano",
)
_CONTESTS = (
    "pemilu", "pilpres", "pileg", "pilkada", "pilgub", "pilbup", "pilwalkot",
    "paslon", "caleg", "capres", "cawapres", "cagub", "cawagub", "cabup", "cawabup",
    "cawalkot", "cawawalkot", "golput", "dapil",
)
PROTECTED_PHRASES: tuple[tuple[str, ...], ...] = (
    ("quick", "count"), ("real", "count"), ("c", "hasil"), ("d", "hasil"),
    ("masa", "tenang"), ("surat", "suara"), ("kotak", "suara"), ("daftar", "pemilih"),
)
# fmt: on

PROTECTED_WORDS: frozenset[str] = frozenset(_ACRONYMS + _CONTESTS) | frozenset(
    word for phrase in PROTECTED_PHRASES for word in phrase if len(word) > 1
)

# Protected words that are also everyday chat: word -> its chat meaning. The normaliser
# resolves them per post (see the module docstring); queries and terms keep the election word.
AMBIGUOUS: dict[str, str] = {"dpt": "dapat"}


# Words that show a post is about the election, so an ambiguous word in it is the election word
# ("dpt kacau, kpu harus tanggung jawab"): the acronyms and contests, not the phrases' everyday
# words ("masa", "hasil").
ELECTION_EVIDENCE: frozenset[str] = frozenset(_ACRONYMS + _CONTESTS) - frozenset(AMBIGUOUS)


def is_protected(token: str) -> bool:
    """True when the (lower-case) token is election vocabulary the normaliser keeps as is."""
    return token in PROTECTED_WORDS
