"""Partners choose in their portal how we contact them and how far ahead we remind them; the
choice decides each notice's channel, within their consent and never after erasure."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from coprod import notices
from coprod.models import Notice
from participants import contact
from participants.data_protection import partner_export
from participants.models import ConsentStatement
from participants.models import Partner
from participants.services import partner_erase

from .factories import ConsentFactory
from .factories import PartnerFactory
from .factories import PartnerWithLoginFactory
from .factories import StaffFactory

pytestmark = pytest.mark.django_db


def _consent(partner):
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1))
    return partner


def test_a_partner_chooses_text_messages_the_day_before(client):
    partner = _consent(PartnerWithLoginFactory(phone="07700 900111"))
    client.force_login(partner.user)
    page = client.get(reverse("participants:my_reminders")).content.decode()
    assert "When would you like a reminder" in page and "2 days before and on the morning" in page
    response = client.post(reverse("participants:my_reminders"),
                           {"preferred_contact": "text", "reminders": "day_before"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.preferred_contact, partner.reminders) == ("text", "day_before")
    assert contact.reminder_times(partner) == ("1d",)
    assert contact.partner_recipient(partner).channel == "text"


def test_text_messages_without_a_phone_number_are_refused_and_nothing_is_saved(client):
    partner = PartnerWithLoginFactory(phone="")
    client.force_login(partner.user)
    response = client.post(reverse("participants:my_reminders"),
                           {"preferred_contact": "text", "reminders": "none"})
    assert response.status_code == 200
    assert "Give a mobile number for texts" in response.content.decode()
    partner.refresh_from_db()
    assert (partner.preferred_contact, partner.reminders) == ("email", "usual")


def test_an_unknown_choice_is_refused(client):
    partner = PartnerWithLoginFactory()
    client.force_login(partner.user)
    response = client.post(reverse("participants:my_reminders"),
                           {"preferred_contact": "email", "reminders": "hourly"})
    assert "Select a valid choice" in response.content.decode()
    partner.refresh_from_db()
    assert partner.reminders == "usual"


def test_nobody_is_contacted_without_consent_or_after_erasure():
    assert not contact.partner_recipient(PartnerFactory(email="a@example.test")).reachable
    erased = _consent(PartnerFactory(email="b@example.test", erased_at=timezone.now()))
    assert not contact.partner_recipient(erased).reachable
    assert notices.notice_send(recipient=contact.partner_recipient(erased), kind="k", subject="s",
                               body="b") is None
    assert not Notice.objects.exists()


def test_a_choice_without_its_detail_falls_back_to_what_they_gave():
    partner = _consent(PartnerFactory(preferred_contact="post", address="", email="c@example.test"))
    assert contact.partner_recipient(partner).channel == "email"
    partner = _consent(PartnerFactory(preferred_contact="email", email="", phone="07700 900333"))
    assert contact.partner_recipient(partner).channel == "text"
    assert not contact.partner_recipient(_consent(PartnerFactory(email=""))).reachable


def test_a_partners_notices_are_in_their_export_and_go_with_erasure(django_capture_on_commit_callbacks):
    partner = _consent(PartnerFactory(full_name="Tom Text", phone="07700 900111", preferred_contact="text"))
    with django_capture_on_commit_callbacks(execute=True):
        notices.notice_send(recipient=contact.partner_recipient(partner), kind="meeting_reminder",
                            subject="Reminder: Housing panel", body="Friday at 10:00.")
    export = partner_export(partner)
    section = export["sections"]["Reminders and notices"]
    assert section[0]["channel"] == "Text message" and section[0]["to"] == "07700 900111"
    eraser = StaffFactory()
    eraser.user_permissions.add(Permission.objects.get(content_type__app_label="participants",
                                                       codename="delete_partner"))
    partner_erase(partner=partner, by=eraser, confirm_name="Tom Text")
    assert not Notice.objects.filter(partner=partner).exists()


def test_the_usual_reminder_times_read_in_words(settings):
    settings.MEETING_REMINDERS = "7d,1d,3h"
    assert contact.usual_reminder_words() == "7 days before, the day before and 3 hours before"
    assert contact.reminder_times(PartnerFactory(reminders=Partner.Reminders.USUAL)) == ("7d", "1d", "3h")
