"""Writes of the reciprocity app. Each is keyword-only, validates before saving,
names the person acting in the audit trail (django-simple-history), and runs in
one transaction. Views turn a ValidationError into a form error.

The claim workflow: draft → submitted → approved → paid, or rejected (with a
reason) or withdrawn; a submitted claim may be returned to the partner to put right
(with what to change), and they send it again. Each step locks the claim row first and checks its state,
so two requests at once cannot both move it (and a claim is never paid twice).
"""

from collections import Counter
from datetime import date
from datetime import timedelta
from decimal import Decimal
from decimal import InvalidOperation

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.db import transaction
from django.db.models import Q
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from coprod import bounds
from coprod.changes import model_create
from coprod.changes import model_delete
from coprod.changes import model_save
from coprod.changes import model_update
from coprod.money import pounds
from coprod.roles import is_staff_member

from . import notices
from .benefits import benefit_checks
from .models import MONEY_MAX
from .models import ZERO
from .models import ActivityType
from .models import BenefitRule
from .models import Claim
from .models import ClaimItem
from .models import FundingSource
from .models import Payment
from .models import Rate
from .models import ReciprocitySettings
from .models import Recognition
from .models import Voucher
from .models import VoucherBatch
from .models import attendance_at
from .models import claimable_meetings
from .models import why_not_claimable
from .notices import tell_partner as _notify
from .receipts import check_receipt
from .rules import APPROVE as APPROVE
from .rules import PAY as PAY
from .rules import can_approve
from .rules import can_claim_for
from .rules import can_pay
from .rules import check_own_or_staff
from .rules import is_own_claim
from .rules import require_reciprocity_staff

# --- Helpers -----------------------------------------------------------------------------


def clean_money(
    value, *, field: str = "amount", label: str = "", allow_zero: bool = False
) -> Decimal:
    """Pounds and pence: a number, not negative (nor zero unless allowed), at most two
    decimal places, no more than MONEY_MAX."""
    label = label or _("The amount")
    try:
        amount = Decimal(str(value).strip().lstrip("£").replace(",", ""))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("%(label)s must be in pounds and pence, for example 12.50.") % {
            "label": label}}) from None
    if amount < 0:
        raise ValidationError({field: _("%(label)s cannot be less than nothing.") % {"label": label}})
    if amount == 0 and not allow_zero:
        raise ValidationError({field: _("%(label)s must be more than £0.00.") % {"label": label}})
    if amount.as_tuple().exponent < -2:
        raise ValidationError({field: _("%(label)s can have at most two figures after the point (pence).") % {
            "label": label}})
    if amount > MONEY_MAX:
        raise ValidationError(
            {field: _("%(label)s cannot be more than %(most)s. Split it or talk to finance.") % {
                "label": label, "most": pounds(MONEY_MAX)}}
        )
    return amount.quantize(Decimal("0.01"))


def _text(value: str, *, field: str, label: str, model, required: bool = False) -> str:
    value = bounds.check_text(field, value, max_length=model._meta.get_field(field).max_length)
    if required and not value:
        raise ValidationError({field: _("Enter %(what)s.") % {"what": label}})
    return value


def _date(field: str, value: date | None, bound: bounds.DateBound, missing: str = "") -> None:
    """A date a service needs: given (else `missing`), and within `bound`."""
    if value is None:
        raise ValidationError({field: missing or _("Enter the date.")})
    bound.check(field, value)


def _refuse_clash(model, instance, field: str, message: str, **lookups) -> None:
    """Refuse with `message` beside `field` when a row of `model` other than `instance`
    matches `lookups` (a name already taken, say)."""
    if model.objects.filter(**lookups).exclude(pk=getattr(instance, "pk", None)).exists():
        raise ValidationError({field: message})


def _create_or_update(model, instance, values: dict, by, **on_create):
    """A new row of `model` with `values` (and `on_create`) when `instance` is None, else
    `instance` changed to `values`; either way recorded in the history as by `by`."""
    if instance is None:
        return model_create(model, by=by, **values, **on_create)
    model_update(instance=instance, data=values, by=by)
    return instance


def _locked(claim: Claim) -> Claim:
    """The claim re-read under a row lock, so its state cannot change under us."""
    return Claim.objects.select_for_update().select_related("partner").get(pk=claim.pk)


def _locked_own(claim: Claim, by, allowed: set, action: str) -> Claim:
    """The claim locked for its partner (or staff) to change, if it is in one of `allowed`."""
    claim = _locked(claim)
    check_own_or_staff(claim, by)
    _require_status(claim, allowed, action)
    return claim


def _locked_to_decide(claim: Claim, by, allowed: set, action: str, *, verb: str,
                      own: str = "") -> Claim:
    """The claim locked for finance staff to decide on (approve, reject, send back): `by` needs
    the approve permission, the claim must be in one of `allowed`, and it is not their own."""
    if not can_approve(by):
        raise PermissionDenied(_("You do not have permission to %(verb)s claims.") % {"verb": verb})
    claim = _locked(claim)
    _require_status(claim, allowed, action)
    if is_own_claim(claim, by):
        raise ValidationError(_("%(refusal)s: ask another member of the finance team.") % {
            "refusal": own or _("You cannot decide on your own claim")})
    return claim


def _reason_for_partner(reason: str, *, missing: str) -> str:
    """A decision's reason, which the partner reads: needed, and at most 2,000 characters."""
    reason = bounds.check_text("reason", reason)
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > 2000:
        raise ValidationError({"reason": _("Keep the reason to 2,000 characters or fewer.")})
    return reason


# Why a claim cannot take a step, by the step (`action`): each a whole sentence to translate.
REFUSALS = {
    "changed": gettext_lazy("This claim cannot be changed: it is %(status)s."),
    "sent": gettext_lazy("This claim cannot be sent: it is %(status)s."),
    "cancelled": gettext_lazy("This claim cannot be cancelled: it is %(status)s."),
    "declined": gettext_lazy("This claim cannot be declined: it is %(status)s."),
    "approved": gettext_lazy("This claim cannot be approved: it is %(status)s."),
    "rejected": gettext_lazy("This claim cannot be rejected: it is %(status)s."),
    "sent back": gettext_lazy("This claim cannot be sent back: it is %(status)s."),
    "paid": gettext_lazy("This claim cannot be paid: it is %(status)s."),
}


def _require_status(claim: Claim, allowed: set, action: str) -> None:
    if claim.status not in allowed:
        status = claim.get_status_display().lower()
        refusal = REFUSALS.get(action)
        if refusal is None:
            raise ValidationError(_("This claim cannot be %(action)s: it is %(status)s.") % {
                "action": action, "status": status})
        raise ValidationError(refusal % {"status": status})


# --- Settings ----------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, claims_waiting_days: int, voucher_low_stock: int, by) -> ReciprocitySettings:
    require_reciprocity_staff(by)
    current = ReciprocitySettings.objects.select_for_update().get(pk=ReciprocitySettings.current().pk)
    if not 1 <= int(claims_waiting_days) <= 365:
        raise ValidationError({"claims_waiting_days": _("Choose between 1 and 365 days.")})
    if not 0 <= int(voucher_low_stock) <= 10000:
        raise ValidationError({"voucher_low_stock": _("Choose between 0 and 10,000 codes.")})
    model_update(instance=current, data={"claims_waiting_days": int(claims_waiting_days),
                                         "voucher_low_stock": int(voucher_low_stock)}, by=by)
    return current


# --- Activity types and rates ------------------------------------------------------------


@transaction.atomic
def activity_type_save(
    *, activity_type: ActivityType | None = None, name: str, name_cy: str = "", description: str = "",
    is_active: bool = True, by
) -> ActivityType:
    require_reciprocity_staff(by)
    name = _text(name, field="name", label=_("a name"), model=ActivityType, required=True)
    name_cy = _text(name_cy, field="name_cy", label=_("a Welsh name"), model=ActivityType)
    description = _text(description, field="description", label=_("a description"), model=ActivityType)
    _refuse_clash(ActivityType, activity_type, "name",
                  _("There is already an activity type called “%(name)s”.") % {"name": name},
                  name__iexact=name)
    return _create_or_update(ActivityType, activity_type,
                             {"name": name, "name_cy": name_cy, "description": description,
                              "is_active": is_active}, by)


def _clean_rate(basis: str, amount, effective_from: date, effective_to: date | None) -> Decimal:
    """A rate's amount, checked with its basis and dates; answers the amount in pounds."""
    amount = clean_money(amount, label=_("The rate"))
    if basis not in Rate.Basis.values:
        raise ValidationError({"basis": _("Choose per hour or per session.")})
    _date("effective_from", effective_from, bounds.RATE_FROM, "Enter the date the rate is in force from.")
    bounds.RATE_TO.check("effective_to", effective_to)
    if effective_to is not None and effective_to < effective_from:
        raise ValidationError({"effective_to": _("The rate cannot end before it starts.")})
    return amount


def _refuse_overlap(activity_type: ActivityType, start: date, end: date | None, exclude: Rate | None,
                    hint: str = "") -> None:
    """Refuse dates that overlap another rate of the same activity type (`hint` says what to do)."""
    rates = Rate.objects.filter(activity_type=activity_type).exclude(pk=getattr(exclude, "pk", None))
    if end is not None:
        rates = rates.filter(effective_from__lte=end)
    clash = rates.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=start)).first()
    if clash is not None:
        raise ValidationError({"effective_from": _("These dates overlap another rate for %(activity_type)s: "
                                                   "%(rate)s from %(date)s.") % {
            "activity_type": activity_type, "rate": clash, "date": date_format(clash.effective_from, "d F Y")}
            + (f" {hint}" if hint else "")})


@transaction.atomic
def rate_create(
    *,
    activity_type: ActivityType,
    basis: str,
    amount,
    effective_from: date,
    effective_to: date | None = None,
    by,
) -> Rate:
    """Add a rate. An open-ended rate of the same type that started earlier ends the day
    before the new one starts (the usual way to change a rate: add the new one)."""
    require_reciprocity_staff(by)
    amount = _clean_rate(basis, amount, effective_from, effective_to)
    previous = (
        Rate.objects.select_for_update()
        .filter(activity_type=activity_type, effective_to__isnull=True, effective_from__lt=effective_from)
        .first()
    )
    if previous is not None:
        previous.effective_to = effective_from - timedelta(days=1)
        model_save(previous, by=by, reason="Replaced by a new rate", update_fields=["effective_to"])
    _refuse_overlap(activity_type, effective_from, effective_to, exclude=None,
                    hint=_("Change that one first."))
    return model_create(
        Rate, by=by, activity_type=activity_type, basis=basis, amount=amount, effective_from=effective_from,
        effective_to=effective_to, created_by=by)


@transaction.atomic
def rate_update(
    *, rate: Rate, basis: str, amount, effective_from: date, effective_to: date | None, by
) -> Rate:
    """Change a rate. Once claims have used it only its end date may change: a new rate
    is added instead, so what partners were paid stays explained."""
    require_reciprocity_staff(by)
    rate = Rate.objects.select_for_update().get(pk=rate.pk)
    amount = _clean_rate(basis, amount, effective_from, effective_to)
    used = rate.claims.count()
    if used and (amount != rate.amount or basis != rate.basis or effective_from != rate.effective_from):
        raise ValidationError(
            ngettext("%(count)s claim has used this rate, so only its end date can change. End it, then "
                     "add the new rate.",
                     "%(count)s claims have used this rate, so only its end date can change. End it, then "
                     "add the new rate.", used) % {"count": used}
        )
    _refuse_overlap(rate.activity_type, effective_from, effective_to, exclude=rate)
    model_update(instance=rate, data={"basis": basis, "amount": amount, "effective_from": effective_from,
                                      "effective_to": effective_to}, by=by)
    return rate


def rate_in_force(activity_type: ActivityType, on: date) -> Rate | None:
    return Rate.objects.in_force(on).filter(activity_type=activity_type).order_by("-effective_from").first()


def fee_for(*, activity_type: ActivityType, on: date, hours) -> tuple[Rate, Decimal]:
    """The rate in force on the day and the fee it gives."""
    rate = rate_in_force(activity_type, on)
    if rate is None:
        raise ValidationError(
            {
                "activity_type": _("There is no rate for “%(activity_type)s” on %(date)s. Choose another "
                                   "kind of activity, or ask staff.") % {"activity_type": activity_type,
                                                                    "date": date_format(on, "d F Y")}
            }
        )
    if rate.basis == Rate.Basis.HOURLY:
        if hours is None or Decimal(hours) <= 0:
            raise ValidationError({"hours": _("Enter how many hours it took: this fee is paid by the hour.")})
        if Decimal(hours) > 24:
            raise ValidationError({"hours": _("Enter 24 hours or fewer.")})
        if Decimal(hours).as_tuple().exponent < -2:
            raise ValidationError(
                {"hours": _("Enter hours with at most two figures after the point, like 2.5.")}
            )
    return rate, rate.fee_for(hours)


# --- Funding sources ---------------------------------------------------------------------

FUNDING_FIELDS = ["funder", "grant", "kind", "amount", "starts_on", "ends_on", "notes"]


@transaction.atomic
def funding_source_save(
    *,
    funding_source: FundingSource | None = None,
    funder: str,
    grant: str,
    kind: str,
    amount,
    starts_on: date,
    ends_on: date,
    notes: str = "",
    by,
) -> FundingSource:
    require_reciprocity_staff(by)
    funder = _text(funder, field="funder", label=_("the funder"), model=FundingSource, required=True)
    grant = _text(grant, field="grant", label=_("the grant or budget line"), model=FundingSource,
                  required=True)
    amount = clean_money(amount, label=_("The budget"))
    if kind not in FundingSource.Kind.values:
        raise ValidationError({"kind": _("Choose launch or sustained funding.")})
    _date("starts_on", starts_on, bounds.FUNDING_STARTS)
    _date("ends_on", ends_on, bounds.FUNDING_ENDS)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The funding cannot end before it starts.")})
    _refuse_clash(FundingSource, funding_source, "grant",
                  _("%(funder)s already has a grant called “%(grant)s”.") % {"funder": funder,
                                                                             "grant": grant},
                  funder__iexact=funder, grant__iexact=grant)
    if funding_source is not None:
        outside = funding_source.payments.exclude(paid_on__gte=starts_on, paid_on__lte=ends_on).count()
        if outside:
            raise ValidationError(
                {
                    "starts_on": ngettext("%(count)s payment charged to it fall outside these dates.",
                                          "%(count)s payments charged to it fall outside these dates.",
                                          outside) % {"count": outside}
                }
            )
    values = {
        "funder": funder,
        "grant": grant,
        "kind": kind,
        "amount": amount,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "notes": bounds.check_text("notes", notes),
    }
    return _create_or_update(FundingSource, funding_source, values, by)


# --- Benefit rules -----------------------------------------------------------------------


@transaction.atomic
def benefit_rule_save(
    *,
    rule: BenefitRule | None = None,
    name: str,
    period: str,
    limit,
    counts_fees: bool,
    counts_vouchers: bool,
    notes: str = "",
    is_active: bool = True,
    partners=None,
    by,
) -> BenefitRule:
    """Create or change a rule. `partners` (None: leave as they are) must each be flagged
    for benefit checks on their record."""
    require_reciprocity_staff(by)
    name = _text(name, field="name", label=_("a name"), model=BenefitRule, required=True)
    limit = clean_money(limit, field="limit", label=_("The limit"))
    if period not in BenefitRule.Period.values:
        raise ValidationError({"period": _("Choose a week, a calendar month or a tax year.")})
    _refuse_clash(BenefitRule, rule, "name", _("There is already a rule called “%(name)s”.") % {"name": name},
                  name__iexact=name)
    if partners is not None:
        unflagged = [p.display_name for p in partners if not p.benefit_check]
        if unflagged:
            raise ValidationError(
                {
                    "partners": _("Only partners whose payments are checked against benefit rules can be "
                                  "linked. Not flagged: %(names)s.") % {"names": ", ".join(unflagged)}
                }
            )
    values = {
        "name": name,
        "period": period,
        "limit": limit,
        "counts_fees": bool(counts_fees),
        "counts_vouchers": bool(counts_vouchers),
        "notes": bounds.check_text("notes", notes),
        "is_active": bool(is_active),
    }
    rule = _create_or_update(BenefitRule, rule, values, by)
    if partners is not None:
        rule._history_user = by
        rule.partners.set(partners)
    return rule


# --- Claims ------------------------------------------------------------------------------


def _clean_cost(*, kind: str, amount, description: str = "", receipt=None) -> dict:
    """A checked line of a claim, ready to save (receipt type and name read from the file)."""
    if kind not in ClaimItem.Kind.values:
        raise ValidationError({"kind": _("Choose what the money is for.")})
    label = ClaimItem.Kind(kind).label
    amount = clean_money(amount, field="amount",
                         label=_("The %(kind)s amount") % {"kind": str(label).lower()})
    description = bounds.check_text("description", description)
    if len(description) > ClaimItem._meta.get_field("description").max_length:
        raise ValidationError({"description": _("Keep the description to 200 characters or fewer.")})
    if kind == ClaimItem.Kind.OTHER and not description:
        raise ValidationError({"description": _("Say what the other costs were for.")})
    cost = {"kind": kind, "amount": amount, "description": description, "receipt": None}
    if receipt:
        content_type, extension, original = check_receipt(receipt)
        receipt.name = f"receipt.{extension}"
        cost.update(receipt=receipt, receipt_name=original, receipt_type=content_type)
    return cost


def _add_item(claim: Claim, cost: dict, by) -> ClaimItem:
    item = ClaimItem(
        claim=claim, added_by=by, **{key: value for key, value in cost.items() if value is not None}
    )
    try:
        model_save(item, by=by)
    except Exception:
        # The file is written before the row; do not leave it behind if the row fails.
        _delete_files_on_failure([item])
        raise
    return item


def _delete_files_on_failure(items: list[ClaimItem]) -> None:
    for item in items:
        if item.receipt:
            default_storage.delete(item.receipt.name)


def _set_totals(claim: Claim, fee: Decimal, expenses: Decimal) -> None:
    """The claim's fee, costs and total, refused when the total is too much for one claim."""
    claim.fee_total, claim.expenses_total, claim.total = fee, expenses, fee + expenses
    if claim.total > MONEY_MAX:
        raise ValidationError(
            _("A claim cannot be for more than %(most)s. Split it into separate claims.") % {
                "most": pounds(MONEY_MAX)}
        )


def _retotal(claim: Claim, by, reason: str = "") -> None:
    totals = claim.items.aggregate(
        fee=Sum("amount", filter=Q(kind=ClaimItem.Kind.FEE)),
        expenses=Sum("amount", filter=~Q(kind=ClaimItem.Kind.FEE)),
    )
    _set_totals(claim, totals["fee"] or ZERO, totals["expenses"] or ZERO)
    model_save(claim, by=by, reason=reason, update_fields=["fee_total", "expenses_total", "total"])


def _what_and_fee(partner, *, meeting=None, activity: str = "", activity_date: date | None = None,
                  activity_type: ActivityType | None = None, hours=None, claim: Claim | None = None) -> dict:
    """What a claim is for and its fee, checked: a meeting must be one `claimable_meetings`
    offers (its title, date and the hours on the register then fill the rest); otherwise what
    it was for and the date are needed. `claim`: the claim being changed, whose own meeting
    stays claimable. The other keywords are the `what` of `claim_create` and `claim_change`; the
    answer holds them checked (meeting, activity, activity_date, activity_type, hours), the
    rate and the fee."""
    if meeting is not None:
        if not claimable_meetings(partner, claim=claim).filter(pk=meeting.pk).exists():
            raise ValidationError({"meeting": why_not_claimable(partner, meeting)})
        attendance = attendance_at(partner, meeting)
        activity = activity or f"{meeting.panel.name}: {meeting.title}"
        activity_date = timezone.localdate(meeting.starts_at)
        hours = attendance.hours if attendance.hours is not None else meeting.duration_hours
    activity = _text(activity, field="activity", label=_("what it was for"), model=Claim, required=True)
    if activity_date is None:
        raise ValidationError({"activity_date": _("Enter the date of the activity.")})
    bounds.CLAIM_ACTIVITY.check("activity_date", activity_date)
    if hours is not None:
        hours = Decimal(hours)
    rate = fee = None
    if activity_type is not None:
        rate, fee = fee_for(activity_type=activity_type, on=activity_date, hours=hours)
    return {"meeting": meeting, "activity": activity, "activity_date": activity_date,
            "activity_type": activity_type, "hours": hours, "rate": rate, "fee": fee}


def _fee_line(rate: Rate, fee: Decimal, hours: Decimal | None) -> dict:
    basis = f"{rate.get_basis_display()} at {pounds(rate.amount)}"
    if rate.basis == Rate.Basis.HOURLY:
        basis += f" for {hours.normalize():f} hours"
    return {"kind": ClaimItem.Kind.FEE, "amount": fee, "description": basis}


@transaction.atomic
def claim_create(*, partner, by, costs: list[dict] | None = None, submit: bool = False, **what) -> Claim:
    """A claim by a partner (or by staff for them): the fee for a meeting they attended or
    another activity (`what`: meeting, activity, activity_date, activity_type, hours, as
    `_what_and_fee` takes them), and any costs with receipts. Sent straight away when `submit`."""
    if by is not None and not can_claim_for(by, partner):
        raise PermissionDenied(_("Only the partner or staff can make a claim for them."))
    if partner.is_erased:
        raise ValidationError(_("This partner's record has been erased."))
    what = _what_and_fee(partner, **what)
    fee = what.pop("fee")
    # Every line is checked (receipts included) before anything is saved.
    lines = [_clean_cost(**cost) for cost in (costs or []) if cost.get("amount") not in (None, "")]
    if fee is None and not lines:
        raise ValidationError(_("Add a fee or at least one cost: there is nothing to claim."))
    if fee is not None:
        lines.insert(0, _fee_line(what["rate"], fee, what["hours"]))

    # `what` holds the claim's meeting, activity, activity_date, activity_type, hours and rate.
    claim = Claim(partner=partner, created_by=by, created_at=timezone.now(), **what)
    _set_totals(claim, sum((line["amount"] for line in lines if line["kind"] == ClaimItem.Kind.FEE), ZERO),
                sum((line["amount"] for line in lines if line["kind"] != ClaimItem.Kind.FEE), ZERO))
    model_save(claim, by=by, reason="Created")
    items = []
    try:
        for line in lines:
            items.append(_add_item(claim, line, by))
        if submit:
            _submit(claim, by)
    except Exception:
        _delete_files_on_failure(items)
        raise
    return claim


@transaction.atomic
def claim_change(*, claim: Claim, by, **what) -> Claim:
    """Change what a claim not sent yet (or sent back to put right) is for, and its fee: the
    answers of the claim's first two questions (`what`, as `claim_create` takes it), checked as
    `claim_create` checks them. The costs stay; the fee line is worked out again from the rate."""
    claim = _locked_own(claim, by, {Claim.Status.DRAFT, Claim.Status.RETURNED}, "changed")
    what = _what_and_fee(claim.partner, claim=claim, **what)
    fee = what.pop("fee")
    if fee is None and not claim.items.exclude(kind=ClaimItem.Kind.FEE).exists():
        raise ValidationError(_("Add a fee or at least one cost: there is nothing to claim."))
    model_update(instance=claim, by=by, reason="Changed what it is for", data=what)
    for item in claim.items.filter(kind=ClaimItem.Kind.FEE):
        model_delete(item, by=by)
    if fee is not None:
        _add_item(claim, _fee_line(what["rate"], fee, what["hours"]), by)
    _retotal(claim, by, reason="Fee worked out again")
    return claim


@transaction.atomic
def claim_item_add(*, claim: Claim, kind: str, amount, description: str = "", receipt=None, by) -> ClaimItem:
    """Add a cost to a draft claim. The fee comes from the rate, so it is not added here."""
    claim = _locked_own(claim, by, {Claim.Status.DRAFT, Claim.Status.RETURNED}, "changed")
    if kind == ClaimItem.Kind.FEE:
        raise ValidationError({"kind": _("The fee is worked out from the rate; add costs here.")})
    item = _add_item(
        claim, _clean_cost(kind=kind, amount=amount, description=description, receipt=receipt), by
    )
    try:
        _retotal(claim, by, reason="Cost added")
    except Exception:
        _delete_files_on_failure([item])
        raise
    return item


@transaction.atomic
def claim_item_remove(*, item: ClaimItem, by) -> Claim:
    claim = _locked_own(item.claim, by, {Claim.Status.DRAFT, Claim.Status.RETURNED}, "changed")
    receipt = item.receipt.name if item.receipt else ""
    model_delete(item, by=by)
    if receipt:
        transaction.on_commit(lambda: default_storage.delete(receipt))
    _retotal(claim, by, reason="Cost removed")
    return claim


def _submit(claim: Claim, by) -> None:
    if claim.total <= 0:
        raise ValidationError(_("Add a fee or at least one cost before sending the claim."))
    model_update(instance=claim, by=by, reason="Submitted", data={
        "status": Claim.Status.SUBMITTED, "submitted_at": timezone.now(), "submitted_by": by})
    _notify(claim, "submitted")
    if not notices.paused() and by is not None and not is_staff_member(by):
        notices.claim_submitted_tell_lead(claim=claim)


@transaction.atomic
def claim_submit(*, claim: Claim, by) -> Claim:
    claim = _locked(claim)
    check_own_or_staff(claim, by)
    _require_status(claim, {Claim.Status.DRAFT, Claim.Status.RETURNED}, "sent")
    _submit(claim, by)
    return claim


@transaction.atomic
def claim_withdraw(*, claim: Claim, by) -> Claim:
    """The partner (or staff for them) cancels a claim not yet decided."""
    claim = _locked_own(claim, by, {Claim.Status.DRAFT, Claim.Status.SUBMITTED, Claim.Status.RETURNED},
                        "cancelled")
    was_sent = claim.status != Claim.Status.DRAFT
    return _close(claim, by, reason="Withdrawn", notify=was_sent)


def _close(claim: Claim, by, *, reason: str, notify: bool = True, **data) -> Claim:
    """Withdraw a locked claim (with `data`, more of its fields), telling the partner if `notify`."""
    model_update(instance=claim, by=by, reason=reason, data={
        "status": Claim.Status.WITHDRAWN, "withdrawn_at": timezone.now(), "withdrawn_by": by, **data})
    if notify:
        _notify(claim, "withdrawn")
    return claim


@transaction.atomic
def claim_decline_payment(*, claim: Claim, by) -> Claim:
    """The partner chooses not to be paid for a sent or agreed claim. The claim closes;
    their involvement still counts everywhere else."""
    claim = _locked_own(claim, by, {Claim.Status.SUBMITTED, Claim.Status.APPROVED}, "declined")
    return _close(claim, by, reason="Payment declined by the partner", declined_payment=True)


@transaction.atomic
def claim_ask_for_less(*, claim: Claim, amount, by) -> Claim:
    """The partner asks to be paid less than they could be (to stay under a benefit
    limit, say). Costs are paid back first; the fee is what gets smaller."""
    claim = _locked_own(claim, by, {Claim.Status.SUBMITTED, Claim.Status.APPROVED}, "changed")
    amount = clean_money(amount, label=_("The amount you want"))
    if amount >= claim.payable:
        raise ValidationError(
            {"amount": _("Enter less than %(amount)s, the amount we would pay you now.") % {
                "amount": pounds(claim.payable)}}
        )
    model_update(instance=claim, by=by, reason=f"Partner asked to be paid {pounds(amount)}",
                 data={"requested_amount": amount, "requested_at": timezone.now()})
    return claim


@transaction.atomic
def claim_approve(*, claim: Claim, by, amount=None, over_limit_agreed: bool = False) -> Claim:
    """Agree a sent claim, for its total or less. Needs the approve permission; nobody
    approves their own claim. If paying it would take the partner past a benefit limit,
    the approver must confirm they have talked it through with them."""
    claim = _locked_to_decide(claim, by, {Claim.Status.SUBMITTED}, "approved", verb="approve",
                              own=_("You cannot approve your own claim"))
    amount = claim.total if amount in (None, "") else clean_money(amount, label=_("The amount to approve"))
    if amount > claim.total:
        raise ValidationError({"amount": _("You cannot approve more than the %(amount)s claimed.") % {
            "amount": pounds(claim.total)}})
    claim.approved_amount = amount
    crossing = [check for check in benefit_checks(claim.partner, claim=claim) if check.crosses]
    if crossing and not over_limit_agreed:
        names = ", ".join(_("%(rule)s (limit %(limit)s)") % {"rule": check.rule.name,
                                                              "limit": pounds(check.rule.limit)}
                          for check in crossing)
        raise ValidationError(
            {
                "over_limit_agreed": _("Paying this would take them past: %(rules)s. Talk to them about the "
                                       "options, then tick the box to go ahead.") % {"rules": names}
            }
        )
    claim.status = Claim.Status.APPROVED
    claim.decided_at = timezone.now()
    claim.decided_by = by
    claim.over_limit_agreed = bool(crossing)
    model_save(
        claim,
        by=by,
        reason="Approved" if amount == claim.total else f"Approved for {pounds(amount)}",
        update_fields=["status", "decided_at", "decided_by", "approved_amount", "over_limit_agreed"],
    )
    _notify(claim, "approved")
    return claim


@transaction.atomic
def claim_reject(*, claim: Claim, by, reason: str) -> Claim:
    """Turn a sent or agreed claim down, with a reason the partner will read."""
    claim = _locked_to_decide(claim, by, {Claim.Status.SUBMITTED, Claim.Status.APPROVED}, "rejected",
                              verb="reject")
    reason = _reason_for_partner(reason, missing="Give the reason: the partner will see it.")
    model_update(instance=claim, by=by, reason="Rejected", data={"status": Claim.Status.REJECTED,
                 "rejection_reason": reason, "decided_at": timezone.now(), "decided_by": by})
    _notify(claim, "rejected")
    return claim


@transaction.atomic
def claim_return(*, claim: Claim, by, reason: str) -> Claim:
    """Send a sent claim back to the partner to put right, saying what to change, instead of
    turning it down: they change it and send it again. Who and when are kept on the claim
    and in its history; the partner is told."""
    claim = _locked_to_decide(claim, by, {Claim.Status.SUBMITTED}, "sent back", verb="send back")
    reason = _reason_for_partner(reason, missing="Say what to change: the partner will see it.")
    model_update(instance=claim, by=by, reason="Sent back to the partner to put right", data={
        "status": Claim.Status.RETURNED, "return_reason": reason, "returned_at": timezone.now(),
        "returned_by": by})
    _notify(claim, "returned")
    return claim


def _take_vouchers(*, payment: Payment, provider: str, value: Decimal, count: int) -> list[Voucher]:
    """Issue `count` codes of one provider and value with the payment, oldest batch first.
    The rows are locked and the update only touches codes still unissued, so a code is
    never given out twice, however many payments run at once."""
    stock = list(
        Voucher.objects.select_for_update()
        .in_stock()
        .filter(batch__provider=provider, batch__value=value)
        .order_by("batch__received_on", "batch_id", "pk")
        .values_list("pk", flat=True)[:count]
    )
    if len(stock) < count:
        raise ValidationError(
            {
                "vouchers": ngettext("Only %(left)s %(provider)s %(value)s voucher is left; %(count)s are "
                                     "needed.",
                                     "Only %(left)s %(provider)s %(value)s vouchers are left; %(count)s are "
                                     "needed.", len(stock)) % {
                    "left": len(stock), "provider": provider, "value": pounds(value), "count": count}
            }
        )
    issued = Voucher.objects.filter(pk__in=stock, payment__isnull=True).update(
        payment=payment, issued_at=timezone.now()
    )
    if issued != count:
        raise ValidationError({"vouchers": _("Some of those vouchers were just given out. Try again.")})
    return list(Voucher.objects.filter(pk__in=stock))


@transaction.atomic
def claim_pay(
    *,
    claim: Claim,
    by,
    method: str,
    paid_on: date,
    funding_source: FundingSource,
    reference: str = "",
    charity: str = "",
    amount=None,
    vouchers: str = "",
) -> Payment:
    """Record that an agreed claim was paid, charged to one funding source. Needs the pay
    permission; nobody pays their own claim. `vouchers` names the stock ("provider|value")
    when paying in vouchers. Locks the claim: a second request waits, then finds it paid."""
    if not can_pay(by):
        raise PermissionDenied(_("You do not have permission to pay claims."))
    claim = _locked(claim)
    if claim.status == Claim.Status.PAID:
        raise ValidationError(_("This claim has already been paid."))
    _require_status(claim, {Claim.Status.APPROVED}, "paid")
    if is_own_claim(claim, by):
        raise ValidationError(_("You cannot pay your own claim: ask another member of the finance team."))
    if method not in Payment.Method.values:
        raise ValidationError({"method": _("Choose how it was paid.")})
    amount = claim.payable if amount in (None, "") else clean_money(amount, label="The amount paid")
    if amount > claim.payable:
        raise ValidationError({"amount": _("You cannot pay more than the %(amount)s agreed.") % {
            "amount": pounds(claim.payable)}})
    _date("paid_on", paid_on, bounds.PAYMENT, "Enter the date it was paid.")
    submitted_on = timezone.localdate(claim.submitted_at)
    if paid_on < submitted_on:
        raise ValidationError(
            {"paid_on": _("The payment date cannot be before the claim was sent (%(date)s).") % {
                "date": date_format(submitted_on, "d F Y")}}
        )
    if not funding_source.starts_on <= paid_on <= funding_source.ends_on:
        raise ValidationError(
            {
                "funding_source": f"{funding_source} runs from {funding_source.starts_on:%d %B %Y} "
                f"to {funding_source.ends_on:%d %B %Y}: choose another source."
            }
        )
    reference = _text(reference, field="reference", label="a reference", model=Payment)
    charity = _text(
        charity,
        field="charity",
        label="the charity",
        model=Payment,
        required=method == Payment.Method.CHARITY,
    )
    voucher_stock = None
    if method == Payment.Method.VOUCHER:
        provider, _bar, value = (vouchers or "").rpartition("|")
        try:
            value = Decimal(value)
        except InvalidOperation:
            provider = ""
        if not provider or not value:
            raise ValidationError({"vouchers": _("Choose which vouchers to give.")})
        count, remainder = divmod(amount, value)
        if remainder or not count:
            raise ValidationError(
                {
                    "amount": f"{pounds(amount)} cannot be made from {pounds(value)} vouchers. Pay "
                    f"{pounds(count * value or value)} in vouchers, or choose another method."
                }
            )
        voucher_stock = (provider, value, int(count))
    fee, expenses = claim.split(amount)
    payment = Payment(
        claim=claim,
        method=method,
        reference=reference,
        charity=charity,
        paid_on=paid_on,
        amount=amount,
        fee_amount=fee,
        expenses_amount=expenses,
        funding_source=funding_source,
        days_to_pay=max((paid_on - submitted_on).days, 0),
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            model_save(payment, by=by, reason="Paid")
    except IntegrityError:
        raise ValidationError(_("This claim has already been paid.")) from None
    if voucher_stock:
        provider, value, count = voucher_stock
        _take_vouchers(payment=payment, provider=provider, value=value, count=count)
    model_update(instance=claim, data={"status": Claim.Status.PAID}, by=by, reason="Paid")
    _notify(claim, "paid")
    return payment


# --- Vouchers ----------------------------------------------------------------------------


def parse_codes(text: str) -> list[str]:
    """One code a line; blank lines and surrounding spaces ignored."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _add_codes(batch: VoucherBatch, codes: list[str]) -> int:
    if not codes:
        raise ValidationError({"codes": _("Paste at least one voucher code, one a line.")})
    too_long = [code for code in codes if len(code) > 64]
    if too_long:
        raise ValidationError({"codes": _("A code can have at most 64 characters: %(code)s…") % {
            "code": too_long[0][:20]}})
    repeated = sorted(code for code, times in Counter(codes).items() if times > 1)
    if repeated:
        raise ValidationError({"codes": _("These codes are pasted twice: %(codes)s.") % {
            "codes": ", ".join(repeated[:5])}})
    known = sorted(
        Voucher.objects.filter(batch__provider__iexact=batch.provider, code__in=codes).values_list(
            "code", flat=True
        )
    )
    if known:
        raise ValidationError(
            {
                "codes": ngettext("%(count)s of these %(provider)s codes is already in stock or issued: "
                                  "%(codes)s.",
                                  "%(count)s of these %(provider)s codes are already in stock or issued: "
                                  "%(codes)s.", len(known)) % {
                    "count": len(known), "provider": batch.provider,
                    "codes": ", ".join(known[:5]) + ("…" if len(known) > 5 else "")}
            }
        )
    Voucher.objects.bulk_create([Voucher(batch=batch, code=code) for code in codes])
    return len(codes)


@transaction.atomic
def voucher_batch_create(
    *, provider: str, value, received_on: date, reference: str = "", codes: list[str], by
) -> VoucherBatch:
    require_reciprocity_staff(by)
    provider = _text(provider, field="provider", label="the provider", model=VoucherBatch, required=True)
    value = clean_money(value, field="value", label="The value of each voucher")
    _date("received_on", received_on, bounds.VOUCHERS_RECEIVED, "Enter the date the vouchers were received.")
    batch = model_create(
        VoucherBatch, by=by, provider=provider, value=value, received_on=received_on,
        reference=_text(reference, field="reference", label="a reference", model=VoucherBatch), added_by=by)
    _add_codes(batch, codes)
    return batch


@transaction.atomic
def voucher_codes_add(*, batch: VoucherBatch, codes: list[str], by) -> int:
    require_reciprocity_staff(by)
    batch = VoucherBatch.objects.select_for_update().get(pk=batch.pk)
    added = _add_codes(batch, codes)
    # Codes have no history of their own: a version of the batch records who added them, and when.
    model_save(batch, by=by, reason=f"{added} codes added", update_fields=["provider"])
    return added


# --- Retention: receipts ------------------------------------------------------------------

RECEIPT_REMOVED_NOTE = "Receipt removed under the retention rule"


@transaction.atomic
def receipts_remove_expired(*, item_ids: list[int], ended_before: date, by=None) -> list[int]:
    """Remove the receipt files of these claim lines, if the retention rule still applies to
    them (their claim was paid, rejected or withdrawn before `ended_before`). The line, its
    amount and the receipt's file name stay, with when the file went; the history names
    `by` (None: the nightly job) and the rule. Answers the ids of the lines whose receipt went."""
    lines = list(
        ClaimItem.objects.select_for_update(of=("self",)).filter(pk__in=item_ids)
        .receipts_due_for_removal(ended_before=ended_before)
    )
    now = timezone.now()
    files = []
    for line in lines:
        files.append(line.receipt.name)
        line.receipt, line.receipt_type, line.receipt_removed_at = "", "", now
        model_save(line, by=by, reason=RECEIPT_REMOVED_NOTE,
              update_fields=["receipt", "receipt_type", "receipt_removed_at"])
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return [line.pk for line in lines]


# --- Recognition -------------------------------------------------------------------------


@transaction.atomic
def recognition_save(
    *,
    recognition: Recognition | None = None,
    partner,
    kind: str,
    title: str,
    message: str = "",
    partner_words: str = "",
    given_on: date,
    by,
) -> Recognition:
    require_reciprocity_staff(by)
    if partner.is_erased:
        raise ValidationError({"partner": _("This partner's record has been erased.")})
    if kind not in Recognition.Kind.values:
        raise ValidationError({"kind": _("Choose a thank-you or an achievement.")})
    title = _text(title, field="title", label="what it is for", model=Recognition, required=True)
    _date("given_on", given_on, bounds.RECOGNITION)
    values = {
        "partner": partner,
        "kind": kind,
        "title": title,
        "message": bounds.check_text("message", message),
        "partner_words": bounds.check_text("partner_words", partner_words),
        "given_on": given_on,
    }
    return _create_or_update(Recognition, recognition, values, by, given_by=by)
