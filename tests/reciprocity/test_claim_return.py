"""Staff send a submitted claim back to the partner to put right, saying what to change,
instead of only rejecting it: the partner sees it (on the claim, their claims and their home
page), changes it and sends it again; staff find it under its own status."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.urls import reverse

from reciprocity import services
from reciprocity.models import Claim

from .helpers import approved_claim
from .helpers import make_claim

pytestmark = pytest.mark.django_db

WHAT_TO_CHANGE = "Please add the bus ticket for the journey home."


def _returned(partner, finance) -> Claim:
    return services.claim_return(claim=make_claim(partner, travel=Decimal("3.20")), by=finance,
                                 reason=WHAT_TO_CHANGE)


def test_finance_returns_a_sent_claim_and_who_and_when_are_recorded(partner, finance):
    claim = _returned(partner, finance)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNED
    assert claim.return_reason == WHAT_TO_CHANGE
    assert claim.returned_by == finance and claim.returned_at is not None
    latest = claim.history.first()
    assert latest.history_user == finance
    assert latest.history_change_reason == "Sent back to the partner to put right"


def test_the_partner_is_told_what_to_change(partner, finance, django_capture_on_commit_callbacks):
    claim = make_claim(partner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_return(claim=claim, by=finance, reason=WHAT_TO_CHANGE)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [f"{partner.display_name} <{partner.email}>"]
    assert "please look at your claim again" in message.subject
    assert WHAT_TO_CHANGE in message.body


@pytest.mark.parametrize("status", ["draft", "approved", "rejected", "withdrawn", "returned"])
def test_only_a_submitted_claim_can_be_returned(status, partner, finance):
    if status == "draft":
        claim = make_claim(partner, submit=False)
    elif status == "approved":
        claim = approved_claim(partner, finance)
    elif status == "rejected":
        claim = services.claim_reject(claim=make_claim(partner), by=finance, reason="Not eligible.")
    elif status == "withdrawn":
        claim = services.claim_withdraw(claim=make_claim(partner), by=partner.user)
    else:
        claim = _returned(partner, finance)
    with pytest.raises(ValidationError, match="cannot be sent back"):
        services.claim_return(claim=claim, by=finance, reason="Change it.")
    claim.refresh_from_db()
    assert claim.status == status


def test_the_partner_and_staff_without_the_approve_permission_cannot_return(partner, plain_staff):
    claim = make_claim(partner)
    for person in (partner.user, plain_staff):
        with pytest.raises(PermissionDenied):
            services.claim_return(claim=claim, by=person, reason="Change it.")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_the_partner_changes_a_returned_claim_and_sends_it_again(partner, finance):
    claim = _returned(partner, finance)
    services.claim_item_add(claim=claim, kind="subsistence", amount="4.00", by=partner.user)
    services.claim_submit(claim=claim, by=partner.user)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.total == Decimal("47.20")  # £40 fee, £3.20 travel, £4 food
    approved = services.claim_approve(claim=claim, by=finance)
    assert approved.status == Claim.Status.APPROVED


def test_staff_return_a_claim_from_its_page(client, partner, finance):
    claim = make_claim(partner)
    client.force_login(finance)
    page = client.get(reverse("reciprocity:claim_detail", args=[claim.pk])).content.decode()
    assert "Send it back to put right" in page
    response = client.post(reverse("reciprocity:claim_return", args=[claim.pk]), {"reason": WHAT_TO_CHANGE})
    assert response.url == reverse("reciprocity:claim_detail", args=[claim.pk])
    claim.refresh_from_db()
    assert claim.status == Claim.Status.RETURNED
    page = client.get(response.url).content.decode()
    assert WHAT_TO_CHANGE in page and "Sent back to put right" in page


def test_returning_without_saying_what_to_change_saves_nothing(client, partner, finance):
    claim = make_claim(partner)
    client.force_login(finance)
    response = client.post(reverse("reciprocity:claim_return", args=[claim.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Say what to change: the partner will see it." in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_staff_without_the_approve_permission_get_403(client, partner, plain_staff):
    claim = make_claim(partner)
    client.force_login(plain_staff)
    response = client.post(reverse("reciprocity:claim_return", args=[claim.pk]), {"reason": "Change it."})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_staff_find_returned_claims_under_their_own_status(client, partner, finance):
    returned = _returned(partner, finance)
    sent = make_claim(partner, activity="Went to the open day")
    client.force_login(finance)
    page = client.get(reverse("reciprocity:claim_list")).content.decode()
    assert "?status=returned" in page and "Returned to put right: 1" in page
    page = client.get(reverse("reciprocity:claim_list"), {"status": "returned"}).content.decode()
    assert f"Claim {returned.pk}<" in page and f"Claim {sent.pk}<" not in page


def test_the_partner_sees_what_to_change_and_sends_it_again(client, partner, finance):
    claim = _returned(partner, finance)
    client.force_login(partner.user)
    page = client.get(reverse("reciprocity:my_claim_detail", args=[claim.pk])).content.decode()
    assert "We sent this claim back to you to put right" in page and WHAT_TO_CHANGE in page
    assert "Send my claim again" in page
    assert WHAT_TO_CHANGE in client.get(reverse("reciprocity:my_claims")).content.decode()
    check = client.get(reverse("reciprocity:my_claim_check", args=[claim.pk]))
    assert check.status_code == 200 and WHAT_TO_CHANGE in check.content.decode()
    client.post(reverse("reciprocity:my_claim_submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_the_partners_home_lists_a_returned_claim_with_what_to_change(client, partner, finance):
    _returned(partner, finance)
    client.force_login(partner.user)
    page = client.get(reverse("participants:portal_home")).content.decode()
    waiting = page.split("What to look at next")[1]
    claim = "<strong>Read the new leaflet and sent comments</strong>"
    assert f"We sent your claim for {claim} back to you" in waiting
    assert WHAT_TO_CHANGE in waiting and "Change it and send it again" in waiting


def test_another_partner_cannot_see_or_change_a_returned_claim(client, partner, other, finance):
    claim = _returned(partner, finance)
    client.force_login(other.user)
    assert client.get(reverse("reciprocity:my_claim_detail", args=[claim.pk])).status_code == 404
    assert client.post(reverse("reciprocity:my_claim_submit", args=[claim.pk])).status_code == 404
    assert WHAT_TO_CHANGE not in client.get(reverse("participants:portal_home")).content.decode()
