"""Consent: partners agree to the latest wording, withdraw at any time, and staff
record either for them. Withdrawn or outdated consent is never counted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants import services
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Partner

from ..helpers import assert_form_refused
from ..helpers import assert_queries_bounded
from .factories import ConsentFactory
from .factories import PartnerFactory
from .factories import PartnerWithLoginFactory

pytestmark = pytest.mark.django_db


def _statement(topic: str) -> ConsentStatement:
    return ConsentStatement.objects.filter(topic=topic).order_by("-version").first()


# Services ---------------------------------------------------------------------


def test_giving_consent_records_who_and_when_and_counts_for_the_topic(world):
    consent = services.consent_give(partner=world.partner, statement=_statement("contact"),
                                    by=world.partner.user)
    assert consent.recorded_by == world.partner.user
    assert consent.agreed_at is not None
    assert world.partner.has_consent("contact")
    assert consent.history.latest().history_user == world.partner.user


def test_consent_cannot_be_given_twice_to_the_same_wording(world):
    services.consent_give(partner=world.partner, statement=_statement("contact"), by=world.staff)
    with pytest.raises(ValidationError, match="already agreed"):
        services.consent_give(partner=world.partner, statement=_statement("contact"), by=world.staff)
    assert Consent.objects.filter(partner=world.partner, statement__topic="contact").count() == 1


def test_consent_to_a_replaced_wording_is_refused(world):
    old = _statement("quotes")
    services.consent_statement_publish(topic="quotes", wording="We may quote you on our website too, "
                                       "without your name.", by=world.staff)
    with pytest.raises(ValidationError, match="replaced by newer ones"):
        services.consent_give(partner=world.other_partner, statement=old, by=world.staff)
    assert not world.other_partner.consents.filter(statement=old).exists()


def test_withdrawn_consent_is_no_longer_counted(world):
    consent = services.consent_give(partner=world.other_partner, statement=_statement("contact"),
                                    by=world.staff)
    assert world.other_partner in Partner.objects.consenting_to("contact")

    services.consent_withdraw(consent=consent, by=world.other_partner.user)

    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_by == world.other_partner.user
    assert world.other_partner not in Partner.objects.consenting_to("contact")
    assert not world.other_partner.has_consent("contact")


def test_withdrawing_twice_is_refused(world):
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.consent_withdraw(consent=world.consent_quotes, by=world.staff)
        services.consent_withdraw(consent=world.consent_quotes, by=world.staff)


def test_agreeing_again_after_withdrawing_counts(world):
    services.consent_withdraw(consent=world.consent_quotes, by=world.partner.user)
    services.consent_give(partner=world.partner, statement=_statement("quotes"), by=world.partner.user)
    assert world.partner.has_consent("quotes")


def test_publishing_new_wording_makes_the_next_version_and_old_agreements_stop_counting(world):
    assert world.partner.has_consent("quotes")
    statement = services.consent_statement_publish(
        topic="quotes", wording="We may quote what you say in reports and on our website, without your name.",
        by=world.staff,
    )
    assert statement.version == 2
    assert statement.history.latest().history_user == world.staff
    assert not world.partner.has_consent("quotes"), "partners must agree to the new words"
    assert world.partner not in Partner.objects.consenting_to("quotes")


@pytest.mark.parametrize(("topic", "wording", "message"), [
    ("quotes", "Too short", "at least 20 characters"),
    ("quotes", "We may quote what you say in our reports to trustees and funders. We will not use your "
               "name.", "same as the current wording"),
    ("weather", "We may talk about the weather with you at any time.", "Choose one of the consent topics"),
])
def test_publishing_bad_wording_is_refused(world, topic, wording, message):
    before = ConsentStatement.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.consent_statement_publish(topic=topic, wording=wording, by=world.staff)
    assert ConsentStatement.objects.count() == before


# Partner portal -----------------------------------------------------------------


def test_my_consent_page_speaks_plain_english(partner_client):
    page = partner_client.get(reverse("participants:my_consent")).content.decode()
    assert "Your consent" in page
    assert "Yes, I agree" in page
    assert "I no longer agree" in page  # the partner agreed to quotes
    assert "If you press “I no longer agree”, we will not quote what you say in any new report." in page
    assert "You agreed to this on" in page


def test_partner_agrees_in_the_portal(world, partner_client):
    response = partner_client.post(
        reverse("participants:consent_give", kwargs={"pk": _statement("contact").pk}), follow=True)
    assert "You agreed to “Being contacted”" in response.content.decode()
    assert world.partner.has_consent("contact")
    consent = world.partner.consents.get(statement__topic="contact")
    assert consent.recorded_by == world.partner.user


def test_partner_withdraws_in_the_portal(world, partner_client):
    response = partner_client.post(
        reverse("participants:consent_withdraw", kwargs={"pk": world.consent_quotes.pk}), follow=True)
    assert "You no longer agree to “Quotes in reports”" in response.content.decode()
    assert not world.partner.has_consent("quotes")


def test_partner_cannot_withdraw_another_partners_consent(world, other_partner_client):
    response = other_partner_client.post(
        reverse("participants:consent_withdraw", kwargs={"pk": world.consent_quotes.pk}))
    assert response.status_code == 404
    world.consent_quotes.refresh_from_db()
    assert world.consent_quotes.withdrawn_at is None


def test_partner_sees_only_their_own_answers(world, other_partner_client):
    page = other_partner_client.get(reverse("participants:my_consent")).content.decode()
    assert reverse("participants:consent_withdraw", kwargs={"pk": world.consent_quotes.pk}) not in page


def test_partner_is_asked_to_read_changed_wording_again(world, other_partner_client):
    # The other partner agreed to photos version 1; version 2 has been published since.
    page = other_partner_client.get(reverse("participants:my_consent")).content.decode()
    assert "We changed these words" in page
    home = other_partner_client.get(reverse("participants:portal_home")).content.decode()
    assert "We changed the words about “photos”" in home


def test_agreeing_to_a_replaced_wording_in_the_portal_shows_a_message(world, other_partner_client):
    old = ConsentStatement.objects.get(topic="photos", version=1)
    response = other_partner_client.post(reverse("participants:consent_give", kwargs={"pk": old.pk}),
                                         follow=True)
    assert "replaced by newer ones" in response.content.decode()
    assert not world.other_partner.has_consent("photos")


def test_unknown_statement_answers_404(partner_client):
    response = partner_client.post(reverse("participants:consent_give", kwargs={"pk": 99999}))
    assert response.status_code == 404


# Staff ------------------------------------------------------------------------------


def test_staff_record_consent_for_a_partner_without_a_login(world, staff_client):
    partner = PartnerFactory(full_name="Kwame Asante")
    url = reverse("participants:partner_consent", kwargs={"pk": partner.pk})
    response = staff_client.post(url, {"action": "give", "statement": _statement("contact").pk}, follow=True)
    assert "Kwame Asante agrees to “Being contacted”" in response.content.decode()
    consent = partner.consents.get()
    assert consent.recorded_by == world.staff

    staff_client.post(url, {"action": "withdraw", "consent": consent.pk})
    consent.refresh_from_db()
    assert consent.withdrawn_by == world.staff
    assert not partner.has_consent("contact")


def test_staff_cannot_withdraw_another_partners_consent_through_this_partners_page(world, staff_client):
    url = reverse("participants:partner_consent", kwargs={"pk": world.other_partner.pk})
    response = staff_client.post(url, {"action": "withdraw", "consent": world.consent_quotes.pk})
    assert response.status_code == 404
    world.consent_quotes.refresh_from_db()
    assert world.consent_quotes.withdrawn_at is None


def test_staff_partner_consent_page_says_what_is_not_allowed(world, staff_client):
    page = staff_client.get(reverse("participants:partner_consent", kwargs={"pk": world.partner.pk}))
    text = page.content.decode()
    assert "Do not contact" in text
    assert "No photos" in text
    assert "No quotes" not in text  # the partner agreed to quotes


def test_staff_bad_consent_action_is_rejected(world, staff_client):
    url = reverse("participants:partner_consent", kwargs={"pk": world.partner.pk})
    before = Consent.objects.count()
    response = staff_client.post(url, {"action": "shout"}, follow=True)
    assert "Choose to record an agreement or a withdrawal." in response.content.decode()
    response = staff_client.post(url, {"action": "give", "statement": world.consent_quotes.statement_id},
                                 follow=True)
    assert "already agreed" in response.content.decode()
    assert Consent.objects.count() == before


def test_staff_publish_new_wording_through_the_form(world, staff_client):
    response = staff_client.post(reverse("participants:consent_statement_create"), {
        "topic": "contact", "wording": "We may contact you about meetings, training and payments.",
    }, follow=True)
    assert "Published Being contacted (version 2)" in response.content.decode()
    assert _statement("contact").version == 2


def test_publish_form_says_partners_must_agree_again(staff_client):
    page = staff_client.get(reverse("participants:consent_statement_create") + "?topic=quotes")
    text = page.content.decode()
    assert "Every partner will have to agree again" in text
    assert "We may quote what you say" in text, "the current wording is offered for editing"


@pytest.mark.parametrize(("data", "message"), [
    ({"topic": "", "wording": "We may contact you about meetings and payments."}, "This field is required"),
    ({"topic": "contact", "wording": ""}, "This field is required"),
    ({"topic": "contact", "wording": "Short"}, "at least 20 characters"),
    ({"topic": "contact", "wording": "We may contact you about meetings, opportunities and payments in "
                                     "the way you prefer."}, "same as the current wording"),
])
def test_publish_form_rejects_bad_input_and_saves_nothing(staff_client, data, message):
    assert_form_refused(staff_client, reverse("participants:consent_statement_create"), data, message,
                        model=ConsentStatement)


def test_consent_list_filters_who_agrees(world, staff_client):
    url = reverse("participants:consent_statement_list")
    text = staff_client.get(url + "?topic=quotes&answer=yes").content.decode()
    assert "Pat Partner" in text
    assert "Olly Other" not in text
    text = staff_client.get(url + "?topic=quotes&answer=no").content.decode()
    assert "Olly Other" in text
    assert "Pat Partner" not in text


def test_consent_list_runs_a_bounded_number_of_queries(world, staff_client):
    def grow():
        for partner in PartnerWithLoginFactory.create_batch(30):
            ConsentFactory(partner=partner, statement=_statement("contact"))
            ConsentFactory(partner=partner, statement=_statement("data"))
    assert_queries_bounded(staff_client, reverse("participants:consent_statement_list"), grow, most=12)
