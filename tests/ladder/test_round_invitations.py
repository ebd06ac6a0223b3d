"""Inviting partners to a round: by group (every active partner, the partners on a panel) and
by name with the type-ahead partner field, several at once; the partners already invited are
listed and removable; bad choices are refused with a clear message and nothing is saved."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Respondent
from ladder.models import Response
from ladder.models import Round
from participants.models import Partner

from ..panels.factories import MembershipFactory
from ..panels.factories import PanelFactory
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from .factories import LadderRoundFactory
from .factories import PartnerRespondentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_member():
    return StaffFactory()


@pytest.fixture
def client(staff_member) -> Client:
    client = Client()
    client.force_login(staff_member)
    return client


def _new_round(**changes) -> dict:
    return {"title": "Winter round", "ladder": Ladder.current().pk,
            "areas": [a.pk for a in Area.objects.active()[:2]],
            "closes_on": (timezone.localdate() + timedelta(days=10)).isoformat(), **changes}


def _invited(round_: Round) -> set[str]:
    return set(round_.respondents.filter(group=Respondent.Group.PARTNER)
               .values_list("partner__full_name", flat=True))


def test_the_form_lists_no_partner_until_some_are_chosen(client):
    PartnerFactory.create_batch(30)
    page = client.get(reverse("ladder:round_create")).content.decode()
    assert "All active partners" in page and "Invite a partner by name" in page
    assert page.count('name="partners"') == 0, "no checkbox list of every partner"


def test_a_group_invites_its_active_partners_only(client, staff_member):
    panel = PanelFactory(name="Housing panel")
    on_panel = MembershipFactory(panel=panel, partner=PartnerFactory(full_name="Ann Onpanel")).partner
    MembershipFactory(panel=panel, partner=PartnerFactory(full_name="Paula Paused",
                                                          status=Partner.Status.PAUSED))
    MembershipFactory(panel=panel, partner=PartnerFactory(full_name="Lee Left"),
                      left_on=timezone.localdate() - timedelta(days=1))
    PartnerFactory(full_name="Olly Offpanel")
    response = client.post(reverse("ladder:round_create"), _new_round(partner_groups=[f"panel-{panel.pk}"]))
    assert response.status_code == 302, response.content.decode()
    assert _invited(Round.objects.get(title="Winter round")) == {on_panel.full_name}
    response = client.post(reverse("ladder:round_create"), _new_round(title="Everyone",
                                                                      partner_groups=["active"]))
    assert response.status_code == 302
    everyone = _invited(Round.objects.get(title="Everyone"))
    assert {"Ann Onpanel", "Olly Offpanel", "Lee Left"} <= everyone and "Paula Paused" not in everyone


def test_several_partners_are_added_by_name_then_saved_together(client):
    ada = PartnerFactory(full_name="Ada Lovelace")
    PartnerFactory(full_name="Bea Brown")
    url = reverse("ladder:round_create")
    response = client.post(url, _new_round(add="1", add_partner_find="Lovelace"))
    page = response.content.decode()
    assert response.status_code == 200 and not Round.objects.filter(title="Winter round").exists()
    assert f'value="{ada.pk}"' in page and "checked" in page and "is on the list" in page
    assert "This field is required" not in page
    response = client.post(url, _new_round(partners=[ada.pk], add="1", add_partner_find="Bea"))
    assert response.status_code == 200
    bea = Partner.objects.get(full_name="Bea Brown")
    assert response.content.decode().count('name="partners"') == 2
    # Saving with a name still typed in the box invites that partner too.
    carl = PartnerFactory(full_name="Carl Cymro")
    response = client.post(url, _new_round(partners=[ada.pk, bea.pk], add_partner_find="Cymro"))
    assert response.status_code == 302
    assert _invited(Round.objects.get(title="Winter round")) == {ada.full_name, bea.full_name, carl.full_name}


def test_adding_with_nothing_typed_or_several_matches_asks_again(client):
    PartnerFactory(full_name="Sam Jones")
    PartnerFactory(full_name="Sam Smith")
    url = reverse("ladder:round_create")
    page = client.post(url, {"add": "1", "add_partner_find": ""}).content.decode()
    assert "Type part of the partner" in page
    page = client.post(url, {"add": "1", "add_partner_find": "Sam"}).content.decode()
    assert "2 partners match" in page and "Sam Smith" in page
    assert not Round.objects.exists()


@pytest.mark.parametrize("case", ["unknown", "erased", "inactive", "not a number"])
def test_a_partner_who_cannot_be_invited_is_refused_and_nothing_saved(client, case):
    partner = PartnerFactory(full_name="Eve Example")
    if case == "erased":
        partner.erased_at = timezone.now()
        partner.save(update_fields=["erased_at"])
    if case == "inactive":
        partner.status = Partner.Status.LEFT
        partner.save(update_fields=["status"])
    value = {"unknown": 999999, "not a number": "abc"}.get(case, partner.pk)
    response = client.post(reverse("ladder:round_create"), _new_round(partners=[value]))
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in page
    assert {
        "unknown": "There is no partner number 999999.",
        "erased": "A partner whose record was erased cannot be invited.",
        "inactive": "Eve Example cannot be invited: only active partners can be (they are left).",
        "not a number": "“abc” is not a partner.",
    }[case] in page
    assert not Round.objects.exists() and not Respondent.objects.exists()


def test_an_inactive_partner_typed_by_name_is_refused(client):
    PartnerFactory(full_name="Pia Paused", status=Partner.Status.PAUSED)
    page = client.post(reverse("ladder:round_create"), _new_round(add_partner_find="Pia")).content.decode()
    assert "Pia Paused cannot be invited: only active partners can be (they are paused)." in page
    assert not Round.objects.exists()


def test_editing_lists_the_invited_partners_who_can_be_removed_but_not_once_they_answered(client,
                                                                                         staff_member):
    round_ = LadderRoundFactory(title="Open round")
    stays = PartnerRespondentFactory(round=round_, partner=PartnerFactory(full_name="Sue Stays")).partner
    goes = PartnerRespondentFactory(round=round_, partner=PartnerFactory(full_name="Gus Goes")).partner
    paused = PartnerRespondentFactory(round=round_, partner=PartnerFactory(
        full_name="Pat Paused", status=Partner.Status.PAUSED)).partner
    url = reverse("ladder:round_edit", args=[round_.pk])
    page = client.get(url).content.decode()
    for partner in (stays, goes, paused):
        assert f'value="{partner.pk}"' in page and partner.full_name in page
    data = {"title": "Open round", "closes_on": round_.closes_on.isoformat(),
            "partners": [stays.pk, paused.pk]}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert _invited(round_) == {"Sue Stays", "Pat Paused"}, "an invited partner who is now paused may stay"
    respondent = round_.respondents.get(partner=stays)
    Response.objects.create(respondent=respondent, area=round_.ordered_areas()[0],
                            rung=round_.ladder.rungs.first())
    page = client.post(url, {**data, "partners": [paused.pk]}).content.decode()
    assert "Sue Stays has already answered, so they stay invited." in page
    assert _invited(round_) == {"Sue Stays", "Pat Paused"}
