"""Consent wording in Welsh: a Welsh partner reads the Welsh words, or the English with a note;
staff publish wording with its Welsh version, or add the Welsh later without anyone having to
agree again."""

import pytest
from django.urls import reverse

from participants.models import ConsentStatement

pytestmark = pytest.mark.django_db

WELSH = "Cawn gysylltu â chi am gyfarfodydd, cyfleoedd a thaliadau."


def _current(topic: str) -> ConsentStatement:
    return ConsentStatement.objects.current(topic)


def test_a_welsh_partner_reads_the_welsh_consent_wording_or_the_english_with_a_note(partner_client, world):
    world.partner.user.language = "cy"
    world.partner.user.save(update_fields=["language"])
    contact = _current("contact")
    contact.wording_cy = WELSH
    contact.save(update_fields=["wording_cy"])
    page = partner_client.get(reverse("participants:my_consent")).content.decode()
    assert WELSH in page
    assert contact.wording.splitlines()[0] not in page
    photos = _current("photos")
    assert f'<span lang="en">{photos.wording.splitlines()[0]}' in page
    assert "Nid yw ar gael yn Gymraeg eto" in page


def test_an_english_partner_reads_the_english_wording(partner_client, world):
    contact = _current("contact")
    contact.wording_cy = WELSH
    contact.save(update_fields=["wording_cy"])
    page = partner_client.get(reverse("participants:my_consent")).content.decode()
    assert WELSH not in page and "Not yet available in Welsh" not in page
    assert contact.wording.splitlines()[0] in page


def test_staff_publish_wording_with_its_welsh_version(staff_client):
    response = staff_client.post(reverse("participants:consent_statement_create"), {
        "topic": "contact", "wording": "We may contact you about meetings, training and payments.",
        "wording_cy": WELSH})
    assert response.status_code == 302
    assert (_current("contact").version, _current("contact").wording_cy) == (2, WELSH)


def test_adding_the_welsh_version_later_keeps_everyones_agreement(staff_client, world):
    contact = _current("contact")
    agreed = world.partner.has_consent("contact")
    url = reverse("participants:consent_statement_welsh", args=[contact.pk])
    assert "Partners do not have to agree again" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"wording_cy": WELSH})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.wording_cy == WELSH and _current("contact").pk == contact.pk
    assert world.partner.has_consent("contact") == agreed
    assert contact.history.first().history_user == world.staff
    page = staff_client.get(reverse("participants:consent_statement_list")).content.decode()
    assert f'<span lang="cy">{WELSH}</span>' in page
