"""No English left in the Indonesian interface.

Every main page, rendered for a national administrator with demo-like data, is read as a person
sees it (text and the labels of controls, no tags or scripts) and searched for common English
interface words. The test data is written in Indonesian, so a hit is the interface's own. The
model labels the Django admin shows are translatable, and translated.

The page sweep reads the compiled catalogue: a string added since the last `saring
compilemessages` shows its English msgid until the translations are merged.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise

from saring.accounts.scope import scope_for
from saring.factcheck.models import Claim, Clarification, Narrative, PostMatch, PostNarrative
from saring.factcheck.services import save_clarification
from saring.monitoring.models import ImportRun, Post, QuarantinedRecord
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[2] / "src" / "saring" / "locale" / "id" / "LC_MESSAGES"
# Common English interface words. Case-sensitive where Indonesian has the same letters in
# another case ("Status", "Model", "Data" are Indonesian too; "data", "model" as well).
ENGLISH = re.compile(
    r"\b(Search|Import|Imports|Posts|Post|Review|Save|Cancel|Delete|Edit|Submit|Filters"
    r"|None|True|False|Yes|No|Next|Previous|Back|Loading|Dashboard|Narratives|Clarifications"
    r"|Quarantine|Watchlists|Labels|Language|Region|Score|Created|Updated|Read"
    r"|Quarantined|Published|Draft|Suggested|Confirmed|Rejected|Linked|Download|Upload|Export"
    r"|views|likes|shares|comments|posts|page|Page|of|the|and|with|from|to|by|at|in|for|rule"
    r"|matched|form|itself|phrase|growth|observations|observation|hour|hours|record|records"
    r"|event|events|suggestion|suggestions|left|never|unknown|accounts|score|flagged"
    r"|automatically|weighted|interactions|engagement|terms|term|since|until|all|any)\b"
)
# Names that are the same in every language: platforms, formats, products, abbreviations.
ALLOWED = re.compile(
    r"TikTok|Instagram|YouTube|Facebook|Zeeschuimer|4CAT|NDJSON|JSON-?LD|JSONL?|CSV|XLSX|API"
    r"|ClaimReview|Google Fact Check|TurnBackHoax|Meta Content Library|Research API|Data API v3"
    r"|Saring|KPU|Bawaslu|Komdigi|Mafindo|sha256|SHA-256|e5|BM25|F1|Macro-F1|ID · Bahasa Indonesia"
    r"|EN · English|OK"
)
PAGES = (
    "dashboard",
    "search",
    "post",
    "narratives",
    "narrative",
    "clarifications",
    "review",
    "imports",
    "import_detail",
    "quarantine",
    "watchlists",
    "label_queue",
    "models",
    "audit",
    "elections",
    "election",
    "registry",
    "registry_new",
    "registry_import",
)
TEXTS = [  # Indonesian only, so the page's own words are what the sweep finds
    "Surat suara sudah dicoblos di Kota Bandung, KPU dicurangi",
    "Surat suara sudah dicoblos di Kota Bandung, KPU dicurangi!",
    "Serangan fajar di Surabaya, amplop dibagi",
    "Ayo ke TPS tanggal 14 Februari, jangan golput",
]


class _Visible(HTMLParser):
    """The text a person reads: text nodes and the labels of controls, no script or style."""

    SKIP = {"script", "style", "template", "noscript"}
    LABELS = ("aria-label", "placeholder", "title", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
            return
        values = dict(attrs)
        self.parts += [values[a] for a in self.LABELS if values.get(a)]
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_words(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(ALLOWED.sub(" ", text))})


@pytest.fixture
def world(tmp_path):
    admin = member("admin", username="admin.ri")
    admin.is_staff = True
    admin.save()
    lines = [post_line(str(i), text, hours=i, observed_hours=1) for i, text in enumerate(TEXTS)]
    lines += [
        post_line(str(i), text, hours=i, observed_hours=5, views=900, shares=40)
        for i, text in enumerate(TEXTS[:2])
    ]  # a second observation: growth-based virality
    ingest_file(write_jsonl(tmp_path / "unggahan.jsonl", lines), "generic-jsonl")
    bad = ['{"platform": "x", "platform_id": "9", "created_at": "kemarin"}', "{bukan json"]
    ingest_file(write_jsonl(tmp_path / "rusak.jsonl", bad), "generic-jsonl")
    scope = scope_for(admin)
    clarification = save_clarification(
        scope,
        claim_text="Surat suara sudah dicoblos",
        headline="Surat suara tidak dicoblos sebelum hari pemungutan",
        verdict="HOAKS",
        explanation="KPU memastikan surat suara aman.",
        publish=True,
    )
    copies = list(Post.objects.filter(platform_id__in=["0", "1"]).order_by("pk"))
    PostMatch.objects.get_or_create(
        post=copies[0], clarification=clarification, defaults={"score": 0.93, "decision": "auto"}
    )
    other = Post.objects.get(platform_id="2")
    PostMatch.objects.update_or_create(
        post=other, clarification=clarification, defaults={"score": 0.41, "decision": "suggested"}
    )
    Clarification.objects.create(
        claim=Claim.objects.create(text="amplop dibagi"), headline="Draf amplop", verdict="SALAH"
    )
    narrative = Narrative.objects.create(number=3, size=2, accounts=2, views=1800, shares=80)
    for post in copies:
        PostNarrative.objects.get_or_create(
            post=post, defaults={"narrative": narrative, "how": "copy", "similarity": 1.0}
        )
    narrative.representative = copies[0]
    narrative.first_seen = timezone.now() - timedelta(days=2)
    narrative.last_seen = timezone.now()
    narrative.save()
    return {"admin": admin, "post": copies[0], "narrative": narrative}


def _url(name: str, world) -> str:
    if name == "post":
        return reverse("web:post", args=[world["post"].pk])
    if name == "narrative":
        return reverse("web:narrative", args=[world["narrative"].number])
    if name == "import_detail":
        return reverse("web:import_detail", args=[ImportRun.objects.order_by("pk").first().pk])
    if name in ("search", "dashboard"):
        return reverse(f"web:{name}") + "?region=all"
    if name == "election":
        return reverse("web:election", args=["pilkada.1871.2024-11-27"])
    return reverse(f"web:{name}")


def test_every_main_page_reads_in_indonesian(client, world):
    assert client.login(username="admin.ri", password=PASSWORD)
    found = {}
    for name in PAGES:
        response = client.get(_url(name, world))
        assert response.status_code == 200, name
        lines = visible_text(response.content.decode()).splitlines()
        hits = [f"{line[:120]} {english_words(line)}" for line in lines if english_words(line)]
        if hits:
            found[name] = hits
    assert found == {}, "\n".join(f"{page}: {hit}" for page, hits in found.items() for hit in hits)


def test_the_post_page_words_its_watchlist_rules_and_virality(client, world):
    """What the text layer stored in English ("di-…-i form of 'curang'") reads in Indonesian."""
    assert client.login(username="admin.ri", password=PASSWORD)
    post = world["post"]
    rules = [e["rule"] for flag in post.flags.all() for e in flag.evidence]
    assert any("form of" in r for r in rules), rules
    assert post.virality_basis.startswith("growth between"), post.virality_basis
    text = visible_text(client.get(_url("post", world)).content.decode())
    assert "bentuk di-…-i dari 'curang'" in text
    assert "pertumbuhan antara dua pengamatan terakhir" in text
    assert "form of" not in text and "growth between" not in text


def test_the_sweep_sees_english_when_the_reader_asks_for_it(client, world):
    """The sweep itself works: the same pages in English are full of the listed words."""
    assert client.login(username="admin.ri", password=PASSWORD)
    client.cookies["django_language"] = "en"
    text = visible_text(client.get(_url("post", world)).content.decode())
    assert {"views", "likes", "matched"} <= set(english_words(text))


def _labels():
    for model in apps.get_models():
        if not model.__module__.startswith("saring."):
            continue
        meta = model._meta
        yield meta.label, "verbose_name", meta.verbose_name
        yield meta.label, "verbose_name_plural", meta.verbose_name_plural
        for field in meta.get_fields():
            if getattr(field, "concrete", False) and not field.auto_created:
                yield meta.label, field.name, field.verbose_name


def test_every_admin_label_of_saring_models_is_translatable():
    plain = [(m, f, str(v)) for m, f, v in _labels() if not isinstance(v, Promise)]
    assert plain == [], "give these fields verbose_name=_() in the model"


def test_every_admin_label_has_an_indonesian_translation():
    translated = {e.msgid for e in polib.pofile(str(PO / "django.po")).translated_entries()}
    missing = set()
    for model, field, value in _labels():
        if isinstance(value, Promise):
            msgid = _msgid(value)
            if msgid not in translated:
                missing.add((model, field, msgid))
    assert sorted(missing) == []


def _msgid(value: Promise) -> str:
    """The English source of a lazy translation (its text with no language active)."""
    from django.utils import translation

    with translation.override(None):
        return str(value)


ADMIN_PAGES = (
    "admin:index",
    "admin:monitoring_post_changelist",
    "admin:monitoring_importrun_changelist",
    "admin:monitoring_quarantinedrecord_changelist",
    "admin:factcheck_clarification_changelist",
    "admin:elections_election_changelist",
    "admin:registry_knownaccount_changelist",
)


def test_the_admin_reads_in_indonesian(client, world):
    admin = world["admin"]
    admin.is_superuser = True
    admin.save()
    assert client.login(username="admin.ri", password=PASSWORD)
    records = [str(r) for r in QuarantinedRecord.objects.select_related("run")]
    found = {}
    for name in ADMIN_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        text = visible_text(response.content.decode())
        for record in records:  # a record's own name (its file, place, parser text) is data
            text = text.replace(record, "")
        # Django's own search icon has a fixed English alt text (admin/search_form.html).
        text = text.replace("\nSearch\n", "\n")
        lines = text.splitlines()
        hits = [f"{line[:120]} {english_words(line)}" for line in lines if english_words(line)]
        if hits:
            found[name] = hits
    assert found == {}, "\n".join(f"{page}: {hit}" for page, hits in found.items() for hit in hits)
