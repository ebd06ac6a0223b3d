"""Choosing a language: the switcher on every page keeps the person on the page they were on; a
signed-in person's choice is kept as their language (a partner's on their record too) and wins
over the browser's preference; what is sent to someone goes in their language, whatever
language the person who caused it was using."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context
from django.template import Template
from django.urls import reverse
from django.utils import translation

from coprod import i18n
from coprod.models import Notice
from coprod.notices import Recipient
from coprod.notices import notice_send
from participants.models import Partner

from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory

pytestmark = pytest.mark.django_db

SET_LANGUAGE = "/i18n/setlang/"


def _choose(client, language: str, next_url: str, **headers):
    return client.post(reverse("set_language"), {"language": language, "next": next_url}, **headers)


def test_the_switcher_posts_to_set_language():
    assert reverse("set_language") == SET_LANGUAGE


def test_sign_in_page_offers_every_language_named_in_itself(client):
    page = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en-gb" dir="ltr">' in page
    assert f'action="{SET_LANGUAGE}"' in page
    assert 'name="next" value="/accounts/login/"' in page
    assert 'lang="en-gb" aria-current="true">English</span>' in page
    assert 'value="cy" lang="cy" class="btn btn-link language-choice">Cymraeg</button>' in page
    assert 'value="pl" lang="pl" class="btn btn-link language-choice">Polski</button>' in page


def test_anonymous_visitor_switching_stays_on_the_same_page(client):
    response = _choose(client, "cy", "/accounts/login/?next=/my/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/my/"
    page = client.get(response.url).content.decode()
    assert '<html lang="cy" dir="ltr">' in page
    assert 'aria-label="Iaith"' in page
    # The language shown now is text; English is offered, still named "English".
    assert 'lang="cy" aria-current="true">Cymraeg</span>' in page
    assert 'value="en-gb" lang="en-gb" class="btn btn-link language-choice">English</button>' in page


def test_switching_on_an_error_page_keeps_the_address(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'name="next" value="/no-such-page/"' in response.content.decode()
    assert _choose(client, "pl", "/no-such-page/").url == "/no-such-page/"


def test_signed_in_partner_switching_stays_on_the_same_page_and_the_choice_is_kept(client):
    partner = PartnerWithLoginFactory()
    client.force_login(partner.user)
    page = reverse("participants:my_details")
    response = _choose(client, "cy", page)
    assert response.status_code == 302
    assert response.url == page
    partner.refresh_from_db()
    partner.user.refresh_from_db()
    assert partner.user.language == "cy"
    # What is sent to them follows too; the change is in the record's history, by them.
    assert partner.language == "cy"
    assert partner.history.first().history_user == partner.user
    assert '<html lang="cy"' in client.get(page).content.decode()


def test_a_kept_choice_wins_over_the_browsers_language_next_time(client):
    partner = PartnerWithLoginFactory()
    client.force_login(partner.user)
    _choose(client, "cy", "/my/")
    # Another device: no cookie, a browser asking for Polish.
    elsewhere = client.__class__()
    elsewhere.force_login(partner.user)
    page = elsewhere.get(reverse("participants:portal_home"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<html lang="cy"' in page
    assert 'aria-label="Iaith"' in page


def test_browser_language_counts_when_nobody_chose(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<html lang="pl"' in page
    assert 'aria-label="Język"' in page


def test_staff_choice_is_kept_as_their_language(client):
    staff = StaffFactory()
    client.force_login(staff)
    response = _choose(client, "cy", reverse("coprod:staff_home"))
    assert response.url == reverse("coprod:staff_home")
    staff.refresh_from_db()
    assert staff.language == "cy"
    _choose(client, "en-gb", reverse("coprod:staff_home"))
    staff.refresh_from_db()
    assert staff.language == "en-gb"


def test_a_language_coprod_does_not_speak_changes_nothing(client):
    partner = PartnerWithLoginFactory(language="cy", user__language="cy")
    client.force_login(partner.user)
    response = _choose(client, "xx", "/my/")
    assert response.status_code == 302
    partner.refresh_from_db()
    partner.user.refresh_from_db()
    assert (partner.language, partner.user.language) == ("cy", "cy")


def test_the_switcher_only_answers_a_post(client):
    assert client.get(reverse("set_language"), {"language": "cy", "next": "/"}).status_code == 405


def test_an_address_elsewhere_is_not_followed(client):
    response = _choose(client, "cy", "https://example.com/phish")
    assert response.status_code == 302
    assert response.url == "/"


def test_nobody_chooses_another_persons_language():
    partner = PartnerWithLoginFactory()
    with pytest.raises(PermissionDenied):
        i18n.person_language_set(person=partner.user, language="pl", by=StaffFactory())
    partner.refresh_from_db()
    assert partner.language == ""


def test_an_erased_partners_record_is_left_alone():
    partner = PartnerWithLoginFactory()
    Partner.objects.filter(pk=partner.pk).update(erased_at="2026-01-01T00:00Z")
    i18n.person_language_set(person=partner.user, language="cy", by=partner.user)
    partner.refresh_from_db()
    assert partner.language == ""


def test_staff_writing_in_english_send_a_welsh_partner_their_notice_in_welsh(client):
    """The staff member's request is in English; the notice is rendered in the recipient's
    language, and the staff member's page stays English afterwards."""
    staff = StaffFactory(language="en-gb")
    partner = PartnerWithLoginFactory(language="cy")
    recipient = Recipient(name=partner.full_name, channel=Notice.Channel.EMAIL, email=partner.email,
                          partner=partner, language=partner.language)
    message = Template('{% load i18n %}{% translate "Language" %}: {% translate "Yes" %}')
    client.force_login(staff)
    assert '<html lang="en-gb"' in client.get(reverse("coprod:staff_home"),
                                               HTTP_ACCEPT_LANGUAGE="en").content.decode()
    with translation.override("en-gb"):  # as during the staff member's request
        with i18n.in_language(recipient.language):
            body = message.render(Context())
        notice = notice_send(recipient=recipient, kind="test", subject="-", body=body)
        assert translation.get_language() == "en-gb"
        assert message.render(Context()) == "Language: Yes"
    assert notice.body == "Iaith: Ie"


def test_blank_or_unknown_language_is_the_default():
    for language in ("", None, "xx"):
        with i18n.in_language(language):
            assert translation.get_language() == "en-gb"
