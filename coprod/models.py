"""The organisation itself and its services."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    """The one organisation this installation serves (a single row)."""

    name = models.CharField(max_length=200, default="Our organisation")
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Organisation":
        organisation, _ = cls.objects.get_or_create(pk=1)
        return organisation


class ServiceQuerySet(models.QuerySet):
    def with_champion(self):
        return self.select_related("champion")


class Service(models.Model):
    """A service or team of the organisation, with its co-production champion."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="championed_services",
        limit_choices_to={"is_staff_member": True},
        help_text="The staff member who champions co-production in this service.",
    )

    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
