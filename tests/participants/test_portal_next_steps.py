"""A partner's home page lists everything waiting for them under "What to look at next":
meetings to answer, ladder rounds not finished, claims not sent, consent and training;
with a short menu above it and every other page listed below."""

import pytest
from django.urls import reverse

from ladder.models import Response

from ..helpers import assert_queries_bounded
from ..ladder.factories import LadderRoundFactory
from ..ladder.factories import PartnerRespondentFactory
from ..panels.factories import AttendanceFactory
from ..panels.factories import MembershipFactory
from ..reciprocity.helpers import install_default_rates
from ..reciprocity.helpers import make_claim

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    return client.get(reverse("participants:portal_home")).content.decode()


def _waiting_for(partner, *, title: str):
    membership = MembershipFactory(partner=partner)
    AttendanceFactory(partner=partner, meeting__panel=membership.panel, meeting__title=title)
    round_ = LadderRoundFactory(title=f"Ladder {title}")
    respondent = PartnerRespondentFactory(round=round_, partner=partner)
    area = round_.ordered_areas()[0]
    Response.objects.create(respondent=respondent, area=area, rung=round_.ladder.rungs.first())
    install_default_rates()
    make_claim(partner, submit=False, activity=f"Leaflet {title}")
    return round_


def test_home_lists_meetings_to_answer_unfinished_rounds_and_claims_not_sent(partner_client, world):
    round_ = _waiting_for(world.partner, title="Housing review")
    page = _home(partner_client)
    assert "Nothing needs your attention" not in page
    assert "Can you come to <strong>Housing review</strong>" in page
    assert (f"<strong>{round_.title}</strong>. You have answered 1 of {round_.areas.count()} areas"
            in page)
    assert "Your claim for <strong>Leaflet Housing review</strong> is saved but not sent" in page


def test_another_partners_waiting_items_are_not_shown(partner_client, world):
    _waiting_for(world.other_partner, title="Secret review")
    page = _home(partner_client)
    assert "Secret review" not in page


def test_answered_meetings_and_finished_rounds_are_not_waiting(partner_client, world):
    AttendanceFactory(partner=world.partner, status="confirmed", meeting__title="Already answered")
    page = _home(partner_client)
    assert "Already answered" not in page.split("What to look at next")[1].split("Your next meetings")[0]


def test_the_menu_is_short_and_every_page_is_listed_on_home(partner_client, world):
    page = _home(partner_client)
    menu = page.split('aria-label="Your pages"')[1].split("</nav>")[0]
    assert menu.count("<li") == 4
    listed = page.split('id="all-pages-heading"')[1]
    for name in ("my_consent", "my_training", "my_data", "my_details", "my_recognition"):
        assert reverse(f"participants:{name}" if name != "my_recognition" else "reciprocity:my_recognition") \
            in listed


def test_home_runs_the_same_queries_however_much_is_waiting(partner_client, world):
    _waiting_for(world.partner, title="First")

    def grow():
        for number in range(10):
            _waiting_for(world.partner, title=f"More {number}")

    assert_queries_bounded(partner_client, reverse("participants:portal_home"), grow, most=20)
