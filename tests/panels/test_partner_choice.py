"""Staff add a partner to a panel or a recruitment stage by typing part of their name
(participants/partner_field.py), not from a drop-down of every partner."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from panels.models import Membership
from panels.models import StageParticipant
from participants.models import Partner
from tests.panels.factories import PanelFactory
from tests.panels.factories import RecruitmentStageFactory
from tests.participants.factories import PartnerFactory
from tests.participants.factories import StaffFactory


@pytest.fixture
def as_staff(db) -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def pats(db):
    return (PartnerFactory(full_name="Pat Partner", email="pat@example.test"),
            PartnerFactory(full_name="Patricia Jones", email="pj@example.test"))


def test_add_a_panel_member_by_typing(as_staff, pats):
    panel = PanelFactory()
    url = reverse("panels:membership_add", args=[panel.pk])
    page = as_staff.get(url).content.decode()
    assert 'name="partner_find"' in page and "Patricia Jones" not in page
    data = {"partner_find": "pat", "role": "member", "joined_on": timezone.localdate().isoformat()}
    page = as_staff.post(url, data).content.decode()
    assert "2 partners match ‘pat’" in page and f'type="radio" name="partner" value="{pats[1].pk}"' in page
    assert not Membership.objects.exists()
    assert as_staff.post(url, {**data, "partner": pats[1].pk}).status_code == 302
    assert Membership.objects.get().partner == pats[1]


def test_a_partner_who_has_left_cannot_join_a_panel(as_staff, db):
    PartnerFactory(full_name="Lee Left", status=Partner.Status.LEFT)
    panel = PanelFactory()
    page = as_staff.post(reverse("panels:membership_add", args=[panel.pk]), {
        "partner_find": "Lee Left", "role": "member", "joined_on": timezone.localdate().isoformat(),
    }).content.decode()
    assert "No partner matches ‘Lee Left’" in page and not Membership.objects.exists()


def test_add_someone_to_a_recruitment_stage_by_typing(as_staff, pats):
    stage = RecruitmentStageFactory()
    url = reverse("panels:stage_participant_add", args=[stage.pk])
    response = as_staff.post(url, {"partner_find": "Jones"})
    assert response.status_code == 302 and StageParticipant.objects.get().partner == pats[1]


def test_several_matches_on_a_stage_are_offered_under_that_stage(as_staff, pats):
    stage = RecruitmentStageFactory()
    url = reverse("panels:stage_participant_add", args=[stage.pk])
    response = as_staff.post(url, {"partner_find": "pat"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "<title>Error: " in page
    assert f'id="stage{stage.pk}_partner"' in page and "2 partners match ‘pat’" in page
    assert f'type="radio" name="partner" value="{pats[0].pk}"' in page
    assert not StageParticipant.objects.exists()
