"""The claim workflow: every step allowed from the right state by the right person,
and refused otherwise; who and when recorded, the audit trail written, the partner told."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone

from reciprocity import services
from reciprocity.models import Claim
from reciprocity.models import Payment

from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from .helpers import approved_claim
from .helpers import give_finance_permissions
from .helpers import make_claim
from .helpers import paid_claim

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _in_state(status: str, partner, finance, source) -> Claim:
    if status == "draft":
        return make_claim(partner, submit=False)
    if status == "submitted":
        return make_claim(partner)
    if status == "approved":
        return approved_claim(partner, finance)
    if status == "paid":
        return paid_claim(partner, finance, source)
    claim = make_claim(partner)
    if status == "rejected":
        return services.claim_reject(claim=claim, by=finance, reason="Not eligible.")
    return services.claim_withdraw(claim=claim, by=partner.user)


def test_a_new_claim_is_a_draft_with_the_fee_from_the_rate_in_force(partner):
    claim = make_claim(partner, hours=Decimal("2.5"), travel=Decimal("4.60"), submit=False)
    assert claim.status == Claim.Status.DRAFT
    assert claim.fee_total == Decimal("50.00")  # 2.5 hours × £20
    assert claim.expenses_total == Decimal("4.60")
    assert claim.total == Decimal("54.60")
    assert claim.created_by == partner.user


def test_partner_sends_a_draft_and_it_records_who_and_when(partner):
    claim = make_claim(partner, submit=False)
    services.claim_submit(claim=claim, by=partner.user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.submitted_by == partner.user
    assert claim.submitted_at is not None
    latest = claim.history.first()
    assert latest.history_user == partner.user
    assert latest.history_change_reason == "Submitted"


@pytest.mark.parametrize("status", ["submitted", "approved", "paid", "rejected", "withdrawn"])
def test_only_a_draft_can_be_sent(status, partner, finance, source):
    claim = _in_state(status, partner, finance, source)
    with pytest.raises(ValidationError):
        services.claim_submit(claim=claim, by=partner.user)


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_partner_can_withdraw_a_claim_not_yet_decided(status, partner, finance, source):
    claim = _in_state(status, partner, finance, source)
    services.claim_withdraw(claim=claim, by=partner.user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    assert claim.withdrawn_by == partner.user


@pytest.mark.parametrize("status", ["approved", "paid", "rejected", "withdrawn"])
def test_a_decided_claim_cannot_be_withdrawn(status, partner, finance, source):
    claim = _in_state(status, partner, finance, source)
    with pytest.raises(ValidationError):
        services.claim_withdraw(claim=claim, by=partner.user)


def test_another_partner_cannot_change_a_claim(partner, other):
    claim = make_claim(partner, submit=False)
    with pytest.raises(PermissionDenied):
        services.claim_submit(claim=claim, by=other.user)


def test_finance_approves_a_sent_claim(partner, finance):
    claim = make_claim(partner)
    services.claim_approve(claim=claim, by=finance)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED
    assert claim.decided_by == finance
    assert claim.approved_amount == claim.total
    assert claim.history.first().history_user == finance


def test_approving_less_than_claimed_records_the_amount(partner, finance):
    claim = make_claim(partner, travel=Decimal("5.00"))
    services.claim_approve(claim=claim, by=finance, amount=Decimal("30.00"))
    claim.refresh_from_db()
    assert claim.approved_amount == Decimal("30.00")
    assert claim.payable == Decimal("30.00")
    assert claim.split(claim.payable) == (Decimal("25.00"), Decimal("5.00"))  # costs first, fee reduced


def test_approving_more_than_claimed_is_refused(partner, finance):
    claim = make_claim(partner)
    with pytest.raises(ValidationError, match="more than"):
        services.claim_approve(claim=claim, by=finance, amount=claim.total + 1)


@pytest.mark.parametrize("status", ["draft", "approved", "paid", "rejected", "withdrawn"])
def test_only_a_sent_claim_can_be_approved(status, partner, finance, source):
    claim = _in_state(status, partner, finance, source)
    with pytest.raises(ValidationError):
        services.claim_approve(claim=claim, by=finance)


def test_staff_without_the_approve_permission_cannot_approve(partner, plain_staff):
    claim = make_claim(partner)
    with pytest.raises(PermissionDenied):
        services.claim_approve(claim=claim, by=plain_staff)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_nobody_approves_their_own_claim(finance):
    """A staff member who is also a lived-experience partner."""
    own = PartnerWithLoginFactory(user=finance, full_name=finance.full_name)
    claim = make_claim(own, by=finance)
    with pytest.raises(ValidationError, match="your own claim"):
        services.claim_approve(claim=claim, by=finance)


def test_nobody_pays_their_own_claim(finance, source):
    own = PartnerWithLoginFactory(user=finance, full_name=finance.full_name)
    colleague = give_finance_permissions(StaffFactory())
    claim = approved_claim(own, colleague, by=finance)
    with pytest.raises(ValidationError, match="your own claim"):
        services.claim_pay(
            claim=claim, by=finance, method="bank_transfer", paid_on=TODAY(), funding_source=source
        )


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_finance_rejects_with_a_reason(status, partner, finance, source):
    claim = _in_state(status, partner, finance, source)
    services.claim_reject(claim=claim, by=finance, reason="No receipt for the taxi.")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert claim.rejection_reason == "No receipt for the taxi."
    assert claim.decided_by == finance


# Rejecting a claim, or sending it back to put right, always says why: the partner reads it.
@pytest.mark.parametrize(("action", "message"), [
    ("claim_reject", "reason"),
    ("claim_return", "Say what to change"),
])
def test_rejecting_or_sending_back_needs_a_reason(action, message, partner, finance):
    claim = make_claim(partner)
    with pytest.raises(ValidationError, match=message):
        getattr(services, action)(claim=claim, by=finance, reason="   ")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


@pytest.mark.parametrize("status", ["rejected", "returned"])
def test_the_database_refuses_a_rejection_or_return_without_a_reason(status, partner):
    claim = make_claim(partner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status=status)


@pytest.mark.parametrize("status", ["draft", "paid", "rejected", "withdrawn"])
def test_a_claim_cannot_be_rejected_from(status, partner, finance, source):
    claim = _in_state(status, partner, finance, source)
    with pytest.raises(ValidationError):
        services.claim_reject(claim=claim, by=finance, reason="No.")


def test_staff_without_the_approve_permission_cannot_reject(partner, plain_staff):
    with pytest.raises(PermissionDenied):
        services.claim_reject(claim=make_claim(partner), by=plain_staff, reason="No.")


def test_finance_pays_an_approved_claim(partner, finance, source):
    claim = approved_claim(partner, finance, travel=Decimal("3.50"))
    payment = services.claim_pay(
        claim=claim,
        by=finance,
        method="bank_transfer",
        paid_on=TODAY(),
        funding_source=source,
        reference="BACS 123",
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID
    assert payment.amount == Decimal("43.50")
    assert (payment.fee_amount, payment.expenses_amount) == (Decimal("40.00"), Decimal("3.50"))
    assert payment.recorded_by == finance
    assert payment.days_to_pay == 0
    assert payment.history.first().history_user == finance


@pytest.mark.parametrize("status", ["draft", "submitted", "paid", "rejected", "withdrawn"])
def test_only_an_approved_claim_can_be_paid(status, partner, finance, source):
    claim = _in_state(status, partner, finance, source)
    with pytest.raises(ValidationError):
        services.claim_pay(
            claim=claim, by=finance, method="bank_transfer", paid_on=TODAY(), funding_source=source
        )
    assert Payment.objects.filter(claim=claim).count() == (1 if status == "paid" else 0)


def test_paying_twice_is_refused(partner, finance, source):
    claim = paid_claim(partner, finance, source)
    with pytest.raises(ValidationError, match="already been paid"):
        services.claim_pay(claim=claim, by=finance, method="cash", paid_on=TODAY(), funding_source=source)
    assert Payment.objects.filter(claim=claim).count() == 1


def test_the_database_refuses_a_second_payment_for_a_claim(partner, finance, source):
    claim = paid_claim(partner, finance, source)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            claim=claim,
            method="cash",
            paid_on=TODAY(),
            amount=Decimal("1"),
            fee_amount=Decimal("1"),
            expenses_amount=0,
            funding_source=source,
            days_to_pay=0,
        )


def test_staff_with_approve_but_not_pay_cannot_pay(partner, approver, source):
    claim = approved_claim(partner, approver)
    with pytest.raises(PermissionDenied):
        services.claim_pay(claim=claim, by=approver, method="cash", paid_on=TODAY(), funding_source=source)


def test_a_payment_date_in_the_future_is_refused(partner, finance, source):
    claim = approved_claim(partner, finance)
    with pytest.raises(ValidationError, match="future"):
        services.claim_pay(
            claim=claim, by=finance, method="cash", paid_on=TODAY() + timedelta(days=1), funding_source=source
        )


def test_a_funding_source_not_running_on_the_payment_date_is_refused(partner, finance, source):
    from .factories import FundingSourceFactory

    ended = FundingSourceFactory(
        starts_on=TODAY() - timedelta(days=300), ends_on=TODAY() - timedelta(days=30)
    )
    claim = approved_claim(partner, finance)
    with pytest.raises(ValidationError) as error:
        services.claim_pay(claim=claim, by=finance, method="cash", paid_on=TODAY(), funding_source=ended)
    assert "funding_source" in error.value.message_dict


def test_paying_a_charity_names_the_charity(partner, finance, source):
    claim = approved_claim(partner, finance)
    with pytest.raises(ValidationError):
        services.claim_pay(claim=claim, by=finance, method="charity", paid_on=TODAY(), funding_source=source)
    payment = services.claim_pay(
        claim=claim, by=finance, method="charity", paid_on=TODAY(), funding_source=source, charity="Shelter"
    )
    assert payment.charity == "Shelter"


def test_partner_declines_payment_and_the_claim_closes(partner, finance):
    claim = approved_claim(partner, finance)
    services.claim_decline_payment(claim=claim, by=partner.user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    assert claim.declined_payment
    assert claim.plain_status == "You chose not to be paid"


def test_a_draft_cannot_be_declined(partner):
    with pytest.raises(ValidationError):
        services.claim_decline_payment(claim=make_claim(partner, submit=False), by=partner.user)


def test_partner_asks_for_less_and_is_paid_that_with_the_fee_reduced(partner, finance, source):
    claim = approved_claim(partner, finance, travel=Decimal("6.00"))  # £40 fee + £6 travel
    services.claim_ask_for_less(claim=claim, amount=Decimal("20.00"), by=partner.user)
    claim.refresh_from_db()
    assert claim.payable == Decimal("20.00")
    payment = services.claim_pay(
        claim=claim, by=finance, method="bank_transfer", paid_on=TODAY(), funding_source=source
    )
    assert (payment.amount, payment.fee_amount, payment.expenses_amount) == (
        Decimal("20.00"),
        Decimal("14.00"),
        Decimal("6.00"),
    )


def test_asking_for_as_much_or_more_is_refused(partner):
    claim = make_claim(partner)
    with pytest.raises(ValidationError):
        services.claim_ask_for_less(claim=claim, amount=claim.total, by=partner.user)


# --- E-mails ---


def test_each_step_e_mails_the_partner_who_agreed_to_contact(
    partner, finance, source, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(partner)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_approve(claim=claim, by=finance)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_pay(
            claim=claim, by=finance, method="bank_transfer", paid_on=TODAY(), funding_source=source
        )
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 3
    assert "we have your claim" in subjects[0]
    assert "agreed" in subjects[1]
    assert "paid" in subjects[2]
    assert all(message.to == [f"{partner.display_name} <{partner.email}>"] for message in mail.outbox)


def test_a_rejection_e_mail_gives_the_reason(partner, finance, django_capture_on_commit_callbacks):
    claim = make_claim(partner)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_reject(claim=claim, by=finance, reason="The meeting was cancelled.")
    assert "The meeting was cancelled." in mail.outbox[-1].body


def test_no_e_mail_without_consent_to_contact(other, finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(other)
        services.claim_approve(claim=claim, by=finance)
    assert mail.outbox == []
