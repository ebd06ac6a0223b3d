"""factory_boy factories for the core: services; and the declaration of a date relative to
today that every app's factories use."""

import datetime

import factory
from django.utils import timezone

from coprod.models import Service


def day_from_today(days: int = 0) -> factory.LazyFunction:
    """The date `days` from today (negative: in the past), worked out when each object is built."""
    return factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=days))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service {n}")
