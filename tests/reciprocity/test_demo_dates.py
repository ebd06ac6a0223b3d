"""The demo's partner near a benefit limit is near it whatever day of the month the demo
is loaded on (each test loads the demo's claims itself, at a different "today")."""

import pytest
from django.utils import timezone

from reciprocity import benefits
from reciprocity.models import Claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day_of_month", [1, 3])
def test_the_partner_is_close_to_the_limit_whatever_the_day_of_the_month(day_of_month, settings, monkeypatch):
    import participants.demo
    import reciprocity.demo
    from coprod.demo import seed_organisation

    real_localdate = timezone.localdate
    today = real_localdate().replace(day=day_of_month)
    # "Today" is that day; turning a stored time into a date still works as usual.
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *args: real_localdate(value, *args)
                        if value is not None else today)
    settings.DEBUG = True
    seed_organisation()
    participants.demo.seed()
    reciprocity.demo.seed()
    waiting = Claim.objects.get(partner__full_name=reciprocity.demo.NEAR_LIMIT, status=Claim.Status.SUBMITTED)
    assert any(check.crosses for check in benefits.benefit_checks(waiting.partner, claim=waiting))
