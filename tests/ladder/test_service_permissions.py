"""The ladder's services refuse anyone but staff, whatever page or script calls them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ladder import services
from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Round

from ..helpers import assert_permission_denied
from .factories import LadderActionFactory
from .factories import LadderRoundFactory
from .factories import StaffRespondentFactory

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=14)


def _areas():
    return list(Area.objects.all()[:2])


# Each service and how to make a sound call to it (the records it needs are made first).
CALLS = {
    "ladder_update": lambda world: dict(ladder=Ladder.current(), name="Renamed", description="", rungs={}),
    "ladder_make_current": lambda world: dict(ladder=Ladder.current()),
    "area_create": lambda world: dict(name="Transport"),
    "area_update": lambda world: dict(area=Area.objects.first(), name="Renamed", description="", order=0,
                                      is_active=False),
    "round_create": lambda world: dict(title="Autumn", areas=_areas(), closes_on=SOON),
    "round_update": lambda world: dict(round=LadderRoundFactory(status=Round.Status.DRAFT), title="Renamed",
                                       closes_on=SOON, areas=_areas()),
    "round_open": lambda world: dict(round=StaffRespondentFactory(
        round=LadderRoundFactory(status=Round.Status.DRAFT)).round),
    "round_close": lambda world: dict(round=LadderRoundFactory()),
    "action_create": lambda world: dict(area=Area.objects.first(), description="Pay for taxis",
                                        owner=world.staff, due_on=SOON),
    "action_update": lambda world: dict(action=LadderActionFactory(), area=Area.objects.first(),
                                        description="Changed", owner=world.staff, due_on=SOON, status="done"),
}


@pytest.mark.parametrize("role", ["partner", "trustee"])
@pytest.mark.parametrize("name", CALLS)
def test_only_staff_change_the_ladder(world, role, name):
    kwargs = CALLS[name](world)
    assert_permission_denied(lambda: getattr(services, name)(**kwargs, by=world.user_for(role)),
                             apps=("ladder", "coprod"), match="Only staff")


def test_staff_may(world):
    """The same calls go through for staff, so the refusals above are about who asks."""
    for name, make in CALLS.items():
        getattr(services, name)(**make(world), by=world.staff)
