"""The one rule for contacting a partner (participants.contact) and the one home of the
latest consent wording (ConsentStatement.objects.current / newest_of)."""

import pytest
from django.utils import timezone

from coprod.models import OutgoingEmail
from participants import services
from participants.contact import contact_address
from participants.contact import contact_addresses
from participants.contact import email_partner
from participants.contact import partner_recipient
from participants.contact import partner_recipients
from participants.models import Consent
from participants.models import ConsentStatement

from .factories import PartnerFactory
from .factories import PartnerWithLoginFactory
from .factories import StaffFactory

pytestmark = pytest.mark.django_db

WORDING = "We may e-mail or phone you about meetings, payments and your involvement."


def _agree(partner):
    return Consent.objects.create(partner=partner, statement=ConsentStatement.objects.current("contact"))


def test_the_current_wording_is_the_newest_version_of_its_topic():
    first = ConsentStatement.objects.current("contact")
    newer = services.consent_statement_publish(topic="contact", wording=WORDING, by=StaffFactory())
    assert newer.version == first.version + 1
    assert ConsentStatement.objects.current("contact") == newer
    assert list(ConsentStatement.objects.newest_of("contact"))[:2] == [newer, first]
    assert newer in ConsentStatement.objects.latest() and first not in ConsentStatement.objects.latest()


def test_a_partner_who_agreed_is_e_mailed_at_their_contact_address():
    partner = PartnerFactory(email="sam@example.test")
    assert contact_address(partner) is None
    _agree(partner)
    assert contact_address(partner) == "sam@example.test"
    email = email_partner(partner, kind="test", subject="Hello", body="Hello Sam")
    assert email.to == "sam@example.test" and email.partner == partner


def test_without_a_contact_address_the_sign_in_address_is_used():
    partner = PartnerWithLoginFactory(email="", user__email="login@example.test")
    _agree(partner)
    assert contact_address(partner) == "login@example.test"


@pytest.mark.parametrize("situation", ["withdrawn", "older_wording_only", "erased", "no_address"])
def test_no_message_when_we_may_not_contact_the_partner(situation):
    partner = PartnerFactory(email="" if situation == "no_address" else "quiet@example.test")
    consent = _agree(partner)
    if situation == "withdrawn":
        consent.withdrawn_at = timezone.now()
        consent.save()
    elif situation == "older_wording_only":
        services.consent_statement_publish(topic="contact", wording=WORDING, by=StaffFactory())
    elif situation == "erased":
        partner.erased_at = timezone.now()
        partner.save()
    assert contact_address(partner) is None
    assert email_partner(partner, kind="test", subject="Hello", body="Hello") is None
    assert not OutgoingEmail.objects.exists()


def test_addresses_for_many_partners_take_one_query(django_assert_num_queries):
    agreed = [PartnerFactory(email=f"p{n}@example.test") for n in range(5)]
    for partner in agreed:
        _agree(partner)
    silent = PartnerFactory(email="silent@example.test")
    with django_assert_num_queries(1):
        addresses = contact_addresses([*agreed, silent])
    assert addresses == {partner.pk: partner.email for partner in agreed}


@pytest.mark.parametrize("email, login_email, preferred, channel, to", [
    ("sam@example.test", "login@example.test", "email", "email", "sam@example.test"),
    ("", "login@example.test", "email", "email", "login@example.test"),
    ("", "", "email", "text", "07700 900123"),
    ("sam@example.test", "", "text", "text", "07700 900123"),
])
def test_e_mails_and_notices_follow_one_rule(email, login_email, preferred, channel, to):
    """The address an e-mail goes to (contact_addresses) is the address a notice by e-mail goes
    to (partner_recipients): the record's, else the sign-in one; other channels as chosen."""
    partner = PartnerWithLoginFactory(email=email, user__email=login_email, phone="07700 900123",
                                      preferred_contact=preferred)
    _agree(partner)
    recipient = partner_recipients([partner])[partner.pk]
    assert (recipient.channel, recipient.to) == (channel, to)
    assert contact_addresses([partner]).get(partner.pk) == (email or login_email or None)
    assert partner_recipient(partner) == recipient


def test_nobody_is_reached_without_consent_or_once_erased():
    silent = PartnerFactory(email="silent@example.test")
    erased = PartnerFactory(email="gone@example.test")
    _agree(erased)
    erased.erased_at = timezone.now()
    erased.save()
    recipients = partner_recipients([silent, erased])
    assert recipients[silent.pk].reason == "no consent to be contacted in force"
    assert recipients[erased.pk].reason == "their personal data was erased"
    assert contact_addresses([silent, erased]) == {}


def test_recipients_for_many_partners_take_one_query(django_assert_num_queries):
    partners = [PartnerWithLoginFactory(email="", user__email=f"p{n}@example.test") for n in range(3)]
    for partner in partners:
        _agree(partner)
    partners = list(type(partners[0]).objects.select_related("user").filter(pk__in=[p.pk for p in partners]))
    with django_assert_num_queries(1):
        recipients = partner_recipients(partners)
    assert {pk: recipient.to for pk, recipient in recipients.items()} == {
        partner.pk: partner.user.email for partner in partners}
