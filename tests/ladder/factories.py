"""factory_boy factories for the ladder of participation: rounds, respondents, responses and actions."""


import factory

from ladder.defaults import install_defaults
from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Rung

from ..coprod.factories import day_from_today
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory


def _current_ladder():
    """The current ladder, installing the shipped ladders and areas if a test flushed them."""
    install_defaults(Ladder, Rung, Area)
    return Ladder.current()


def _first_area():
    _current_ladder()
    return Area.objects.first()


class LadderRoundFactory(factory.django.DjangoModelFactory):
    """An open, organisation-wide round on the current ladder closing in two weeks, asking
    about every active area unless `areas=[...]` is given."""

    class Meta:
        model = "ladder.Round"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Self-assessment {n}")
    ladder = factory.LazyFunction(_current_ladder)
    closes_on = day_from_today(14)
    status = "open"

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.areas.set(extracted if extracted is not None else Area.objects.active())


class RespondentFactory(factory.django.DjangoModelFactory):
    """Someone asked in a round: use `StaffRespondentFactory` or `PartnerRespondentFactory`."""

    class Meta:
        model = "ladder.Respondent"

    round = factory.SubFactory(LadderRoundFactory)


class StaffRespondentFactory(RespondentFactory):
    group = "staff"
    user = factory.SubFactory(StaffFactory)


class PartnerRespondentFactory(RespondentFactory):
    group = "partner"
    partner = factory.SubFactory(PartnerFactory)


class LadderResponseFactory(factory.django.DjangoModelFactory):
    """An answer on rung `position` (default 4) of the round's ladder."""

    class Meta:
        model = "ladder.Response"
        exclude = ["position"]

    respondent = factory.SubFactory(StaffRespondentFactory)
    area = factory.LazyAttribute(lambda o: o.respondent.round.areas.order_by("order").first())
    position = 4
    rung = factory.LazyAttribute(lambda o: o.respondent.round.ladder.rungs.get(position=o.position))
    entered_by = factory.LazyAttribute(lambda o: o.respondent.user or o.respondent.partner.user)


class LadderActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ladder.Action"

    area = factory.LazyFunction(_first_area)
    description = factory.Sequence(lambda n: f"Agreed next step {n}")
    owner = factory.SubFactory(StaffFactory)
    due_on = day_from_today(30)
