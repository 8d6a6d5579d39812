"""Elections and the typed stages of their calendar (kernel: every context reads them)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.regions.fields import province_field, regency_field


class Election(models.Model):
    """One election: the national Pemilu, a simultaneous Pilkada round (no region), or one
    region's Pilkada within that round (`parent`). Ids are stable and built on region codes:
    `pemilu.2024-02-14`, `pilkada.2024-11-27` (the round), `pilkada.18.2024-11-27` (a
    province), `pilkada.1871.2024-11-27` (a regency/city)."""

    class Kind(models.TextChoices):
        PEMILU = "pemilu", _("General election (Pemilu)")
        PILKADA = "pilkada", _("Regional head election (Pilkada)")

    id = models.CharField(_("id"), max_length=60, primary_key=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    voting_day = models.DateField(_("voting day"))
    # No region: national (Pemilu) or the simultaneous round; a province alone: governor race;
    # a regency/city: regent or mayor race.
    province = province_field("elections")
    regency = regency_field("elections")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("round"),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["voting_day", "id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        indexes = [models.Index(fields=["kind", "voting_day"])]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A stage of an election's calendar, from `starts_on` to `ends_on` inclusive, in the
    local time of the election's region (WIB, WITA or WIT)."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Campaign")
        QUIET = "quiet", _("Quiet period")
        VOTING = "voting", _("Voting day")
        COUNTING = "counting", _("Vote counting")
        RECAPITULATION = "recapitulation", _("Recapitulation")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="stages", verbose_name=_("election")
    )
    kind = models.CharField(_("stage"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["election", "starts_on", "kind"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["election", "kind"], name="stage_once_per_election"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="stage_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election} · {self.get_kind_display()}"
