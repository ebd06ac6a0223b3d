"""Staff give a recognition by typing part of the partner's name
(participants/partner_field.py), not from a drop-down of every partner."""

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import Partner
from reciprocity.models import Recognition
from tests.participants.factories import PartnerFactory


@pytest.fixture
def as_finance(client, finance):
    client.force_login(finance)
    return client


def _data(**more) -> dict:
    return {"kind": "thank_you", "title": "Chaired the panel", "given_on": "2026-01-01", **more}


def test_give_a_recognition_by_typing_the_partners_name(as_finance, partner):
    patricia = PartnerFactory(full_name="Patricia Jones")
    url = reverse("reciprocity:recognition_create")
    page = as_finance.post(url, _data(partner_find="pat")).content.decode()
    assert "2 partners match ‘pat’" in page and not Recognition.objects.exists()
    assert as_finance.post(url, _data(partner_find="pat", partner=patricia.pk)).status_code == 302
    assert Recognition.objects.get().partner == patricia


def test_a_recognition_may_go_to_someone_who_has_left_but_not_to_an_erased_record(as_finance, db):
    PartnerFactory(full_name="Eddie Erased", erased_at=timezone.now())
    left = PartnerFactory(full_name="Lee Left", status=Partner.Status.LEFT)
    url = reverse("reciprocity:recognition_create")
    assert "No partner matches ‘Eddie’" in as_finance.post(url, _data(partner_find="Eddie")).content.decode()
    assert as_finance.post(url, _data(partner_find="Lee Left")).status_code == 302
    assert Recognition.objects.get().partner == left


def test_editing_a_recognition_shows_the_partner_already_chosen(as_finance, partner):
    as_finance.post(reverse("reciprocity:recognition_create"), _data(partner=partner.pk))
    recognition = Recognition.objects.get()
    page = as_finance.get(reverse("reciprocity:recognition_edit", args=[recognition.pk])).content.decode()
    assert 'name="partner_find" value="Pat Partner"' in page
    assert f'name="partner" value="{partner.pk}"' in page
