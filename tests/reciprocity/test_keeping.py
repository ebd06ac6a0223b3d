"""Money is never deleted: payments, paid claims (and their lines) and issued voucher codes
are refused by the model, the services, the Django admin and the database alike."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from reciprocity import services
from reciprocity.admin import ClaimItemInline
from reciprocity.models import Claim
from reciprocity.models import ClaimItem
from reciprocity.models import Payment
from reciprocity.models import Voucher

from ..helpers import assert_never_deleted
from ..helpers import raw_delete
from ..participants.factories import UserFactory
from .helpers import approved_claim
from .helpers import hourly
from .helpers import jpeg
from .helpers import make_claim
from .helpers import meeting_attended
from .helpers import paid_claim


@pytest.fixture
def paid(partner, finance, source) -> Claim:
    return paid_claim(partner, finance, source, travel=Decimal("4.50"), receipt=jpeg())


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff_member=True))
    return client


def test_a_paid_claim_refuses_deletion_with_the_reason(paid):
    with pytest.raises(ValidationError, match="a paid claim is a financial record and is never deleted"):
        paid.delete()
    assert Claim.objects.filter(pk=paid.pk, status="paid").exists()


def test_the_database_refuses_to_delete_a_paid_claim_or_its_lines(paid):
    with pytest.raises(IntegrityError):  # its payment is PROTECT: refused before any SQL
        with transaction.atomic():
            Claim.objects.filter(pk=paid.pk).delete()
    with pytest.raises(IntegrityError, match="A paid claim is a financial record"):
        raw_delete("reciprocity_claim", paid.pk)
    with pytest.raises(IntegrityError, match="The lines of a paid claim"):
        with transaction.atomic():
            ClaimItem.objects.filter(claim=paid).delete()
    assert paid.items.count() == 2 and Claim.objects.filter(pk=paid.pk).exists()


def test_a_payment_is_refused_by_the_model_and_the_database(paid):
    payment = paid.payment
    assert_never_deleted(payment, refused="A payment is a financial record and is never deleted",
                         database="A payment is a financial record")
    assert Payment.objects.filter(pk=payment.pk, amount=Decimal("44.50")).exists()


def test_an_issued_voucher_code_is_kept_and_one_in_stock_can_go(partner, finance, source):
    batch = services.voucher_batch_create(provider="Love2shop", value=Decimal("10.00"),
                                          received_on=timezone.localdate(), reference="",
                                          codes=["A-1", "A-2", "A-3", "A-4", "A-5"], by=finance)
    claim = approved_claim(partner, finance, hours=Decimal("2"))
    services.claim_pay(claim=claim, by=finance, method="voucher", paid_on=timezone.localdate(),
                       funding_source=source, vouchers="Love2shop|10.00")
    issued = Voucher.objects.filter(batch=batch, payment__isnull=False)
    assert issued.count() == 4
    with pytest.raises(ValidationError, match="issued with a payment"):
        issued.first().delete()
    with pytest.raises(IntegrityError, match="A voucher code issued with a payment"):
        with transaction.atomic():
            issued.delete()
    Voucher.objects.filter(batch=batch, payment__isnull=True).delete()
    assert Voucher.objects.filter(batch=batch).count() == 4


def test_claims_not_paid_can_still_be_deleted_by_the_database(partner):
    """The triggers keep only what they must: a draft claim (and its lines) may go."""
    draft = make_claim(partner, submit=False, travel=Decimal("3.00"))
    Claim.objects.filter(pk=draft.pk).delete()
    assert not Claim.objects.filter(pk=draft.pk).exists()


def test_removing_a_cost_from_a_paid_claim_is_refused_by_the_service(paid, finance):
    travel = paid.items.get(kind="travel")
    with pytest.raises(ValidationError, match="This claim cannot be changed: it is paid"):
        services.claim_item_remove(item=travel, by=finance)
    assert ClaimItem.objects.filter(pk=travel.pk).exists()


def test_a_meeting_someone_claimed_for_cannot_be_deleted(partner, finance, source):
    meeting = meeting_attended(partner)
    services.claim_create(partner=partner, by=partner.user, meeting=meeting, activity_type=hourly())
    with pytest.raises(ProtectedError):
        meeting.delete()


def test_the_admin_offers_no_deletion_of_a_paid_claim_or_a_payment(paid, superuser_client):
    claim_delete = reverse("admin:reciprocity_claim_delete", args=[paid.pk])
    payment_delete = reverse("admin:reciprocity_payment_delete", args=[paid.payment.pk])
    assert superuser_client.get(claim_delete).status_code == 403
    assert superuser_client.post(claim_delete, {"post": "yes"}).status_code == 403
    assert superuser_client.post(payment_delete, {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=paid.pk).exists() and Payment.objects.filter(claim=paid).exists()


def test_the_admins_bulk_delete_refuses_a_selection_holding_a_paid_claim(paid, partner, superuser_client):
    draft = make_claim(partner, submit=False)
    response = superuser_client.post(reverse("admin:reciprocity_claim_changelist"), {
        "action": "delete_selected", "_selected_action": [paid.pk, draft.pk], "post": "yes",
    })
    assert response.status_code == 200 and "Cannot delete" in response.content.decode()
    assert Claim.objects.filter(pk__in=[paid.pk, draft.pk]).count() == 2


def test_the_admin_offers_deletion_of_a_draft_claim_and_not_of_a_paid_claims_lines(paid, partner, db):
    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True)
    claim_admin = admin.site._registry[Claim]
    draft = make_claim(partner, submit=False)
    assert claim_admin.has_delete_permission(request, draft)
    assert not claim_admin.has_delete_permission(request, paid)
    inline = ClaimItemInline(Claim, admin.site)
    assert inline.has_delete_permission(request, draft)
    assert not inline.has_delete_permission(request, paid)
