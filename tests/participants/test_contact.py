"""The one rule for contacting a partner (participants.contact) and the one home of the
latest consent wording (ConsentStatement.objects.current / newest_of)."""

import pytest
from django.utils import timezone

from coprod.models import OutgoingEmail
from participants import services
from participants.contact import contact_address
from participants.contact import contact_addresses
from participants.contact import email_partner
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
