"""The partner's own pages: claiming (from a meeting they attended, or another
activity), seeing claims and payments in plain English, and nothing of anyone else's."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reciprocity import services
from reciprocity.models import Claim
from reciprocity.models import ClaimItem

from ..helpers import assert_queries_bounded
from .helpers import approved_claim
from .helpers import make_claim
from .helpers import meeting_attended
from .helpers import paid_claim
from .helpers import pay

# A day inside the claimable window (the last 12 months), whenever the suite runs.
RECENT = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()

pytestmark = pytest.mark.django_db


def test_partner_claims_the_fee_for_a_meeting_they_attended(signed_in, partner):
    meeting = meeting_attended(partner, hours=Decimal("3.00"))
    page = signed_in.get(reverse("reciprocity:my_claim_create"))
    assert meeting.title in page.content.decode()
    response = signed_in.post(
        reverse("reciprocity:my_claim_create"),
        {
            "action": "send",
            "meeting": meeting.pk,
            "activity_type": _hourly_pk(),
            "travel": "4.80",
            "travel_description": "Bus",
        },
    )
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reciprocity:my_claim_detail", args=[claim.pk])
    assert claim.meeting == meeting
    assert claim.status == Claim.Status.SUBMITTED
    assert claim.hours == Decimal("3.00")  # from the register, not typed in
    assert claim.fee_total == Decimal("60.00")
    assert claim.total == Decimal("64.80")


def _hourly_pk() -> int:
    from .helpers import hourly

    return hourly().pk


def _claim_travel_for(partner, meeting) -> Claim:
    """The partner claims £2.00 of travel for `meeting`, and no fee."""
    return services.claim_create(partner=partner, by=partner.user, meeting=meeting, activity_type=None,
                                 costs=[{"kind": "travel", "amount": "2.00"}])


def test_a_meeting_already_claimed_is_not_offered_again(signed_in, partner):
    meeting = meeting_attended(partner)
    _claim_travel_for(partner, meeting)
    assert meeting.title not in signed_in.get(reverse("reciprocity:my_claim_create")).content.decode()


def test_a_meeting_the_partner_did_not_attend_cannot_be_claimed(partner, other):
    meeting = meeting_attended(other)
    with pytest.raises(ValidationError, match="attended"):
        _claim_travel_for(partner, meeting)
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"activity": "Leaflet", "activity_date": RECENT, "travel": "-3.00"}, "more than £0.00"),
        ({"activity": "Leaflet", "activity_date": RECENT, "travel": "3.456"}, "two figures at most"),
        ({"activity": "Leaflet", "activity_date": RECENT, "travel": "9999999"}, "£5,000.00 or less"),
        ({"activity": "Leaflet", "activity_date": RECENT, "travel": "lots"}, "pounds and pence"),
        ({"activity": "", "activity_date": RECENT, "travel": "3.00"}, "Tell us what you did"),
        ({"activity": "Leaflet", "activity_date": "2999-01-01", "travel": "3.00"}, "cannot be in the future"),
        ({"activity": "Leaflet", "activity_date": RECENT}, "nothing to claim"),
        ({"activity": "Leaflet", "activity_date": RECENT, "other": "5.00"}, "Say what the other costs"),
        ({"activity": "Leaflet", "activity_date": RECENT, "activity_type": "HOURLY"}, "how many hours"),
    ],
)
def test_bad_claims_are_refused_with_a_clear_message_and_nothing_saved(signed_in, data, message):
    if data.get("activity_type") == "HOURLY":
        data = {**data, "activity_type": _hourly_pk()}
    response = signed_in.post(reverse("reciprocity:my_claim_create"), {"action": "send", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists() and not ClaimItem.objects.exists()


def test_partner_saves_a_draft_adds_a_cost_and_sends_it(signed_in, partner):
    signed_in.post(
        reverse("reciprocity:my_claim_create"),
        {"action": "draft", "activity": "Read papers", "activity_date": RECENT, "travel": "2.00"},
    )
    claim = Claim.objects.get()
    assert claim.status == Claim.Status.DRAFT
    signed_in.post(
        reverse("reciprocity:my_claim_cost_add", args=[claim.pk]), {"kind": "care", "amount": "15.00"}
    )
    claim.refresh_from_db()
    assert claim.total == Decimal("17.00")
    signed_in.post(reverse("reciprocity:my_claim_submit", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_a_bad_cost_is_refused_and_nothing_added(signed_in, partner):
    claim = make_claim(partner, submit=False)
    response = signed_in.post(
        reverse("reciprocity:my_claim_cost_add", args=[claim.pk]), {"kind": "other", "amount": "0"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "more than £0.00" in body and "Say what the other costs" in body
    assert claim.items.count() == 1


def test_partner_cannot_see_another_partners_claim(client, partner, other):
    claim = make_claim(partner)
    client.force_login(other.user)
    assert client.get(reverse("reciprocity:my_claim_detail", args=[claim.pk])).status_code == 404
    assert client.post(reverse("reciprocity:my_claim_withdraw", args=[claim.pk])).status_code == 404
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED


def test_the_partner_reads_the_status_in_plain_english_and_the_rejection_reason(signed_in, partner, finance):
    claim = make_claim(partner)
    services.claim_reject(claim=claim, by=finance, reason="We already paid this in March.")
    body = signed_in.get(reverse("reciprocity:my_claims")).content.decode()
    assert "Not agreed" in body and "We already paid this in March." in body
    detail = signed_in.get(reverse("reciprocity:my_claim_detail", args=[claim.pk])).content.decode()
    assert "Why we could not agree it" in detail


def test_payments_page_shows_paid_this_week_month_and_tax_year_and_independent_advice(
    signed_in, partner, finance, source
):
    paid_claim(partner, finance, source, travel=Decimal("2.50"))
    body = signed_in.get(reverse("reciprocity:my_payments")).content.decode()
    assert "Paid this week" in body and "Paid this month" in body and "Paid this tax year" in body
    assert body.count("£42.50") >= 3
    assert "Citizens Advice" in body and "Turn2us" in body
    assert "We cannot give benefits advice" in body


def test_partner_asks_to_be_paid_less(signed_in, partner, finance):
    claim = approved_claim(partner, finance)
    response = signed_in.post(reverse("reciprocity:my_claim_ask_less", args=[claim.pk]), {"amount": "15.00"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.requested_amount == Decimal("15.00")


def test_asking_for_a_bad_amount_is_refused(signed_in, partner, finance):
    claim = approved_claim(partner, finance)
    response = signed_in.post(reverse("reciprocity:my_claim_ask_less", args=[claim.pk]), {"amount": "400.00"})
    assert response.status_code == 400
    assert "Enter less than £40.00" in response.content.decode()
    claim.refresh_from_db()
    assert claim.requested_amount is None


def test_partner_sees_their_voucher_codes(signed_in, partner, finance, source):
    services.voucher_batch_create(
        provider="Love2shop",
        value=Decimal("20.00"),
        received_on=timezone.localdate(),
        codes=["CODE-A", "CODE-B", "CODE-C"],
        by=finance,
    )
    claim = approved_claim(partner, finance)
    pay(claim, finance, source, method="voucher", vouchers="Love2shop|20.00")
    body = signed_in.get(reverse("reciprocity:my_claim_detail", args=[claim.pk])).content.decode()
    assert "CODE-A" in body and "CODE-B" in body and "CODE-C" not in body


def test_my_claims_runs_the_same_queries_however_many_claims(signed_in, partner):
    make_claim(partner)

    def grow():
        for n in range(10):
            make_claim(partner, activity=f"Activity {n}", travel=Decimal("1.00"))

    assert_queries_bounded(signed_in, reverse("reciprocity:my_claims"), grow, most=15)


def test_my_payments_runs_the_same_queries_however_many_payments(signed_in, partner, finance, source):
    paid_claim(partner, finance, source)

    def grow():
        for _ in range(10):
            paid_claim(partner, finance, source)
            approved_claim(partner, finance)

    assert_queries_bounded(signed_in, reverse("reciprocity:my_payments"), grow, most=15)
