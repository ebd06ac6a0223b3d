"""A partner's claims, payments and thank-yous in their data export; erasure removes
free text and receipts and keeps amounts and dates."""

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from participants import data_protection
from reciprocity.models import Claim
from reciprocity.models import ClaimItem
from reciprocity.models import Payment
from reciprocity.models import Recognition

from .factories import RecognitionFactory
from .helpers import jpeg
from .helpers import paid_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_export_holds_claims_payments_and_thank_yous(partner, finance, source):
    paid_claim(partner, finance, source, travel=Decimal("3.00"), receipt=jpeg("bus.jpg"))
    RecognitionFactory(partner=partner, title="Chaired the panel")
    sections = data_protection.partner_export(partner)["sections"]
    [claim] = sections["Claims and payments"]
    assert claim["paid"] == Decimal("43.00")
    assert claim["lines"][1]["receipt"] == "bus.jpg"
    assert sections["Thank-yous and achievements"][0]["title"] == "Chaired the panel"


def test_erasure_keeps_amounts_and_dates_but_removes_words_and_receipts(
    partner, finance, eraser, source, django_capture_on_commit_callbacks
):
    from participants.services import partner_erase

    claim = paid_claim(
        partner,
        finance,
        source,
        travel=Decimal("3.00"),
        receipt=jpeg("bus.jpg"),
        activity="Told the panel about my eviction",
    )
    receipt = claim.items.get(kind="travel").receipt.name
    assert default_storage.exists(receipt)
    RecognitionFactory(partner=partner, title="Spoke about my eviction", partner_words="It helped me.")
    with django_capture_on_commit_callbacks(execute=True):
        partner_erase(partner=partner, by=eraser, confirm_name=partner.full_name)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.activity == "Erased" and claim.total == Decimal("43.00")
    assert Payment.objects.get(claim=claim).amount == Decimal("43.00")
    assert not ClaimItem.objects.filter(claim=claim).exclude(description="").exists()
    assert not ClaimItem.objects.filter(claim=claim).exclude(receipt="").exists()
    assert not default_storage.exists(receipt)
    assert not Claim.history.filter(id=claim.pk).exists()
    recognition = Recognition.objects.get(partner=partner)
    assert recognition.partner_words == "" and "eviction" not in recognition.title


def test_erasure_keeps_a_rejected_claim_valid_without_the_reason_given(partner, approver, eraser):
    from participants.services import partner_erase
    from reciprocity import services

    from .helpers import make_claim

    claim = services.claim_reject(
        claim=make_claim(partner), by=approver, reason="You told us about your eviction, which is not a cost."
    )
    partner_erase(partner=partner, by=eraser, confirm_name=partner.full_name)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == Claim.Status.REJECTED
    assert "eviction" not in claim.rejection_reason
    assert claim.rejection_reason == "Removed when their personal data was erased."

