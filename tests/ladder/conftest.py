import pytest

from ladder.models import Response
from ladder.models import Round

from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from .factories import LadderRoundFactory
from .factories import PartnerRespondentFactory
from .factories import StaffRespondentFactory


@pytest.fixture(autouse=True)
def shipped_ladders(request):
    """The ladders and areas the data migration ships (a transactional test elsewhere may
    have flushed them)."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        from .factories import _current_ladder

        return _current_ladder()
    return None


@pytest.fixture
def answer():
    """`answer(round, group, area, position, **fields)`: one new respondent of that group
    answering one area on rung `position`."""

    def make(round_: Round, group: str, area, position: int, **fields) -> Response:
        if group == "staff":
            respondent = StaffRespondentFactory(round=round_, user=StaffFactory())
            entered_by = respondent.user
        else:
            respondent = PartnerRespondentFactory(round=round_, partner=PartnerFactory())
            entered_by = None
        return Response.objects.create(respondent=respondent, area=area,
                                       rung=round_.ladder.rungs.get(position=position),
                                       entered_by=entered_by, **fields)

    return make


@pytest.fixture
def closed_round(db):
    """A closed organisation-wide round asking about the first two areas."""
    from datetime import timedelta

    from django.utils import timezone

    from ladder.models import Area

    closes_on = timezone.localdate() - timedelta(days=5)
    round_ = LadderRoundFactory(status=Round.Status.CLOSED, closes_on=closes_on, areas=[])
    round_.areas.set(Area.objects.all()[:2])
    return round_
