"""Paying partners back fairly: rates, claims, payments, vouchers, benefit-aware
totals, funding and recognition. Money is Decimal pounds and pence.

A claim moves draft → submitted → approved → paid, or ends rejected or
withdrawn; every step is a service in `reciprocity/services.py`. A claim is
paid at most once: `Payment.claim` is unique and the pay service locks the claim.
"""

import uuid
from datetime import datetime
from datetime import time
from datetime import timedelta
from decimal import ROUND_HALF_UP
from decimal import Decimal

from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case
from django.db.models import Count
from django.db.models import DecimalField
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Sum
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Coalesce
from django.db.models.functions import Greatest
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod import bounds
from coprod.keeping import KeptRecord
from coprod.models import NamedModel
from coprod.models import by_user
from coprod.money import pounds  # noqa: F401  (money is shown one way: coprod.money)
from coprod.roles import is_staff_member
from coprod.roles import partner_for
from coprod.welsh import welsh_column
from panels.models import Attendance
from panels.models import Meeting

PENCE = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest single amount anyone may claim or pay: a sanity limit, not a policy.
MONEY_MAX = Decimal("5000.00")
MONEY = DecimalField(max_digits=9, decimal_places=2)


def money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs)


def sum_money(expression, **kwargs) -> Coalesce:
    """Sum of a money expression, £0.00 when there is nothing to add up."""
    return Coalesce(Sum(expression, **kwargs), Value(ZERO), output_field=MONEY)


class ReciprocitySettings(models.Model):
    """Organisation-wide settings for claims and payments (a single row)."""

    claims_waiting_days = models.PositiveSmallIntegerField(
        "claims waiting too long after (days)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A submitted claim not paid after this many days is listed on the finance page."),
    )
    voucher_low_stock = models.PositiveSmallIntegerField(
        "voucher low-stock warning (codes)",
        default=10,
        validators=[MinValueValidator(0), MaxValueValidator(10000)],
        help_text=_("Warn when fewer unissued codes than this are left for a voucher provider and value."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "reciprocity settings"
        verbose_name_plural = "reciprocity settings"

    def __str__(self) -> str:
        return "Claims and payments settings"

    @classmethod
    def current(cls) -> "ReciprocitySettings":
        current, _ = cls.objects.get_or_create(pk=1)
        return current


class ActivityTypeQuerySet(models.QuerySet):
    def active(self) -> "ActivityTypeQuerySet":
        return self.filter(is_active=True)


class ActivityType(NamedModel):
    """What a fee is paid for: an hour of involvement, a half day, a recruitment panel..."""

    name = models.CharField(max_length=100, unique=True)
    name_cy = welsh_column(max_length=100)
    description = models.CharField(max_length=250, blank=True)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Types no longer in use are not offered on new claims.")
    )

    objects = ActivityTypeQuerySet.as_manager()
    WELSH_FIELDS = ("name",)
    history = HistoricalRecords()


class RateQuerySet(models.QuerySet):
    def in_force(self, on) -> "RateQuerySet":
        return self.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )

    def for_list(self) -> "RateQuerySet":
        return self.select_related("activity_type")


class Rate(models.Model):
    """The rate for an activity type between two dates: per hour, or per session."""

    class Basis(models.TextChoices):
        HOURLY = "hourly", _("Per hour")
        SESSION = "session", _("Per session")

    activity_type = models.ForeignKey(ActivityType, on_delete=models.PROTECT, related_name="rates")
    basis = models.CharField(max_length=8, choices=Basis.choices)
    amount = money()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text=_("Leave empty while it is in force."))
    created_by = by_user(blank=True)

    objects = RateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity_type", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="rate_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="rate_is_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_type}: {pounds(self.amount)} {self.get_basis_display().lower()}"

    def fee_for(self, hours: Decimal | None) -> Decimal:
        """The fee this rate gives: hours × rate (to the penny, halves up), or the session fee."""
        if self.basis == self.Basis.SESSION:
            return self.amount
        return (Decimal(hours or 0) * self.amount).quantize(PENCE, rounding=ROUND_HALF_UP)


class FundingSourceQuerySet(models.QuerySet):
    def with_spend(self) -> "FundingSourceQuerySet":
        """Annotate `spent`: every payment charged to the source."""
        return self.annotate(spent=sum_money("payments__amount"))

    def current(self, on=None) -> "FundingSourceQuerySet":
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class FundingSource(models.Model):
    """A grant or budget that partner payments are charged to."""

    class Kind(models.TextChoices):
        LAUNCH = "launch", _("Launch funding")
        SUSTAINED = "sustained", _("Sustained funding")

    WARN_AT = Decimal("80")  # per cent of the budget

    funder = models.CharField(max_length=150)
    grant = models.CharField(max_length=150, help_text=_("The grant or budget line."))
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        help_text=_("Launch funding gets things started; sustained funding keeps them going."),
    )
    amount = money(help_text=_("The budget for partner payments from this source, in pounds."))
    starts_on = models.DateField()
    ends_on = models.DateField()
    notes = models.TextField(blank=True)

    objects = FundingSourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "funder"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="funding_ends_after_it_starts"
            ),
            models.UniqueConstraint(fields=["funder", "grant"], name="one_source_per_funder_and_grant"),
        ]

    def __str__(self) -> str:
        return f"{self.funder}: {self.grant}"

    @property
    def used_percent(self) -> Decimal:
        """Share of the budget spent (needs the `spent` annotation)."""
        if not self.amount:
            return Decimal("100") if self.spent else ZERO
        return (self.spent * 100 / self.amount).quantize(Decimal("0.1"))

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.spent

    @property
    def budget_state(self) -> str:
        """ "over" at 100% or more, "warning" from 80%, else "ok" (needs `spent`)."""
        percent = self.used_percent
        if percent >= 100:
            return "over"
        if percent >= self.WARN_AT:
            return "warning"
        return "ok"


class BenefitRuleQuerySet(models.QuerySet):
    def active(self) -> "BenefitRuleQuerySet":
        return self.filter(is_active=True)

    def with_partner_count(self) -> "BenefitRuleQuerySet":
        return self.annotate(partner_count=Count("partners", distinct=True))


class BenefitRule(NamedModel):
    """A benefit earnings limit to check payments against. Not advice: staff and
    partners should check with independent benefits advice."""

    class Period(models.TextChoices):
        WEEK = "week", _("Week (Monday to Sunday)")
        MONTH = "month", _("Calendar month")
        TAX_YEAR = "tax_year", _("Tax year (from 6 April)")

    name = models.CharField(max_length=150, unique=True)
    period = models.CharField(max_length=10, choices=Period.choices)
    limit = money(help_text=_("The most that may count as income in one period, in pounds."))
    counts_fees = models.BooleanField(default=True, help_text=_("Fees paid in money count as income."))
    counts_vouchers = models.BooleanField(default=True, help_text=_("Fees paid in vouchers count as income."))
    notes = models.TextField(
        blank=True, help_text=_("Where the figure comes from and when it was last checked.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    partners = models.ManyToManyField(
        "participants.Partner",
        blank=True,
        related_name="benefit_rules",
        help_text=_("Partners whose payments are checked against this rule."),
    )

    objects = BenefitRuleQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta(NamedModel.Meta):
        constraints = [models.CheckConstraint(condition=Q(limit__gt=0), name="benefit_limit_is_positive")]

    @property
    def counted_methods(self) -> list[str]:
        """Payment methods whose fee part counts as income under this rule. Money paid
        to a charity on the partner's behalf never reaches them, so it never counts."""
        methods = []
        if self.counts_fees:
            methods += [Payment.Method.BANK_TRANSFER, Payment.Method.CASH]
        if self.counts_vouchers:
            methods.append(Payment.Method.VOUCHER)
        return methods


class ClaimQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ClaimQuerySet":
        """The claims this person may see: staff every claim, a partner only their own,
        anyone else none. The one rule for claim pages, lists, exports and receipts."""
        if is_staff_member(user):
            return self
        partner = partner_for(user)
        return self.filter(partner=partner) if partner is not None else self.none()

    def for_list(self) -> "ClaimQuerySet":
        return self.select_related("partner", "meeting", "activity_type", "payment")

    def of_partner(self, partner) -> "ClaimQuerySet":
        return self.filter(partner=partner)

    def open(self) -> "ClaimQuerySet":
        """Sent and not yet paid, rejected or withdrawn."""
        return self.filter(status__in=[Claim.Status.SUBMITTED, Claim.Status.APPROVED])

    def live(self) -> "ClaimQuerySet":
        """Everything not rejected or withdrawn."""
        return self.exclude(status__in=[Claim.Status.REJECTED, Claim.Status.WITHDRAWN])

    def waiting_longer_than(self, days: int, now=None) -> "ClaimQuerySet":
        now = now or timezone.now()
        return self.open().filter(submitted_at__lt=now - timedelta(days=days))

    def with_payable(self) -> "ClaimQuerySet":
        """Annotate `payable_amount` (what would be paid: the approved amount, or the
        total, or less if the partner asked for less) and `payable_fee` (its income part:
        expenses are paid back first)."""
        base = Coalesce(F("approved_amount"), F("total"), output_field=MONEY)
        payable = Case(
            When(requested_amount__isnull=False, then=Least(base, F("requested_amount"), output_field=MONEY)),
            default=base,
            output_field=MONEY,
        )
        return self.annotate(payable_amount=payable).annotate(
            payable_fee=Greatest(F("payable_amount") - F("expenses_total"), Value(ZERO), output_field=MONEY),
        )


def claimable_meetings(partner, *, claim: "Claim | None" = None) -> "models.QuerySet[Meeting]":
    """The meetings a partner may still claim for: held within the claimable window
    (`coprod.bounds.CLAIM_ACTIVITY`), attended by them according to the register, and with
    no live claim of theirs yet (other than `claim`, when its meeting is being changed). The
    one rule: the claim form offers these and `services.claim_create` (and `claim_change`)
    refuses any other meeting."""
    since, _ = bounds.CLAIM_ACTIVITY.limits()
    attended = Attendance.objects.filter(meeting=OuterRef("pk"), partner=partner,
                                         status=Attendance.Status.ATTENDED)
    claimed = Claim.objects.live().filter(meeting=OuterRef("pk"), partner=partner)
    if claim is not None:
        claimed = claimed.exclude(pk=claim.pk)
    return (
        Meeting.objects.filter(starts_at__gte=bounds.start_of(since), starts_at__lte=timezone.now())
        .filter(Exists(attended))
        .exclude(Exists(claimed))
        .select_related("panel")
        .order_by("-starts_at")
    )


def attendance_at(partner, meeting) -> Attendance | None:
    """The register's record of the partner attending the meeting, if it shows they did."""
    return Attendance.objects.filter(
        meeting=meeting, partner=partner, status=Attendance.Status.ATTENDED
    ).first()


def why_not_claimable(partner, meeting) -> str:
    """In plain words, why `claimable_meetings` leaves this meeting out for this partner."""
    if attendance_at(partner, meeting) is None:
        return gettext("You can only claim for a meeting the register shows you attended.")
    if meeting.starts_at > timezone.now():
        return gettext("You can only claim for a meeting once it has taken place.")
    held_on = timezone.localdate(meeting.starts_at)
    if bounds.CLAIM_ACTIVITY.message(held_on):
        earliest, _latest = bounds.CLAIM_ACTIVITY.limits()
        return gettext("This meeting was on %(held_on)s: you can claim for meetings in the last 12 months "
                       "(from %(earliest)s).") % {"held_on": date_format(held_on, "j F Y"),
                                                  "earliest": date_format(earliest, "j F Y")}
    if Claim.objects.live().filter(partner=partner, meeting=meeting).exists():
        return gettext("There is already a claim for this meeting. Add costs to that claim instead.")
    return gettext("This meeting cannot be claimed for.")


class Claim(KeptRecord):
    """Money a partner claims back for one activity: an involvement fee and costs.

    A paid claim is a financial record and is never deleted (coprod/keeping.py)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to put right")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # What the partner reads about their own claim.
    PLAIN_STATUS = {
        Status.DRAFT: _("Not sent yet"),
        Status.SUBMITTED: _("Sent to us: waiting for a decision"),
        Status.RETURNED: _("Sent back to you: please change it and send it again"),
        Status.APPROVED: _("Agreed: waiting to be paid"),
        Status.PAID: _("Paid"),
        Status.REJECTED: _("Not agreed"),
        Status.WITHDRAWN: _("Cancelled"),
    }

    partner = models.ForeignKey("participants.Partner", on_delete=models.PROTECT, related_name="claims")
    # A claim's fee rests on the meeting's register: a meeting claimed for stays.
    meeting = models.ForeignKey(
        "panels.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    activity = models.CharField(_("what it was for"), max_length=200)
    activity_date = models.DateField(_("date of the activity"))
    activity_type = models.ForeignKey(
        ActivityType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text=_("The fee claimed, if any."),
    )
    hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("24"))],
    )
    rate = models.ForeignKey(
        Rate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text=_("The rate in force on the activity date, used for the fee."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = money(default=ZERO)
    fee_total = money(default=ZERO)
    expenses_total = money(default=ZERO)
    requested_amount = money(null=True, blank=True,
                             help_text=_("The partner asked to be paid only this much."))
    requested_at = models.DateTimeField(null=True, blank=True)
    approved_amount = money(null=True, blank=True)
    over_limit_agreed = models.BooleanField(
        default=False,
        help_text=_("Approved knowing it takes the partner past a benefit limit, after talking with them."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = by_user()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = by_user(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, help_text=_("When it was approved or rejected."))
    decided_by = by_user(blank=True)
    rejection_reason = models.TextField(blank=True)
    returned_at = models.DateTimeField(null=True, blank=True, help_text=_("When staff sent it back."))
    returned_by = by_user(blank=True)
    return_reason = models.TextField(blank=True, help_text=_("What staff asked the partner to change."))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = by_user(blank=True)
    declined_payment = models.BooleanField(default=False, help_text=_("The partner chose not to be paid."))

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="claim_newest_first"),
            models.Index(fields=["status", "-created_at", "-id"], name="claim_by_status_newest_first"),
        ]
        permissions = [
            ("approve_claim", "Can approve or reject claims"),
            ("pay_claim", "Can record that a claim has been paid"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "meeting"],
                condition=Q(meeting__isnull=False) & ~Q(status__in=["rejected", "withdrawn"]),
                name="one_live_claim_per_partner_and_meeting",
            ),
            models.CheckConstraint(
                condition=Q(total=F("fee_total") + F("expenses_total")),
                name="claim_total_is_fee_plus_expenses",
            ),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__lte=F("total")),
                name="claim_approved_no_more_than_claimed",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="claim_rejection_has_a_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""), name="claim_return_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk}: {self.activity} ({self.activity_date:%d %b %Y})"

    @property
    def plain_status(self) -> str:
        if self.status == self.Status.WITHDRAWN and self.declined_payment:
            return gettext("You chose not to be paid")
        return self.PLAIN_STATUS[self.status]

    @property
    def payable(self) -> Decimal:
        """What would be paid: approved amount (or the total), never more than the partner asked for."""
        amount = self.approved_amount if self.approved_amount is not None else self.total
        if self.requested_amount is not None:
            amount = min(amount, self.requested_amount)
        return amount

    def split(self, amount: Decimal) -> tuple[Decimal, Decimal]:
        """(fee, expenses) of a payment of `amount`: costs are paid back first, so paying
        less reduces the fee (the part that may count as income)."""
        expenses = min(amount, self.expenses_total)
        return amount - expenses, expenses

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.APPROVED}

    @property
    def can_change(self) -> bool:
        """Not sent yet, or sent back by staff: the partner (or staff for them) may change it."""
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    def kept_because(self) -> str:
        if self.status == self.Status.PAID:
            return gettext("Claim %(number)s was paid: a paid claim is a financial record and is never "
                           "deleted. Correct it in the accounts instead.") % {"number": self.pk}
        return ""


def _receipt_upload_to(item: "ClaimItem", filename: str) -> str:
    # The stored name is random: nothing the uploader typed reaches the file system.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"receipts/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class ClaimItemQuerySet(models.QuerySet):
    def receipts_due_for_removal(self, *, ended_before) -> "ClaimItemQuerySet":
        """Lines whose receipt file the retention rule removes: the claim was paid before
        `ended_before` (a date), or rejected or withdrawn before it. Claims still in
        progress keep their receipts. Oldest first, so runs in batches are stable."""
        start = timezone.make_aware(datetime.combine(ended_before, time.min))
        ended = (
            Q(claim__status=Claim.Status.PAID, claim__payment__paid_on__lt=ended_before)
            | Q(claim__status=Claim.Status.REJECTED, claim__decided_at__lt=start)
            | Q(claim__status=Claim.Status.WITHDRAWN, claim__withdrawn_at__lt=start)
        )
        return self.exclude(receipt="").filter(ended).order_by("claim_id", "pk")

    def receipts_visible_to(self, user, *, finance: bool) -> "ClaimItemQuerySet":
        """Lines with a receipt file `user` may open: any for finance staff (`finance`),
        otherwise only those of their own claims."""
        items = self.exclude(receipt="")
        if finance:
            return items
        partner = partner_for(user)
        return items.filter(claim__partner=partner) if partner is not None else items.none()


class ClaimItem(KeptRecord):
    """One line of a claim: the fee, or one cost with its receipt. The lines of a paid
    claim are kept with it; its receipt file goes after the retention period
    (`receipt_removed_at` says when)."""

    class Kind(models.TextChoices):
        FEE = "fee", _("Involvement fee")
        TRAVEL = "travel", _("Travel")
        SUBSISTENCE = "subsistence", _("Food and drink")
        CARE = "care", _("Childcare or carer costs")
        OTHER = "other", _("Other costs")

    EXPENSE_KINDS = [Kind.TRAVEL, Kind.SUBSISTENCE, Kind.CARE, Kind.OTHER]

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = money()
    receipt = models.FileField(upload_to=_receipt_upload_to, blank=True)
    receipt_name = models.CharField(
        max_length=120, blank=True, help_text=_("The file's name as uploaded, made safe.")
    )
    receipt_type = models.CharField(max_length=40, blank=True)
    receipt_removed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the receipt file was removed under the retention rule.")
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = by_user()

    objects = ClaimItemQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_item_is_positive"),
            models.UniqueConstraint(fields=["claim"], condition=Q(kind="fee"), name="one_fee_per_claim"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {pounds(self.amount)}"

    @property
    def is_income(self) -> bool:
        return self.kind == self.Kind.FEE

    def kept_because(self) -> str:
        if self.claim.status == Claim.Status.PAID:
            return gettext("This line belongs to claim %(number)s, which was paid: the lines of a paid claim "
                           "are financial records and are never deleted.") % {"number": self.claim_id}
        return ""


class PaymentQuerySet(models.QuerySet):
    def for_list(self) -> "PaymentQuerySet":
        return self.select_related("claim__partner", "funding_source", "recorded_by")

    def between(self, start, end) -> "PaymentQuerySet":
        return self.filter(paid_on__gte=start, paid_on__lte=end)

    def totals(self) -> dict:
        """`amount`, `fees`, `expenses` and `count` of these payments, in one query."""
        return self.aggregate(
            amount=sum_money("amount"),
            fees=sum_money("fee_amount"),
            expenses=sum_money("expenses_amount"),
            count=Count("pk"),
        )


class Payment(KeptRecord):
    """How and when a claim was paid. One per claim, ever (the unique claim is the
    database's guarantee against paying twice). Never deleted: it is a financial record."""

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        VOUCHER = "voucher", _("Voucher")
        CASH = "cash", _("Cash")
        CHARITY = "charity", _("Paid to a charity on their behalf")

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="payment")
    method = models.CharField(max_length=16, choices=Method.choices)
    reference = models.CharField(
        max_length=100, blank=True,
        help_text=_("The bank or finance system reference, or the receipt number."),
    )
    charity = models.CharField(_("charity paid"), max_length=150, blank=True)
    paid_on = models.DateField()
    amount = money()
    fee_amount = money(help_text=_("The part that is a fee (may count as income)."))
    expenses_amount = money(help_text=_("The part that pays back costs (never income)."))
    funding_source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="payments")
    days_to_pay = models.PositiveIntegerField(help_text=_("Days from the claim being sent to this payment."))
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = by_user()

    objects = PaymentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["-paid_on", "-id"], name="payment_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount=F("fee_amount") + F("expenses_amount")),
                name="payment_is_fee_plus_expenses",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_is_positive"),
            models.CheckConstraint(
                condition=~Q(method="charity") | ~Q(charity=""), name="charity_payment_names_the_charity"
            ),
        ]

    def __str__(self) -> str:
        return f"{pounds(self.amount)} to {self.claim.partner} on {self.paid_on:%d %b %Y}"

    def kept_because(self) -> str:
        return gettext("A payment is a financial record and is never deleted. A payment recorded in error is "
                       "corrected in the accounts; coprod keeps what was recorded.")


class VoucherBatchQuerySet(models.QuerySet):
    def with_stock(self) -> "VoucherBatchQuerySet":
        return self.annotate(
            codes=Count("vouchers"),
            in_stock=Count("vouchers", filter=Q(vouchers__payment__isnull=True)),
        )


class VoucherBatch(models.Model):
    """Vouchers bought from one provider at one value, with their codes."""

    provider = models.CharField(max_length=100, help_text=_("For example: Love2shop, Tesco, Argos."))
    value = money(help_text=_("The value of each voucher in the batch, in pounds."))
    received_on = models.DateField(default=timezone.localdate)
    reference = models.CharField(
        max_length=100, blank=True, help_text=_("The supplier's order or invoice number.")
    )
    added_by = by_user()
    added_at = models.DateTimeField(default=timezone.now)

    objects = VoucherBatchQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["provider", "value", "received_on", "pk"]
        verbose_name_plural = "voucher batches"
        constraints = [models.CheckConstraint(condition=Q(value__gt=0), name="voucher_value_is_positive")]

    def __str__(self) -> str:
        return f"{self.provider} {pounds(self.value)} (received {self.received_on:%d %b %Y})"


class VoucherQuerySet(models.QuerySet):
    def in_stock(self) -> "VoucherQuerySet":
        return self.filter(payment__isnull=True)

    def stock_levels(self):
        """Per provider and value: codes in stock and what they are worth, as dicts (one query)."""
        return (
            self.in_stock()
            .order_by()
            .values("batch__provider", "batch__value")
            .annotate(in_stock=Count("pk"), worth=sum_money("batch__value"))
            .order_by("batch__provider", "batch__value")
        )


class Voucher(KeptRecord):
    """One voucher code. Issued with a payment, and never again; an issued code is kept
    with its payment."""

    batch = models.ForeignKey(VoucherBatch, on_delete=models.PROTECT, related_name="vouchers")
    code = models.CharField(max_length=64)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )
    issued_at = models.DateTimeField(null=True, blank=True)

    objects = VoucherQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "code"], name="one_code_once_per_batch"),
            models.CheckConstraint(
                condition=Q(payment__isnull=True, issued_at__isnull=True)
                | Q(payment__isnull=False, issued_at__isnull=False),
                name="voucher_issued_with_a_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch.provider} {pounds(self.batch.value)} voucher"

    def kept_because(self) -> str:
        if self.payment_id is not None:
            return gettext("This voucher code was issued with a payment: it is part of a financial record "
                           "and is kept.")
        return ""


class RecognitionQuerySet(models.QuerySet):
    def for_list(self) -> "RecognitionQuerySet":
        return self.select_related("partner", "given_by")


class Recognition(models.Model):
    """A thank-you or an achievement, recorded so it can be seen and put on a certificate."""

    class Kind(models.TextChoices):
        THANK_YOU = "thank_you", _("Thank-you")
        ACHIEVEMENT = "achievement", _("Achievement")

    partner = models.ForeignKey("participants.Partner", on_delete=models.CASCADE, related_name="recognitions")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.THANK_YOU)
    title = models.CharField(max_length=150, help_text=_("For example: Chaired the housing challenge panel."))
    message = models.TextField(blank=True, help_text=_("What we want to say to them."))
    partner_words = models.TextField(
        _("in their own words"),
        blank=True,
        help_text=_("Something they said about it. Shown on their certificate only while they agree to "
                    "quotes."),
    )
    given_on = models.DateField(default=timezone.localdate)
    given_by = by_user()

    objects = RecognitionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return self.title
