"""How claims, payments and recognition are set up changes only through staff, and a claim is
made only by its partner or by staff, whatever page or script calls the services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reciprocity import services

from ..helpers import assert_permission_denied

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()

# Each staff-only service and a call to it, about the records `world` holds.
STAFF_ONLY = {
    "settings_update": lambda world: dict(claims_waiting_days=7, voucher_low_stock=5),
    "activity_type_save": lambda world: dict(activity_type=world.activity_type, name="Panel meeting"),
    "rate_create": lambda world: dict(activity_type=world.activity_type, basis="hourly", amount=Decimal("30"),
                                      effective_from=TODAY + timedelta(days=30)),
    "rate_update": lambda world: dict(rate=world.rate, basis=world.rate.basis, amount=Decimal("1"),
                                      effective_from=world.rate.effective_from, effective_to=None),
    "funding_source_save": lambda world: dict(funder="New Fund", grant="Voices", kind="launch",
                                              amount=Decimal("500"), starts_on=TODAY,
                                              ends_on=TODAY + timedelta(days=365)),
    "benefit_rule_save": lambda world: dict(name="Limit", period="week", limit=Decimal("100"),
                                            counts_fees=True, counts_vouchers=True),
    "voucher_batch_create": lambda world: dict(provider="Shop", value=Decimal("10"), received_on=TODAY,
                                               codes=["NEW-CODE-1"]),
    "voucher_codes_add": lambda world: dict(batch=world.voucher_batch, codes=["NEW-CODE-2"]),
    "recognition_save": lambda world: dict(partner=world.partner, kind=world.recognition.kind,
                                           title="Thanks", given_on=TODAY),
}


@pytest.mark.parametrize("role", ["partner", "trustee"])
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_only_staff_change_the_set_up(world, role, name):
    kwargs = STAFF_ONLY[name](world)
    assert_permission_denied(lambda: getattr(services, name)(**kwargs, by=world.user_for(role)),
                             apps=("reciprocity",), match="Only staff")


@pytest.mark.parametrize("role", ["other_partner", "trustee"])
def test_a_claim_is_made_only_by_its_partner_or_staff(world, role):
    claim = dict(partner=world.partner, meeting=world.claimable_meeting, activity_type=world.activity_type,
                 submit=True)
    assert_permission_denied(lambda: services.claim_create(**claim, by=world.user_for(role)),
                             apps=("reciprocity",), match="Only the partner or staff")
    assert services.claim_create(**claim, by=world.partner.user).partner == world.partner
