"""The ladder's vocabulary: ladders of participation, their rungs, and the co-production
areas the organisation assesses itself in.

They live in the core because several apps speak them: the ladder app's rounds and actions,
the panels app's panels (an area) and decisions (the rung they reached). The tables keep
their original names (`ladder_ladder`, `ladder_rung`, `ladder_area` and their history).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Ladder(models.Model):
    """A ladder of participation (TLAP's ladder of co-production, Arnstein's...).

    Exactly one ladder is the organisation's current one: new rounds use it."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_current = models.BooleanField(
        "current ladder", default=False, help_text=_("New assessment rounds use the current ladder.")
    )

    history = HistoricalRecords(table_name="ladder_historicalladder")

    class Meta:
        db_table = "ladder_ladder"
        ordering = ["-is_current", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True),
                                    name="one_current_ladder"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Ladder | None":
        return cls.objects.filter(is_current=True).first()


class Rung(models.Model):
    """One step of a ladder, 1 at the bottom."""

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="rungs")
    position = models.PositiveSmallIntegerField(help_text=_("1 is the bottom rung."))
    name = models.CharField(max_length=80)
    description = models.TextField(help_text=_("What this rung means, in plain English."))
    example = models.TextField(blank=True, help_text=_("What it looks like in practice."))

    history = HistoricalRecords(table_name="ladder_historicalrung")

    class Meta:
        db_table = "ladder_rung"
        ordering = ["ladder", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="one_rung_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class AreaQuerySet(models.QuerySet):
    def active(self) -> "AreaQuerySet":
        return self.filter(is_active=True)


class Area(models.Model):
    """A co-production area the organisation assesses itself in (governance, recruitment...)."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text=_("Areas are shown in this order."))
    is_active = models.BooleanField(
        "offered for new rounds", default=True,
        help_text=_("Untick to stop offering it; rounds that used it keep it."),
    )

    objects = AreaQuerySet.as_manager()
    history = HistoricalRecords(table_name="ladder_historicalarea")

    class Meta:
        db_table = "ladder_area"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
