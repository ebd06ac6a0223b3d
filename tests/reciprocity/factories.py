"""factory_boy factories for reciprocity: funding sources, benefit rules and thank-yous."""

from decimal import Decimal

import factory

from ..coprod.factories import day_from_today
from ..participants.factories import PartnerFactory


class FundingSourceFactory(factory.django.DjangoModelFactory):
    """A launch grant of £1,000 running from a year ago to a year ahead."""

    class Meta:
        model = "reciprocity.FundingSource"

    funder = factory.Sequence(lambda n: f"Funder {n}")
    grant = "Partner payments"
    kind = "launch"
    amount = factory.LazyFunction(lambda: Decimal("1000.00"))
    starts_on = day_from_today(-365)
    ends_on = day_from_today(365)


class BenefitRuleFactory(factory.django.DjangoModelFactory):
    """A weekly limit of £100 counting fees and vouchers; link partners with `partners=[...]`."""

    class Meta:
        model = "reciprocity.BenefitRule"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Earnings limit {n}")
    period = "week"
    limit = factory.LazyFunction(lambda: Decimal("100.00"))

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.partners.add(*extracted)


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reciprocity.Recognition"

    partner = factory.SubFactory(PartnerFactory)
    title = "Chaired the panel"
    message = "Thank you."
    given_on = day_from_today()
