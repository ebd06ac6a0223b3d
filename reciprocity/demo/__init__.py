"""Demo claims and payments (see coprod/demo/): a year of claims by the demo
partners, paid from two funding sources (a launch grant, then sustained council
funding), a batch of vouchers, benefit rules with one partner close to a limit,
claims waiting at every step, and thank-yous.

Every claim goes through the real services, so totals, rates and the audit trail
are what staff would have produced; partners are not e-mailed about the history.
Idempotent: funding, rules, vouchers and thank-yous are keyed on their names, and
the year of claims is written only when none of the demo partners has a claim.
"""

from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from coprod.registry import demo_steps
from participants.models import Partner
from reciprocity import benefits
from reciprocity import notices
from reciprocity import services
from reciprocity.defaults import install_defaults
from reciprocity.demo import benchmark
from reciprocity.models import ActivityType
from reciprocity.models import BenefitRule
from reciprocity.models import Claim
from reciprocity.models import FundingSource
from reciprocity.models import Payment
from reciprocity.models import Rate
from reciprocity.models import ReciprocitySettings
from reciprocity.models import Recognition
from reciprocity.models import Voucher
from reciprocity.models import VoucherBatch

FINANCE_STAFF = {
    "staff@example.org": ["approve_claim", "pay_claim"],
    "p.lindqvist@example.org": ["approve_claim"],
}

HOURLY, HALF_DAY, RECRUITMENT = "Involvement (per hour)", "Half day", "Recruitment panel"

# what, fee type, hours, travel, food
ACTIVITIES = [
    ("Housing challenge panel: monthly meeting", HOURLY, Decimal("2"), Decimal("4.60"), None),
    ("Reading papers for the advisory panel", HOURLY, Decimal("1.5"), None, None),
    ("Co-design workshop: the new housing leaflet", HALF_DAY, None, Decimal("6.20"), Decimal("5.50")),
    ("Recruitment panel: housing adviser interviews", RECRUITMENT, None, Decimal("4.60"), None),
    ("Welfare benefits forum", HOURLY, Decimal("2"), None, None),
]

# Partners who claim through the year (the demo's active and paused partners).
CLAIMANTS = [
    "Sarah Thompson",
    "Kwame Asante",
    "Grace Adeyemi",
    "Jamie Wright",
    "Ewa Kowalczyk",
    "Winston Clarke",
    "Leila Nasser",
    "Connor Evans",
    "David Okoro",
    "Stuart McLeod",
    "Hassan Ali",
    "Lauren Green",
    "Derek Hall",
    "Margaret Byrne",
]
PAUSED_FROM_MONTHS_AGO = {"Derek Hall": 4, "Margaret Byrne": 3}
NEAR_LIMIT = "Kwame Asante"

RECOGNITIONS = [
    (
        "Sarah Thompson",
        "achievement",
        "Chaired the housing challenge panel for a year",
        "Your calm chairing made space for everyone. Thank you.",
        "I have learned I can lead a room.",
    ),
    (
        "Kwame Asante",
        "thank_you",
        "Rewrote the benefits appeal letter in plain words",
        "Clients now understand what to do next.",
        "",
    ),
    (
        "Grace Adeyemi",
        "thank_you",
        "Tested the new online forms with her son",
        "Your notes fixed three questions nobody could answer.",
        "It felt good to be asked.",
    ),
    ("Hassan Ali", "achievement", "Completed recruitment panel training and sat on two panels", "", ""),
    ("Jamie Wright", "thank_you", "Spoke at the trustees' away day", "The board still talks about it.", ""),
]


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 30)))


def _staff():
    User = get_user_model()
    for email, codenames in FINANCE_STAFF.items():
        user = User.objects.filter(email=email).first()
        if user is not None:
            user.user_permissions.add(
                *Permission.objects.filter(content_type__app_label="reciprocity", codename__in=codenames)
            )
    return User.objects.get(email="staff@example.org")


# The demo's funding: funder, grant, kind, budget, days from today it starts and ends, notes.
FUNDING = [
    ("National Lottery Community Fund", "Voices in Riverside: launch grant", "launch", "5000.00", -420, -150,
     "Set up the partner payments scheme and the first panels."),
    ("Riverside City Council", "Co-production budget", "sustained", "3000.00", -149, 215,
     "Core budget for paying partners, renewed each year."),
]


def _funding(today) -> tuple[FundingSource, FundingSource]:
    launch, sustained = (
        FundingSource.objects.get_or_create(funder=funder, grant=grant, defaults={
            "kind": kind, "amount": Decimal(amount), "starts_on": today + timedelta(days=starts),
            "ends_on": today + timedelta(days=ends), "notes": notes,
        })[0]
        for funder, grant, kind, amount, starts, ends, notes in FUNDING
    )
    return launch, sustained


def _rules() -> tuple[BenefitRule, BenefitRule]:
    weekly, _ = BenefitRule.objects.get_or_create(
        name="Weekly earnings limit (example figure)",
        defaults={
            "period": "week",
            "limit": Decimal("195.00"),
            "notes": "Demo figure only: check the current limit with independent advice before "
            "relying on it.",
        },
    )
    monthly, _ = BenefitRule.objects.get_or_create(
        name="Monthly limit agreed with work coach (example)",
        defaults={
            "period": "month",
            "limit": Decimal("150.00"),
            "notes": "An individual arrangement, recorded at the partner's request.",
        },
    )
    return weekly, monthly


def _vouchers(today, by) -> VoucherBatch:
    batch, created = VoucherBatch.objects.get_or_create(
        provider="Love2shop",
        value=Decimal("10.00"),
        reference="L2S-ORDER-2041",
        defaults={"received_on": today - timedelta(days=330), "added_by": by},
    )
    if created:
        Voucher.objects.bulk_create([Voucher(batch=batch, code=f"L2S-DEMO-{n:04d}") for n in range(1, 61)])
    return batch


def _claim(partner, by, activity, day) -> Claim:
    what, fee_type, hours, travel, food = activity
    costs = []
    if travel:
        costs.append({"kind": "travel", "amount": travel, "description": "Bus there and back"})
    if food:
        costs.append({"kind": "subsistence", "amount": food, "description": "Lunch"})
    if partner.full_name == "Grace Adeyemi" and fee_type == HALF_DAY:
        costs.append({"kind": "care", "amount": Decimal("24.00"), "description": "Sitter for my son"})
    voucher = partner.payment_preference == Partner.PaymentPreference.VOUCHER
    if voucher:  # vouchers come in £10s: an hourly fee of whole hours, no costs
        fee_type, hours, costs = HOURLY, Decimal("2"), []
    return services.claim_create(
        partner=partner,
        by=by,
        activity=what,
        activity_date=day,
        hours=hours,
        costs=costs,
        activity_type=ActivityType.objects.get(name=fee_type),
        submit=True,
    )


def _backdate(claim: Claim, sent) -> None:
    Claim.objects.filter(pk=claim.pk).update(
        created_at=_at(sent) - timedelta(hours=2), submitted_at=_at(sent)
    )
    claim.refresh_from_db()


KEEP_IN_STOCK = 8  # so staff trying the demo can still pay in vouchers


def _method(claim: Claim) -> str:
    """The partner's preference; vouchers only while the stock lasts (then a bank transfer)."""
    preference = claim.partner.payment_preference
    if preference == Partner.PaymentPreference.VOUCHER:
        needed = int(claim.payable // Decimal("10"))
        if claim.payable % 10 == 0 and Voucher.objects.in_stock().count() >= needed + KEEP_IN_STOCK:
            return Payment.Method.VOUCHER
        return Payment.Method.BANK_TRANSFER
    return preference if preference in Payment.Method.values else Payment.Method.BANK_TRANSFER


def _pay(claim: Claim, by, sources, paid_on) -> None:
    services.claim_approve(claim=claim, by=by, over_limit_agreed=True)
    claim.refresh_from_db()
    source = next(s for s in sources if s.starts_on <= paid_on <= s.ends_on)
    method = _method(claim)
    services.claim_pay(
        claim=claim,
        by=by,
        method=method,
        paid_on=paid_on,
        funding_source=source,
        reference="" if method == Payment.Method.VOUCHER else f"RCLC-{claim.pk:05d}",
        vouchers="Love2shop|10.00" if method == Payment.Method.VOUCHER else "",
    )
    Claim.objects.filter(pk=claim.pk).update(decided_at=_at(paid_on - timedelta(days=1)))
    Payment.objects.filter(claim=claim).update(recorded_at=_at(paid_on))


def _year_of_claims(partners: dict, by, sources, today) -> None:
    for index, name in enumerate(CLAIMANTS):
        partner = partners.get(name)
        if partner is None:
            continue
        stop = PAUSED_FROM_MONTHS_AGO.get(name, 0)
        for months_ago in range(12, stop, -1):
            if (index + months_ago) % 3 == 0:
                continue  # nobody comes every month
            day = today - timedelta(days=30 * months_ago - index % 7)
            claim = _claim(partner, by, ACTIVITIES[(index + months_ago) % len(ACTIVITIES)], day)
            _backdate(claim, day + timedelta(days=1))
            if partner.payment_preference == Partner.PaymentPreference.DECLINES:
                services.claim_decline_payment(claim=claim, by=by)
                continue
            _pay(claim, by, sources, day + timedelta(days=4 + (index * 3 + months_ago) % 12))


def _this_month(partners: dict, by, sources, today) -> None:
    """Claims at every step now, and one partner close to a benefit limit."""
    kwame = partners.get(NEAR_LIMIT)
    if kwame is not None:
        # Fees paid this month up to about £100, then a half-day claim (£75) waiting for approval:
        # approving it would take him past his £150 monthly limit. Early in a month the sessions
        # were held last month and paid on the 1st, so the figures hold whatever day it is.
        month_start, _ = benefits.month_bounds(today)
        paid = Payment.objects.filter(claim__partner=kwame, paid_on__gte=month_start).totals()["fees"]
        day = today - timedelta(days=2)
        while paid + 40 <= 115:
            claim = _claim(kwame, by, ACTIVITIES[4], day)
            _backdate(claim, day)
            _pay(claim, by, sources, max(day, month_start))
            paid += 40
            day -= timedelta(days=5)
        waiting = _claim(kwame, by, ACTIVITIES[2], today - timedelta(days=1))
        _backdate(waiting, today)
    steps = [
        ("Sarah Thompson", ACTIVITIES[0], 6, "approve"),
        ("Sarah Thompson", ACTIVITIES[1], 1, "draft"),
        ("Jamie Wright", ACTIVITIES[2], 21, "wait"),  # sent three weeks ago: waiting too long
        ("Connor Evans", ACTIVITIES[3], 9, "reject"),
        ("Leila Nasser", ACTIVITIES[4], 5, "decline"),
        ("Hassan Ali", ACTIVITIES[3], 3, "wait"),
        ("Winston Clarke", ACTIVITIES[0], 4, "approve"),
        ("David Okoro", ACTIVITIES[1], 2, "wait"),
        ("Jamie Wright", ACTIVITIES[0], 8, "return"),
    ]
    for name, activity, days_ago, step in steps:
        partner = partners.get(name)
        if partner is None:
            continue
        day = today - timedelta(days=days_ago)
        if step == "draft":
            services.claim_create(
                partner=partner,
                by=partner.user or by,
                activity=activity[0],
                activity_date=day,
                activity_type=ActivityType.objects.get(name=activity[1]),
                hours=activity[2],
                costs=[{"kind": "travel", "amount": Decimal("3.20"), "description": "Bus"}],
            )
            continue
        claim = _claim(partner, by, activity, day)
        _backdate(claim, day + timedelta(days=1) if days_ago > 1 else day)
        if step == "approve":
            services.claim_approve(claim=claim, by=by)
        elif step == "reject":
            services.claim_reject(
                claim=claim,
                by=by,
                reason="The interview panel was paid as one session on "
                "the day; this is the same session. Ask us if unsure.",
            )
        elif step == "decline":
            services.claim_decline_payment(claim=claim, by=partner.user or by)
        elif step == "return":
            services.claim_return(claim=claim, by=by, reason="Please add a photo of the bus ticket, "
                                  "then send it again.")


@transaction.atomic
def seed() -> None:
    install_defaults(ActivityType, Rate, ReciprocitySettings)
    today = timezone.localdate()
    by = _staff()
    sources = _funding(today)
    weekly, monthly = _rules()
    _vouchers(today, by)
    partners = {
        p.full_name: p for p in Partner.objects.filter(full_name__in=CLAIMANTS).select_related("user")
    }
    flagged = [p for p in Partner.objects.filter(benefit_check=True, erased_at__isnull=True)]
    weekly.partners.add(*flagged)
    if NEAR_LIMIT in partners and partners[NEAR_LIMIT].benefit_check:
        monthly.partners.add(partners[NEAR_LIMIT])
    for name, kind, title, message, words in RECOGNITIONS:
        if name in partners:
            Recognition.objects.get_or_create(
                partner=partners[name],
                title=title,
                defaults={
                    "kind": kind,
                    "message": message,
                    "partner_words": words,
                    "given_by": by,
                    "given_on": today - timedelta(days=20 + len(title)),
                },
            )
    if Claim.objects.filter(partner__in=partners.values()).exists():
        return
    with notices.notifications_paused():
        _year_of_claims(partners, by, sources, today)
        _this_month(partners, by, sources, today)


def register() -> None:
    """Reciprocity's demo step (called from `ReciprocityConfig.ready()`)."""
    benchmark.register()
    demo_steps.register("reciprocity.claims", seed, order=60)
