"""The partner's own "My details": contact, access needs and availability."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants import services
from participants.models import AccessNeed
from participants.models import Partner

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    data = {"preferred_name": "Pat", "pronouns": "they/them", "preferred_contact": "text",
            "email": "partner@example.test", "phone": "07700 900123", "address": "",
            "interpreter_language": "", "access_notes": "", "availability": "Tuesday mornings"}
    data.update(changes)
    return data


def test_my_details_page_shows_their_own_details(world, partner_client):
    world.partner.access_needs.add(AccessNeed.objects.get(name="Large print"))
    page = partner_client.get(reverse("participants:my_details")).content.decode()
    assert "Your details" in page
    assert "partner@example.test" in page
    assert "Large print" in page
    assert "Olly Other" not in page


def test_partner_changes_their_own_details(world, partner_client):
    loop = AccessNeed.objects.get(name="Hearing loop")
    response = partner_client.post(reverse("participants:my_details_edit"),
                                   _form(access_needs=[loop.pk], interpreter_language="Polish"))
    assert response.url == reverse("participants:my_details")
    partner = Partner.objects.get(pk=world.partner.pk)
    assert partner.preferred_name == "Pat"
    assert partner.preferred_contact == "text"
    assert partner.availability == "Tuesday mornings"
    assert list(partner.access_needs.all()) == [loop]
    latest = partner.history.latest()
    assert latest.history_user == world.partner.user, "the history names the partner"
    assert [need.accessneed_id for need in latest.access_needs.all()] == [loop.pk]


def test_saving_unchanged_details_writes_no_history(world, partner_client):
    partner_client.post(reverse("participants:my_details_edit"), _form())
    count = world.partner.history.count()
    partner_client.post(reverse("participants:my_details_edit"), _form())
    assert world.partner.history.count() == count


@pytest.mark.parametrize(("changes", "message"), [
    ({"preferred_contact": "post", "address": ""}, "Give a postal address, or choose another way"),
    ({"preferred_contact": "email", "email": ""}, "Give an e-mail address, or choose another way"),
    ({"preferred_contact": "text", "phone": ""}, "Give a mobile number for texts"),
    ({"phone": "call me maybe"}, "Enter a phone number using numbers only"),
    ({"phone": "123"}, "Enter a phone number using numbers only"),
    ({"email": "not-an-address"}, "Enter a valid email address"),
    ({"email": "other@example.test"}, "Someone else already uses this e-mail address"),
    ({"preferred_contact": "pigeon"}, "Select a valid choice"),
])
def test_bad_details_are_rejected_and_nothing_is_saved(world, partner_client, changes, message):
    before = Partner.objects.filter(pk=world.partner.pk).values().get()
    history = world.partner.history.count()
    response = partner_client.post(reverse("participants:my_details_edit"), _form(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Partner.objects.filter(pk=world.partner.pk).values().get() == before
    assert world.partner.history.count() == history


def test_partner_cannot_change_fields_outside_their_own_details(world):
    with pytest.raises(ValidationError, match="cannot be changed here"):
        services.partner_update_own_details(partner=world.partner, data={"benefit_check": True},
                                            by=world.partner.user)


def test_the_edit_form_speaks_plain_english(partner_client):
    page = partner_client.get(reverse("participants:my_details_edit")).content.decode()
    assert "How would you like us to contact you?" in page
    assert "What helps you take part?" in page
    assert "Save my details" in page


def test_portal_links_to_the_partners_own_pages(partner_client):
    page = partner_client.get(reverse("participants:portal_home")).content.decode()
    for name in ("my_details", "my_consent", "my_training"):
        assert reverse(f"participants:{name}") in page
