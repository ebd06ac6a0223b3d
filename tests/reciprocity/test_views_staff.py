"""The staff claims and finance pages: finance permissions, the benefit warning before
approval, claiming for a partner, rates, funding warnings, measures of trust, and a
bounded number of queries on every list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.models import Partner
from reciprocity import services
from reciprocity.models import ActivityType
from reciprocity.models import BenefitRule
from reciprocity.models import Claim
from reciprocity.models import FundingSource
from reciprocity.models import Payment
from reciprocity.models import Rate
from reciprocity.models import ReciprocitySettings
from reciprocity.models import Recognition
from reciprocity.models import VoucherBatch

from ..helpers import assert_queries_bounded
from ..participants.factories import PartnerFactory
from .factories import BenefitRuleFactory
from .factories import FundingSourceFactory
from .factories import RecognitionFactory
from .helpers import approved_claim
from .helpers import hourly
from .helpers import make_claim
from .helpers import meeting_attended
from .helpers import paid_claim

pytestmark = pytest.mark.django_db


def test_staff_without_finance_permissions_see_claims_but_no_approve_or_pay_buttons(
    as_plain_staff, partner, finance
):
    submitted = make_claim(partner)
    approved = approved_claim(partner, finance)
    body = as_plain_staff.get(reverse("reciprocity:claim_detail", args=[submitted.pk])).content.decode()
    assert "Approve the claim" not in body and "needs the finance permission" in body
    body = as_plain_staff.get(reverse("reciprocity:claim_detail", args=[approved.pk])).content.decode()
    assert "Mark as paid" not in body


def test_staff_without_finance_permissions_get_403_on_approve_reject_and_pay(
    as_plain_staff, partner, finance, source
):
    submitted = make_claim(partner)
    approved = approved_claim(partner, finance)
    assert (
        as_plain_staff.post(
            reverse("reciprocity:claim_approve", args=[submitted.pk]), {"amount": "40.00"}
        ).status_code
        == 403
    )
    assert (
        as_plain_staff.post(
            reverse("reciprocity:claim_reject", args=[submitted.pk]), {"reason": "No"}
        ).status_code
        == 403
    )
    assert (
        as_plain_staff.post(
            reverse("reciprocity:claim_pay", args=[approved.pk]),
            {
                "method": "cash",
                "paid_on": timezone.localdate().isoformat(),
                "funding_source": source.pk,
                "amount": "40.00",
            },
        ).status_code
        == 403
    )
    submitted.refresh_from_db()
    approved.refresh_from_db()
    assert (submitted.status, approved.status) == (Claim.Status.SUBMITTED, Claim.Status.APPROVED)


def test_finance_approves_and_pays_through_the_pages(as_finance, partner, source):
    claim = make_claim(partner, travel=Decimal("2.40"))
    response = as_finance.post(reverse("reciprocity:claim_approve", args=[claim.pk]), {"amount": "42.40"})
    assert response.status_code == 302
    response = as_finance.post(
        reverse("reciprocity:claim_pay", args=[claim.pk]),
        {
            "method": "bank_transfer",
            "paid_on": timezone.localdate().isoformat(),
            "funding_source": source.pk,
            "amount": "42.40",
            "reference": "BACS 77",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get(claim=claim)
    assert payment.reference == "BACS 77" and payment.amount == Decimal("42.40")
    body = as_finance.get(reverse("reciprocity:claim_detail", args=[claim.pk])).content.decode()
    assert "Audit trail" in body and "Fran Finance" in body and "Approved" in body and "Paid" in body


def test_a_bad_payment_is_refused_with_a_clear_message_and_nothing_saved(
    as_finance, partner, finance, source
):
    claim = approved_claim(partner, finance)
    response = as_finance.post(
        reverse("reciprocity:claim_pay", args=[claim.pk]),
        {"method": "charity", "paid_on": "not a date", "funding_source": "", "amount": "-1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    for message in [
        "Enter the date it was paid",
        "Choose the funding source",
        "Name the charity",
        "more than £0.00",
    ]:
        assert message in body
    assert not Payment.objects.exists()


@pytest.mark.parametrize(("url", "data", "message"), [
    pytest.param("reciprocity:claim_reject", {"reason": ""}, "Give the reason",
                 id="a rejection without a reason"),
    pytest.param("reciprocity:claim_approve", {"amount": "400.00"},
                 "You cannot approve more than the £40.00 claimed.", id="approving more than the total"),
])
def test_a_decision_on_a_claim_with_bad_input_is_refused_and_the_claim_still_waits(
        as_finance, partner, url, data, message):
    claim = make_claim(partner)
    response = as_finance.post(reverse(url, args=[claim.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED and claim.approved_amount is None
def test_the_benefit_panel_warns_before_an_approval_that_crosses_a_limit(
    as_finance, partner, finance, source
):
    Partner.objects.filter(pk=partner.pk).update(benefit_check=True)
    BenefitRuleFactory(name="Weekly earnings limit", period="week", limit=Decimal("50"), partners=[partner])
    paid_claim(partner, finance, source)
    claim = make_claim(partner)
    body = as_finance.get(reverse("reciprocity:claim_detail", args=[claim.pk])).content.decode()
    assert "would take Pat Partner past a limit" in body
    assert "Pay less" in body and "Vouchers" in body and "Decline" in body and "Donate" in body
    assert "Citizens Advice" in body
    assert "I have talked with them about the limit" in body
    response = as_finance.post(reverse("reciprocity:claim_approve", args=[claim.pk]), {"amount": "40.00"})
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    response = as_finance.post(
        reverse("reciprocity:claim_approve", args=[claim.pk]), {"amount": "40.00", "over_limit_agreed": "on"}
    )
    assert response.status_code == 302


def test_a_flagged_partner_with_no_rule_is_pointed_out(as_finance, partner):
    Partner.objects.filter(pk=partner.pk).update(benefit_check=True)
    claim = make_claim(partner)
    body = as_finance.get(reverse("reciprocity:claim_detail", args=[claim.pk])).content.decode()
    assert "no rule is linked to them yet" in body


def test_staff_claim_for_a_partner_from_a_meeting_they_attended(as_finance, partner):
    meeting = meeting_attended(partner, hours=Decimal("1.50"))
    response = as_finance.get(reverse("reciprocity:claim_create"), {"partner": partner.pk})
    assert response.status_code == 302
    assert response.url == reverse("reciprocity:claim_create_for", args=[partner.pk])
    response = as_finance.post(
        reverse("reciprocity:claim_create_for", args=[partner.pk]),
        {"action": "send", "meeting": meeting.pk, "activity_type": hourly().pk},
    )
    claim = Claim.objects.get()
    assert response.url == reverse("reciprocity:claim_detail", args=[claim.pk])
    assert claim.partner == partner and claim.fee_total == Decimal("30.00") and claim.created_by is not None


def test_a_rate_added_from_a_date_ends_the_one_before(finance):
    start = timezone.localdate() + timedelta(days=30)
    new = services.rate_create(
        activity_type=hourly(), basis="hourly", amount="22.50", effective_from=start, by=finance
    )
    old = Rate.objects.get(activity_type=hourly(), effective_from__lt=start)
    assert old.effective_to == start - timedelta(days=1)
    assert services.rate_in_force(hourly(), start) == new
    assert services.rate_in_force(hourly(), start - timedelta(days=1)) == old


def test_claims_use_the_rate_in_force_on_the_activity_date(partner, finance):
    today = timezone.localdate()
    services.rate_create(
        activity_type=hourly(),
        basis="hourly",
        amount="25.00",
        effective_from=today - timedelta(days=3),
        by=finance,
    )
    before = make_claim(partner, days_ago=4)  # the old £20 rate
    after = make_claim(partner, days_ago=2)  # the new £25 rate
    assert (before.fee_total, after.fee_total) == (Decimal("40.00"), Decimal("50.00"))


def test_an_overlapping_rate_is_refused(finance):
    today = timezone.localdate()
    services.rate_create(
        activity_type=hourly(),
        basis="hourly",
        amount="25.00",
        effective_from=today,
        effective_to=today + timedelta(days=10),
        by=finance,
    )
    with pytest.raises(Exception, match="overlap"):
        services.rate_create(
            activity_type=hourly(),
            basis="hourly",
            amount="26.00",
            effective_from=today + timedelta(days=5),
            effective_to=today + timedelta(days=20),
            by=finance,
        )


def test_a_rate_used_by_claims_keeps_its_amount(partner, finance):
    claim = make_claim(partner)
    with pytest.raises(Exception, match="only its end"):
        services.rate_update(
            rate=claim.rate,
            basis="hourly",
            amount="99.00",
            effective_from=claim.rate.effective_from,
            effective_to=None,
            by=finance,
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"basis": "hourly", "amount": "-5", "effective_from": "2026-01-01"}, "more than £0.00"),
        ({"basis": "hourly", "amount": "20.001", "effective_from": "2026-01-01"}, "two figures at most"),
        ({"basis": "weekly", "amount": "20", "effective_from": "2026-01-01"}, "Select a valid choice"),
        (
            {"basis": "hourly", "amount": "20", "effective_from": "2026-02-01", "effective_to": "2026-01-01"},
            "cannot end",
        ),
    ],
)
def test_bad_rates_are_refused_and_nothing_saved(as_finance, data, message):
    before = Rate.objects.count()
    response = as_finance.post(reverse("reciprocity:rate_create"), {"activity_type": hourly().pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Rate.objects.count() == before


def test_an_activity_type_name_must_be_unique(as_finance):
    response = as_finance.post(
        reverse("reciprocity:activity_type_create"), {"name": "half DAY", "is_active": "on"}
    )
    assert "already an activity type" in response.content.decode()
    assert ActivityType.objects.filter(name__iexact="half day").count() == 1


@pytest.mark.parametrize(
    ("spent", "badge"), [("700.00", "budget-ok"), ("800.00", "budget-warning"), ("1000.00", "budget-over")]
)
def test_funding_sources_warn_at_80_and_100_per_cent(as_finance, partner, finance, spent, badge):
    source = FundingSourceFactory(amount=Decimal("1000.00"))
    claim = make_claim(partner, fee=False, travel=Decimal(spent))
    services.claim_approve(claim=claim, by=finance)
    services.claim_pay(
        claim=claim, by=finance, method="bank_transfer", paid_on=timezone.localdate(), funding_source=source
    )
    body = as_finance.get(reverse("reciprocity:funding_list")).content.decode()
    assert f'class="badge {badge}"' in body


def test_a_funding_source_ending_before_it_starts_is_refused(as_finance):
    response = as_finance.post(
        reverse("reciprocity:funding_create"),
        {
            "funder": "Trust",
            "grant": "Grant",
            "kind": "launch",
            "amount": "100",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
    )
    assert "cannot end before it starts" in response.content.decode()
    assert not FundingSource.objects.exists()


def test_the_finance_page_shows_the_median_days_to_pay_and_claims_waiting_too_long(
    as_finance, partner, finance, source
):
    late = make_claim(partner, days_ago=30)
    Claim.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=20))
    for days in (2, 4, 9):
        claim = paid_claim(partner, finance, source)
        Payment.objects.filter(claim=claim).update(days_to_pay=days)
    body = as_finance.get(reverse("reciprocity:finance")).content.decode()
    assert "Median days from sending a claim to payment" in body
    assert '<dd class="stat mb-0">4</dd>' in body
    assert f"Claim {late.pk}" in body
    ReciprocitySettings.objects.update(claims_waiting_days=30)
    assert f"Claim {late.pk}</a>" not in as_finance.get(reverse("reciprocity:finance")).content.decode()


def test_the_median_of_an_even_number_of_payments_is_the_mean_of_the_middle_two(partner, finance, source):
    from reciprocity.measures import median_days_to_pay

    assert median_days_to_pay(Payment.objects.all()) is None
    for days in (1, 3, 8, 20):
        claim = paid_claim(partner, finance, source)
        Payment.objects.filter(claim=claim).update(days_to_pay=days)
    assert median_days_to_pay(Payment.objects.all()) == Decimal("5.5")


def test_settings_out_of_range_are_refused(as_finance):
    response = as_finance.post(
        reverse("reciprocity:settings_edit"), {"claims_waiting_days": "0", "voucher_low_stock": "-1"}
    )
    assert response.status_code == 200
    assert ReciprocitySettings.current().claims_waiting_days == 14


def test_recognition_needs_a_title_and_a_partner(as_finance, partner):
    response = as_finance.post(
        reverse("reciprocity:recognition_create"), {"kind": "thank_you", "given_on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert not Recognition.objects.exists()
    response = as_finance.post(
        reverse("reciprocity:recognition_create"),
        {"partner": partner.pk, "kind": "thank_you", "title": "Chaired the panel", "given_on": "2026-01-01"},
    )
    assert response.status_code == 302
    assert Recognition.objects.get().given_by is not None


def test_the_partner_page_shows_their_claims_this_tax_year(as_finance, partner, finance, source):
    paid_claim(partner, finance, source)
    body = as_finance.get(reverse("participants:partner_detail", args=[partner.pk])).content.decode()
    assert "Claims and payments" in body and "£40.00" in body and "Make a claim for them" in body


# --- Query counts ---


def _grow_claims(partner, finance, source):
    def grow():
        for n in range(10):
            other = PartnerFactory(full_name=f"Partner {n}")
            make_claim(other, by=finance, travel=Decimal("1.00"))
            paid_claim(other, finance, source)
            RecognitionFactory(partner=other, given_by=finance)
            services.voucher_batch_create(
                provider=f"Shop {n}",
                value="10",
                received_on=timezone.localdate(),
                codes=[f"S{n}-A", f"S{n}-B"],
                by=finance,
            )
            BenefitRuleFactory(partners=[partner])

    return grow


@pytest.mark.parametrize(
    ("url", "most"),
    [
        (reverse("reciprocity:claim_list"), 14),
        (reverse("reciprocity:claim_list") + "?status=paid&kind=fee", 14),
        (reverse("reciprocity:claim_list") + "?partner_name=partner&sort=-total", 14),
        (reverse("reciprocity:claim_list") + "?export=csv&sort=partner", 12),
        (reverse("reciprocity:claim_list") + "?export=xlsx", 12),
        (reverse("reciprocity:finance"), 16),
        (reverse("reciprocity:funding_list"), 12),
        (reverse("reciprocity:recognition_list"), 12),
        (reverse("reciprocity:rate_list"), 12),
        (reverse("reciprocity:voucher_list"), 12),
        (reverse("reciprocity:benefit_rule_list"), 12),
    ],
)
def test_staff_lists_run_the_same_queries_however_much_data(as_finance, partner, finance, source, url, most):
    make_claim(partner)
    paid_claim(partner, finance, source)
    RecognitionFactory(partner=partner, given_by=finance)
    services.voucher_batch_create(
        provider="Love2shop", value="10", received_on=timezone.localdate(), codes=["L-1"], by=finance
    )
    BenefitRuleFactory(partners=[partner])
    assert_queries_bounded(as_finance, url, _grow_claims(partner, finance, source), most=most)


def test_a_claim_page_runs_the_same_queries_however_many_lines_and_changes(as_finance, partner, finance):
    BenefitRuleFactory(partners=[partner])
    claim = make_claim(partner, submit=False, travel=Decimal("1.00"))

    def grow():
        for n in range(10):
            services.claim_item_add(
                claim=claim, kind="other", amount="1.00", description=f"Item {n}", by=finance
            )

    assert_queries_bounded(as_finance, reverse("reciprocity:claim_detail", args=[claim.pk]), grow, most=25)


def test_the_partner_page_section_runs_the_same_queries_however_many_claims(
    as_finance, partner, finance, source
):
    make_claim(partner)
    url = reverse("participants:partner_detail", args=[partner.pk])

    def grow():
        for _ in range(10):
            paid_claim(partner, finance, source)

    before_page = as_finance.get(url)  # warm-up: anything the page makes on first view
    assert before_page.status_code == 200
    # The page also shows the reminders-and-notices log and every consent topic.
    assert_queries_bounded(as_finance, url, grow, most=22)


# --- More forms: bad input refused with a clear message, nothing saved ---


@pytest.mark.parametrize(("url", "data", "message", "model"), [
    pytest.param("reciprocity:benefit_rule_create",
                 {"name": "Weekly", "period": "week", "limit": "", "counts_fees": "on"},
                 "Enter the amount.", BenefitRule, id="a benefit rule without a limit"),
    pytest.param("reciprocity:voucher_batch_create",
                 {"provider": "Love2shop", "value": "10", "received_on": "2026-01-05", "codes": "A1\nB2\nA1"},
                 "pasted twice: A1", VoucherBatch, id="a voucher batch with a code pasted twice"),
])
def test_a_finance_form_with_bad_input_is_refused_and_saves_nothing(as_finance, url, data, message, model):
    response = as_finance.post(reverse(url), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not model.objects.exists()


def test_choosing_no_partner_for_a_claim_asks_again(as_finance):
    response = as_finance.get(reverse("reciprocity:claim_create"), {"partner": ""})
    assert response.status_code == 200
    assert "name, preferred name or e-mail address." in response.content.decode()
