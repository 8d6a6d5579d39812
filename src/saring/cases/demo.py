"""The demo's cases: a few hundred, in every state, made through RESPOND's own services.

`build_demo_cases()` (called by `saring demo` as its last step) adds the demo's Bawaslu
offices, the platform liaisons and the escalation channels, then replays a month of case work:
reports from the public and partners (several reports of one content written in different URL
forms attach to one case), officers' findings on demo posts, triage with legal bases,
escalations, the platforms' decisions of every kind, closures, appeals, reopenings, merges and
proposals. Each step runs at its own moment of that month (the clock is set for the step), in
time order, so the audit trail, the deadlines and the overdue list are the services' own.

- Deterministic: one seeded random generator; the month ends at the current hour.
- Idempotent: every report carries an idempotency key; a case whose first report is already
  stored is skipped with all its later steps, so a second run adds nothing.
- No network: channels are batches (TikTok, Meta; marked sent when a handler takes the batch)
  or e-mail (YouTube, X, Komdigi), and mail goes to the configured backend (the unsent-mail log
  unless an operator set SMTP). Platforms without a liaison user answer as a signed webhook
  would (the service's `scope=None` path).
"""

from __future__ import annotations

import contextlib
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from saring.accounts.models import Membership, Organisation
from saring.accounts.scope import Scope, scope_for
from saring.accounts.services import ensure_member, ensure_organisation
from saring.cases import categories
from saring.cases.models import Case, Channel, Decision, Escalation, Report
from saring.cases.services import decisions as decision_service
from saring.cases.services import escalation as escalation_service
from saring.cases.services import handling, intake, legal, merging
from saring.monitoring.models import Post

SEED = 2024
DAYS = 28  # the month of case work the demo replays, ending now
KEY_PREFIX = "demo-case"

# username, organisation, kind, province, regency (all analysts: they handle or answer cases)
ACCOUNTS = (
    ("bawaslu", "Bawaslu RI", Organisation.Kind.BAWASLU, None, None),  # as saring.demo has it
    ("bawaslu.jabar", "Bawaslu Provinsi Jawa Barat", Organisation.Kind.BAWASLU, "32", None),
    ("bawaslu.bandung", "Bawaslu Kota Bandung", Organisation.Kind.BAWASLU, "32", "32.73"),
    ("tiktok.liaison", "TikTok Indonesia", Organisation.Kind.PLATFORM, None, None),
    ("meta.liaison", "Meta Indonesia", Organisation.Kind.PLATFORM, None, None),
)
# Organisations without a login of their own: their answers arrive as the platform's system.
ADDRESSEES = (
    ("Google Indonesia (YouTube)", Organisation.Kind.PLATFORM),
    ("X Indonesia", Organisation.Kind.PLATFORM),
)
# name, platform, kind, organisation, e-mail, answer hours, source of the answer time
CHANNELS = (
    ("TikTok", "tiktok", Channel.Kind.BATCH, "TikTok Indonesia", "", 48,
     "Demo: TikTok's own answer time for election reports (48 hours)"),
    ("Meta", "meta", Channel.Kind.BATCH, "Meta Indonesia", "", 72,
     "Demo: Meta's reporting portal for Bawaslu (72 hours)"),
    ("YouTube", "youtube", Channel.Kind.EMAIL, "Google Indonesia (YouTube)",
     "youtube-election-escalations@demo.saring.invalid", 72, "Demo: YouTube (72 hours)"),
    ("X", "x", Channel.Kind.EMAIL, "X Indonesia", "x-escalations@demo.saring.invalid", 72,
     "Demo: X (72 hours)"),
    ("Komdigi", "komdigi", Channel.Kind.EMAIL, "Komdigi", "aduan-konten@demo.saring.invalid",
     4, "Permenkominfo 5/2020 (urgent takedown: 4 hours)"),
)  # fmt: skip
CHANNEL_OF_PLATFORM = {
    "tiktok": "TikTok",
    "instagram": "Meta",
    "facebook": "Meta",
    "youtube": "YouTube",
    "x": "X",
}
PLATFORMS = ("tiktok", "instagram", "facebook", "youtube", "x")
# Regions where the cases were seen (Kota Bandung, where the demo's Jawa Barat users sit, most).
REGIONS = (
    ("32.73", 6), ("32.01", 2), ("32.04", 2), ("32.75", 1), ("35.78", 2), ("33.74", 1),
    ("31.74", 1), ("12.71", 1), ("73.71", 1), ("18.71", 1), ("51.71", 1),
)  # fmt: skip
# Final state -> share of the cases.
STATES = (
    ("draft", 4), ("received", 12), ("triaged", 12), ("escalated", 14), ("answered", 14),
    ("closed", 16), ("rejected", 8), ("merged", 6), ("reopened", 6), ("appealed", 8),
)  # fmt: skip
NEEDS_ESCALATION = {"escalated", "answered", "closed", "reopened", "appealed"}
VISIBILITIES = [v for v, _label in Decision.Visibility.choices]
DESCRIPTIONS = (
    "Video ini menyebarkan kabar bohong bahwa pemungutan suara diundur ke 21 Februari.",
    "Unggahan ini menghina suku dan agama salah satu calon.",
    "Akun ini membagikan ajakan serangan fajar dan menjanjikan uang kepada pemilih.",
    "Konten ini menuduh petugas KPPS mencurangi surat suara tanpa bukti.",
    "Akun ini meniru akun resmi KPU dan menyebarkan jadwal pemilihan yang salah.",
    "Unggahan ini mengajak golput dengan informasi palsu tentang DPT.",
    "Kampanye di masa tenang oleh akun tim pemenangan.",
)
REJECT_REASONS = (
    "Konten ini kritik terhadap kebijakan, bukan pelanggaran pemilu.",
    "Tautan tidak dapat dibuka dan laporan tidak memuat uraian kejadian.",
    "Konten ini sudah dihapus oleh pengunggahnya sebelum dikaji.",
)


@dataclass
class Plan:
    """One demo case: how it starts, where it ends, and its steps in time."""

    index: int
    state: str
    platform: str
    regency: str
    category: str
    urls: list[str]
    post_id: int | None
    door: str  # public, partner, officer, automatic
    start: datetime
    extra_reports: int = 0
    urgent: bool = False
    merge_into: int | None = None
    visibility: str = ""
    steps: list[tuple[datetime, str]] = field(default_factory=list)


@contextlib.contextmanager
def quiet_logs(*names: str) -> Iterator[None]:
    """The services log a line per report and per mail: hundreds would bury the demo's
    progress, so below WARNING they are held back while the demo replays."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Every `timezone.now()` (services, auto_now fields, the audit trail) reads `moment`."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


# -- people and channels ---------------------------------------------------------------------


def ensure_demo_handlers(password: str) -> dict[str, object]:
    """The demo's Bawaslu offices, liaison users and channels (idempotent); the users by
    username."""
    users = {}
    for username, name, kind, province, regency in ACCOUNTS:
        organisation = ensure_organisation(name, kind, province, regency)
        users[username] = ensure_member(username, password, organisation, Membership.Role.ANALYST)
    for name, kind in ADDRESSEES:
        ensure_organisation(name, kind)
    if not Organisation.objects.filter(name="Komdigi").exists():
        ensure_organisation("Komdigi", Organisation.Kind.KOMDIGI)
    for name, site, kind, org_name, email, hours, source in CHANNELS:
        Channel.objects.get_or_create(
            name=name,
            defaults={
                "platform": site,
                "kind": kind,
                "organisation": Organisation.objects.get(name=org_name),
                "email_to": email,
                "answer_hours": hours,
                "answer_source": source,
                "secret": f"demo-{site}-shared-secret",
            },
        )
    model = get_user_model()
    for username in ("bawaslu.jatim",):  # saring.demo's own, when it made it
        user = model.objects.filter(username=username).first()
        if user is not None:
            users[username] = user
    return users


def handler_for(users: dict, province: str | None, regency: str | None):
    """The most local demo Bawaslu analyst whose region holds the case."""
    if regency == "32.73" and "bawaslu.bandung" in users:
        return users["bawaslu.bandung"]
    if province == "32" and "bawaslu.jabar" in users:
        return users["bawaslu.jabar"]
    if province == "35" and "bawaslu.jatim" in users:
        return users["bawaslu.jatim"]
    return users["bawaslu"]


# -- the plan --------------------------------------------------------------------------------


def _synthetic_url(site: str, n: int, form: int) -> str:
    """Content `n` of `site`, written in its `form`-th way (all forms: one content)."""
    handle = f"warga{n % 97}"
    if site == "tiktok":
        vid = 7_320_000_000_000_000_000 + n
        forms = [
            f"https://www.tiktok.com/@{handle}/video/{vid}",
            f"https://m.tiktok.com/@{handle}/video/{vid}?is_from_webapp=1&lang=id",
        ]
    elif site == "youtube":
        vid = f"dm{n:09d}"[:11].ljust(11, "x")
        forms = [f"https://www.youtube.com/watch?v={vid}", f"https://youtu.be/{vid}?si=demo{n}"]
    elif site == "x":
        sid = 1_760_000_000_000_000_000 + n
        forms = [
            f"https://x.com/{handle}/status/{sid}",
            f"https://twitter.com/{handle}/status/{sid}?s=20",
        ]
    elif site == "facebook":
        story = 20_000_000_000_000 + n
        forms = [
            f"https://www.facebook.com/{handle}/posts/{story}",
            f"https://m.facebook.com/permalink.php?story_fbid={story}&id={100_000 + n}",
        ]
    else:
        code = f"Cdemo{n:06d}"
        forms = [f"https://www.instagram.com/p/{code}/",
                 f"https://www.instagram.com/reel/{code}/?igsh=demo{n}"]  # fmt: skip
    return forms[form % len(forms)]


def _demo_posts(count: int) -> dict[str, list[tuple[int, str]]]:
    """(id, url) of up to `count` demo posts per platform, the same ones every run."""
    found: dict[str, list[tuple[int, str]]] = {}
    for site in PLATFORMS:
        # Flagged posts (impostors, the quiet period) are left to monitoring's proposals.
        rows = Post.objects.filter(platform=site, account_flag="").exclude(url="")
        rows = rows.order_by("platform_id")
        found[site] = list(rows.values_list("id", "url")[:count])
    return found


def plan_cases(count: int, now: datetime, seed: int = SEED) -> list[Plan]:
    rng = random.Random(seed)
    codes = sorted(categories.codes())
    preferred = [c for c in ("hoax", "hate_speech", "sara", "money_politics", "black_campaign",
                             "wrong_procedure", "attack_organisers", "quiet_period",
                             "impersonation") if c in codes] or codes  # fmt: skip
    posts = _demo_posts(count // 3)
    regencies = [code for code, weight in REGIONS for _ in range(weight)]
    states = [state for state, weight in STATES for _ in range(weight)]
    # Every state at least once, then in proportion.
    finals = [state for state, _w in STATES]
    finals += [rng.choice(states) for _ in range(max(0, count - len(finals)))]
    finals = finals[:count]
    rng.shuffle(finals)
    plans: list[Plan] = []
    for index, state in enumerate(finals):
        site = PLATFORMS[index % len(PLATFORMS)]
        pool = posts.get(site) or []
        post_id, urls = None, []
        if pool and rng.random() < 0.4:
            post_id, url = pool[rng.randrange(len(pool))]
            if any(p.post_id == post_id for p in plans):
                post_id = None
            else:
                urls = [url]
        if not urls:
            urls = [_synthetic_url(site, index, 0)]
        door = rng.choices(("public", "partner", "officer"), (6, 2, 2))[0]
        if state == "draft":
            door = "automatic"
        plan = Plan(
            index=index,
            state=state,
            platform=site,
            regency=rng.choice(regencies),
            category=rng.choice(preferred),
            urls=urls,
            post_id=post_id,
            door=door,
            start=now - timedelta(minutes=rng.randint(60, DAYS * 24 * 60)),
            extra_reports=rng.choices((0, 1, 2), (6, 3, 1))[0] if door != "automatic" else 0,
            urgent=state in NEEDS_ESCALATION and rng.random() < 0.08,
            visibility=VISIBILITIES[index % len(VISIBILITIES)],
        )
        plans.append(plan)
    for plan in plans:
        _schedule(plan, rng, now)
    for plan in plans:
        if plan.state == "merged":
            plan.merge_into = _merge_target(plan, plans)
    return plans


def _schedule(plan: Plan, rng: random.Random, now: datetime) -> None:
    """The steps of one case, each some hours or days after the one before, all before now."""

    def later(after: datetime, low_hours: float, high_hours: float) -> datetime:
        return after + timedelta(minutes=rng.randint(int(low_hours * 60), int(high_hours * 60)))

    t = plan.start
    steps = [(t, "open")]
    for n in range(plan.extra_reports):
        steps.append((later(t, 1, 48), f"report:{n + 1}"))
    final = plan.state
    if final == "merged":
        steps.append((later(t, 2, 30), "merge"))
    elif final == "rejected" or (final == "reopened" and plan.index % 2):
        t = later(t, 2, 72)
        steps.append((t, "reject"))
        if final == "reopened":  # new information about a rejected report
            steps.append((later(t, 12, 96), "reopen"))
    elif final == "closed" and plan.index % 2:  # valid, but gone before it was escalated
        t = later(t, 2, 72)
        steps.append((t, "triage"))
        steps.append((later(t, 2, 48), "close"))
    elif final not in ("received", "draft"):
        t = later(t, 2, 72)
        steps.append((t, "triage"))
        if final in NEEDS_ESCALATION:
            t = later(t, 1, 24)
            steps.append((t, "escalate"))
            steps.append((later(t, 0.5, 4), "batch"))
            if final != "escalated":
                t = later(t, 6, 96)
                steps.append((t, "decide"))
                if final in ("closed", "reopened"):
                    t = later(t, 1, 48)
                    steps.append((t, "close"))
                if final == "reopened":
                    steps.append((later(t, 12, 72), "reopen"))
                if final == "appealed":
                    steps.append((later(t, 6, 48), "appeal"))
    last = max(moment for moment, _name in steps)
    limit = now - timedelta(minutes=5)
    if last > limit:  # shift the whole story back so it ends before now
        shift = last - limit + timedelta(minutes=rng.randint(5, 240))
        steps = [(moment - shift, name) for moment, name in steps]
        plan.start = steps[0][0]
    plan.steps = steps


def _merge_target(plan: Plan, plans: list[Plan]) -> int | None:
    """An earlier case of the same region still open when this one is merged into it."""
    when = dict((name, moment) for moment, name in plan.steps)["merge"]
    for other in plans:
        if (
            other.index != plan.index
            and other.regency == plan.regency
            and other.state in ("received", "triaged", "escalated")
            and other.start < when
        ):
            return other.index
    return None


# -- the steps -------------------------------------------------------------------------------


class Replay:
    """Runs the plans' steps in time order through the services."""

    def __init__(self, plans: list[Plan], users: dict, say: Callable[[str], None]):
        self.plans = {plan.index: plan for plan in plans}
        self.users = users
        self.say = say
        self.cases: dict[int, Case] = {}
        self.escalations: dict[int, list[Escalation]] = {}
        self.skipped: set[int] = set()
        self.created = 0  # set by build_demo_cases: the cases the replay added
        self.errors: list[str] = []
        self.channels = {c.name: c for c in Channel.objects.all()}

    def scope_of(self, username: str) -> Scope:
        return scope_for(self.users[username])

    def handler_scope(self, plan: Plan) -> Scope:
        case = self.cases.get(plan.index)
        province = case.province_id if case else plan.regency[:2]
        regency = case.regency_id if case else plan.regency
        return scope_for(handler_for(self.users, province, regency))

    def run(self) -> None:
        steps = sorted(
            (moment, plan.index, order, name)
            for plan in self.plans.values()
            for order, (moment, name) in enumerate(plan.steps)
        )
        every = max(1, len(steps) // 5)
        for done, (moment, index, _order, name) in enumerate(steps, 1):
            if index in self.skipped:
                continue
            if name != "open" and index not in self.cases:
                continue  # its opening failed: nothing to continue
            with clock(moment):
                try:
                    getattr(self, "step_" + name.split(":")[0])(self.plans[index], name)
                except Exception as error:  # a demo step the rules refuse: say so, go on
                    self.errors.append(f"case {index} {name}: {type(error).__name__}: {error}")
            if done % every == 0:
                self.say(f"  cases: {done:,}/{len(steps):,} steps")

    # each step ---------------------------------------------------------------------------

    def _report(self, plan: Plan, n: int) -> intake.Receipt:
        urls = plan.urls
        if n and plan.post_id is None:  # the same content, written another way
            urls = [_synthetic_url(plan.platform, plan.index, n)]
        rng = random.Random(plan.index * 10 + n)
        channel = Report.Channel.PARTNER if plan.door == "partner" and n == 0 else "public"
        scope = self.scope_of("partner") if channel == Report.Channel.PARTNER else None
        data = intake.ReportInput(
            urls=urls,
            category=plan.category,
            description=DESCRIPTIONS[(plan.index + n) % len(DESCRIPTIONS)],
            seen_at=timezone.now() - timedelta(hours=rng.randint(1, 36)),
            seen_where=f"Linimasa {plan.platform}",
            region_code=plan.regency,
            reporter_name=f"Warga Demo {plan.index}-{n}",
            reporter_email=f"pelapor{plan.index}.{n}@demo.saring.invalid",
            reporter_phone="",
            good_faith=True,
            consent=True,
        )
        return intake.submit(
            data,
            channel=channel,
            scope=scope,
            address=f"demo-address-{plan.index}-{n}",
            idempotency_key=f"{KEY_PREFIX}-{plan.index}-{n}",
        )

    def step_open(self, plan: Plan, _name: str) -> None:
        if plan.door == "officer" and plan.post_id is not None:
            scope = self.handler_scope(plan)
            if Report.objects.filter(case__items__post_id=plan.post_id).exists():
                self.skipped.add(plan.index)  # an earlier run's finding
                return
            post = Post.objects.get(pk=plan.post_id)
            case, _skipped = handling.open_finding(
                scope,
                posts=[post],
                category=plan.category,
                summary="Temuan patroli siber: " + DESCRIPTIONS[plan.index % len(DESCRIPTIONS)],
            )
        elif plan.door == "automatic":
            case = self._propose(plan)
            if case is None:
                return  # drafts made (counted), or an earlier run's report
        else:
            receipt = self._report(plan, 0)
            if not receipt.created:
                self.skipped.add(plan.index)  # made by an earlier run
                return
            case = receipt.case
        self.cases[plan.index] = case

    def _propose(self, plan: Plan) -> Case | None:
        """Drafts proposed by monitoring from the demo's flagged posts (impostors, campaign
        accounts in the quiet period: demo/speakers.py), through the proposals' own code.
        Without such posts the slot is a public report instead."""
        from saring.cases import proposals

        flagged = Post.objects.exclude(account_flag="")
        if flagged.exists():
            proposals.propose(flagged)  # content already in a case gets none (idempotent)
            return None
        plan.state = "received"
        receipt = self._report(plan, 0)
        if not receipt.created:
            self.skipped.add(plan.index)
            return None
        return receipt.case

    def step_report(self, plan: Plan, name: str) -> None:
        self._report(plan, int(name.split(":")[1]))

    def _triage(self, plan: Plan, valid: bool) -> None:
        case = Case.objects.get(pk=self.cases[plan.index].pk)
        scope = self.handler_scope(plan)
        site = "meta" if plan.platform in ("instagram", "facebook") else plan.platform
        bases = legal.suggested_bases(case.category or plan.category, site)[:3]
        if valid and not bases:
            bases = legal.suggested_bases("hoax", site)[:2]
        assignee = handler_for(self.users, case.province_id, case.regency_id)
        self.cases[plan.index] = handling.triage(
            scope,
            case,
            valid=valid,
            reason=(
                "Memenuhi unsur pelanggaran; diteruskan ke platform."
                if valid
                else REJECT_REASONS[plan.index % len(REJECT_REASONS)]
            ),
            category=case.category or plan.category,
            bases=bases,
            province=case.province_id,
            regency=case.regency_id,
            priority=Case.Priority.URGENT if plan.urgent else Case.Priority.NORMAL,
            assignee=assignee
            if handling.may_be_assigned(assignee, case.province_id, case.regency_id)
            else None,
        )

    def step_triage(self, plan: Plan, _name: str) -> None:
        self._triage(plan, True)

    def step_reject(self, plan: Plan, _name: str) -> None:
        self._triage(plan, False)

    def step_escalate(self, plan: Plan, _name: str) -> None:
        case = Case.objects.get(pk=self.cases[plan.index].pk)
        scope = self.handler_scope(plan)
        sent = [
            escalation_service.escalate(
                scope,
                case,
                self.channels[CHANNEL_OF_PLATFORM[plan.platform]],
                note="Mohon ditinjau sebelum hari pemungutan suara.",
            )
        ]
        if plan.urgent:
            case.refresh_from_db()
            sent.append(
                escalation_service.escalate(
                    scope, case, self.channels["Komdigi"], urgent=True,
                    note="Permintaan penurunan konten mendesak.",
                )
            )  # fmt: skip
        self.escalations[plan.index] = sent
        self.cases[plan.index] = Case.objects.get(pk=case.pk)

    def step_batch(self, plan: Plan, _name: str) -> None:
        """A handler downloads the portal's batch: its escalations count as sent."""
        for escalation in self.escalations.get(plan.index, []):
            escalation.refresh_from_db()
            if escalation.channel.kind != Channel.Kind.BATCH:
                continue
            if escalation.state != Escalation.State.QUEUED:
                continue
            with contextlib.suppress(escalation_service.EscalationError):
                escalation_service.take_batch(self.handler_scope(plan), escalation.channel, "csv")

    def step_decide(self, plan: Plan, _name: str) -> None:
        for n, escalation in enumerate(self.escalations.get(plan.index, [])):
            escalation.refresh_from_db()
            visibility = plan.visibility if n == 0 else Decision.Visibility.DISABLED
            data = {
                "platform_reference": f"DEMO-{escalation.channel.platform.upper()}-"
                f"{plan.index:05d}-{n}",
                "visibility": visibility,
                "account": "suspended" if plan.index % 11 == 0 and visibility == "removed"
                else "none",
                "ground": "none" if visibility == "no_action"
                else ("illegal" if escalation.channel.platform == "komdigi" else "terms"),
                "ground_reference": "" if visibility == "no_action"
                else "Pedoman Komunitas: integritas pemilu",
                "explanation": "Tidak melanggar pedoman komunitas."
                if visibility == "no_action"
                else "Konten melanggar pedoman tentang integritas pemilu.",
                "automated_detection": plan.index % 3 == 0,
                "automated_decision": "not",
                "decided_at": timezone.now().isoformat(),
            }  # fmt: skip
            liaison = {"tiktok": "tiktok.liaison", "meta": "meta.liaison"}.get(
                escalation.channel.platform
            )
            if liaison:
                decision_service.record_decision(
                    escalation, data, via="page", scope=self.scope_of(liaison)
                )
            else:  # as the platform's signed webhook would (signature checked by the view)
                decision_service.record_decision(escalation, data, via="webhook")
        self.cases[plan.index] = Case.objects.get(pk=self.cases[plan.index].pk)

    def _move(self, plan: Plan, to: str, why: str) -> None:
        case = Case.objects.get(pk=self.cases[plan.index].pk)
        self.cases[plan.index] = handling.move(self.handler_scope(plan), case, to, why)

    def step_close(self, plan: Plan, _name: str) -> None:
        self._move(plan, "closed", "Platform telah menindaklanjuti; kasus ditutup.")

    def step_reopen(self, plan: Plan, _name: str) -> None:
        self._move(plan, "reopened", "Konten yang sama diunggah ulang oleh akun lain.")

    def step_appeal(self, plan: Plan, _name: str) -> None:
        self._move(plan, "appealed", "Keputusan platform dibanding: konten masih dapat diakses.")

    def step_merge(self, plan: Plan, _name: str) -> None:
        if plan.merge_into is None or plan.merge_into not in self.cases:
            return
        source = Case.objects.get(pk=self.cases[plan.index].pk)
        target = Case.objects.get(pk=self.cases[plan.merge_into].pk)
        scope = self.handler_scope(plan)
        if not handling.handles(scope, source) or not handling.handles(scope, target):
            return
        self.cases[plan.index] = merging.merge(
            scope, source, target, "Laporan tentang konten yang sama dari akun penyebar lain."
        )


# -- the entry point -------------------------------------------------------------------------


def build_demo_cases(
    stdout=None, count: int = 300, *, password: str | None = None, seed: int = SEED
) -> dict:
    """The demo's cases (see the module's docstring); returns what was made. `stdout`: where
    progress and the new logins are printed (a file-like with `write`)."""

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    if password is None:
        from saring.demo.services import DEMO_PASSWORD  # the demo's one public password

        password = DEMO_PASSWORD
    users = ensure_demo_handlers(password)
    partner_org = ensure_organisation("Mafindo (demo tipline)", Organisation.Kind.FACTCHECKER)
    users["partner"] = ensure_member("mafindo.tipline", password, partner_org, "analyst")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    plans = plan_cases(count, now, seed)
    say(f"Cases: replaying {DAYS} days of case work for {len(plans):,} demo cases…")
    replay = Replay(plans, users, say)
    before = Case.objects.count()
    with quiet_logs("saring.cases", "saring.mail"):
        replay.run()
    replay.created = Case.objects.count() - before  # proposals may add several at once
    states = dict.fromkeys((s for s, _w in STATES), 0)
    for state in Case.objects.values_list("state", flat=True):
        states[state] = states.get(state, 0) + 1
    overdue = Case.objects.open().filter(follow_up_due__lt=timezone.now()).count()
    say(
        f"Cases: {replay.created:,} new, {len(replay.skipped):,} already there; "
        f"{sum(states.values()):,} in all ("
        + ", ".join(f"{state} {n}" for state, n in states.items() if n)
        + f"); {overdue:,} past their follow-up deadline."
    )
    if replay.errors:
        say(f"Cases: {len(replay.errors)} demo steps refused, e.g. {replay.errors[0]}")
    say(
        "Case handlers: 'bawaslu.bandung' (Bawaslu Kota Bandung), 'bawaslu.jabar' (Bawaslu "
        "Jawa Barat), 'bawaslu' (Bawaslu RI); platform liaisons: 'tiktok.liaison', "
        f"'meta.liaison'; partner tipline 'mafindo.tipline'; password '{password}'."
    )
    return {
        "created": replay.created,
        "skipped": len(replay.skipped),
        "states": states,
        "overdue": overdue,
        "errors": replay.errors,
    }
