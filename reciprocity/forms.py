"""Forms of the reciprocity app. They check input and say what is wrong in plain words;
the views hand the cleaned data to a service, which checks again and saves."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coprod import bounds
from coprod.dates import DateField
from coprod.dates import DayMonthYear
from coprod.forms import reason_form
from coprod.money import pounds
from coprod.welsh import welsh_form_field
from coprod.welsh import welsh_plain
from participants.models import Partner
from participants.partner_field import PartnerField

from .models import MONEY_MAX
from .models import ActivityType
from .models import BenefitRule
from .models import ClaimItem
from .models import FundingSource
from .models import Payment
from .models import Rate
from .models import Recognition
from .models import Voucher
from .receipts import ACCEPT
from .receipts import check_receipt


def _money_max_message() -> str:
    return gettext("Enter an amount of %(most)s or less.") % {"most": pounds(MONEY_MAX)}


_money_max = lazy(_money_max_message, str)


def date_input() -> DayMonthYear:
    return DayMonthYear()


def date_picker() -> forms.DateInput:
    """For choosing a period to look at, where the browser's picker helps."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money_field(
    label: str, *, required: bool = False, help_text: str = "", min_value="0.01"
) -> forms.DecimalField:
    """Pounds and pence, with messages people understand."""
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=9,
        decimal_places=2,
        min_value=Decimal(min_value),
        max_value=MONEY_MAX,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "money-input"}),
        error_messages={
            "invalid": _("Enter an amount in pounds and pence, for example 4.50."),
            "min_value": _("Enter an amount of more than £0.00.")
            if min_value != "0"
            else _("Enter £0.00 or more."),
            "max_value": _money_max(),
            "max_decimal_places": _("Enter pence with two figures at most, for example 4.50."),
            "max_digits": _money_max(),
            "required": _("Enter the amount."),
        },
    )


def receipt_field(label: str) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        help_text=_("A photo or a PDF, up to 10 MB. On a phone you can take the photo now."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )


def optional_text(label: str, max_length: int, help_text: str = "") -> forms.CharField:
    """A line of text that may be left empty."""
    return forms.CharField(label=label, max_length=max_length, required=False, help_text=help_text)


class ReceiptCheckMixin:
    """Checks each receipt's type and size beside its own field."""

    receipt_fields: tuple[str, ...] = ()

    def _check_receipts(self) -> None:
        for name in self.receipt_fields:
            upload = self.cleaned_data.get(name)
            if upload:
                try:
                    check_receipt(upload)
                except ValidationError as error:
                    self.add_error(name, error.message_dict["receipt"])


# --- Claims: the partner's form, and staff claiming for a partner ---------------------------

COSTS = [
    # kind, amount field, receipt field, description field or None
    (ClaimItem.Kind.TRAVEL, "travel", "travel_receipt", "travel_description"),
    (ClaimItem.Kind.SUBSISTENCE, "subsistence", "subsistence_receipt", None),
    (ClaimItem.Kind.CARE, "care", "care_receipt", None),
    (ClaimItem.Kind.OTHER, "other", "other_receipt", "other_description"),
]


class EmptyLastIterator(forms.models.ModelChoiceIterator):
    """Radio choices with the "none of these" option last, after the real ones."""

    def __iter__(self):
        choices = list(super().__iter__())
        if choices and choices[0][0] == "":
            choices = choices[1:] + choices[:1]
        yield from choices


class ActivityTypeChoiceField(forms.ModelChoiceField):
    iterator = EmptyLastIterator

    def __init__(self, *args, rates: dict, staff: bool = False, **kwargs):
        self.rates = rates
        self.staff = staff
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        # A partner reads the type's name in their language; staff read the English.
        name = obj.name if self.staff else welsh_plain(obj, "name")
        rate = self.rates.get(obj.pk)
        return f"{name}: {pounds(rate.amount)} {rate.get_basis_display().lower()}" if rate else name


class MeetingChoiceField(forms.ModelChoiceField):
    iterator = EmptyLastIterator

    staff = False

    def label_from_instance(self, obj) -> str:
        title = obj.title if self.staff else welsh_plain(obj, "title")
        return f"{title}, {obj.panel.name}, {date_format(timezone.localtime(obj.starts_at), 'l j F Y')}"


class ClaimForm(ReceiptCheckMixin, forms.Form):
    """A new claim: which meeting or activity, the fee, and costs with receipts.
    `partner_words` switches the labels between "you" (the partner) and "they" (staff)."""

    receipt_fields = ("travel_receipt", "subsistence_receipt", "care_receipt", "other_receipt")

    meeting = MeetingChoiceField(
        queryset=None,
        required=False,
        blank=True,
        widget=forms.RadioSelect,
        empty_label=_("Something else (tell us below)"),
    )
    activity = optional_text(
        _("What did you do?"), 200, _("For example: read the new leaflet and sent comments."))
    activity_date = DateField(
        label=_("When was it?"),
        required=False,
        widget=date_input(),
        help_text=_("Within the last 12 months."),
        error_messages={"invalid": _("Enter a date, for example 14 3 2026.")},
    )
    hours = forms.DecimalField(
        label=_("How many hours did it take?"),
        required=False,
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "money-input"}),
        help_text=_("Only for fees paid by the hour. For example: 2.5"),
        error_messages={
            "invalid": _("Enter a number of hours, for example 2.5."),
            "min_value": _("Enter at least a quarter of an hour (0.25)."),
            "max_value": _("Enter 24 hours or fewer."),
            "max_decimal_places": _("Enter hours like 2.5 or 2.25."),
        },
    )
    activity_type = None  # set in __init__: it needs today's rates
    travel = money_field(_("Travel (£)"), help_text=_("Bus, train, taxi or mileage."))
    travel_description = optional_text(_("How did you travel?"), 200, _("For example: bus there and back."))
    travel_receipt = receipt_field(_("Ticket or receipt for travel"))
    subsistence = money_field(_("Food and drink (£)"))
    subsistence_receipt = receipt_field(_("Receipt for food and drink"))
    care = money_field(_("Childcare or carer costs (£)"))
    care_receipt = receipt_field(_("Receipt or invoice for childcare or care"))
    other = money_field(_("Other costs (£)"))
    other_description = optional_text(_("What were the other costs for?"), 200)
    other_receipt = receipt_field(_("Receipt for other costs"))

    def __init__(self, *args, meetings, on=None, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        on = on or timezone.localdate()
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].staff = staff
        self.fields["meeting"].label = (
            _("Which meeting was it?") if not staff else _("Which meeting did they attend?")
        )
        rates = {rate.activity_type_id: rate for rate in Rate.objects.in_force(on).order_by("effective_from")}
        self.fields["activity_type"] = ActivityTypeChoiceField(
            queryset=ActivityType.objects.active().filter(pk__in=list(rates)),
            rates=rates,
            staff=staff,
            required=False,
            blank=True,
            widget=forms.RadioSelect,
            empty_label=_("No fee, just costs"),
            label=_("What fee are you claiming?") if not staff else _("What fee are they claiming?"),
            help_text=_("The rate is the one in force on the day of the activity."),
        )
        order = ["meeting", "activity", "activity_date", "activity_type", "hours"]
        self.order_fields(order)
        if staff:
            self.fields["activity"].label = _("What did they do?")
            self.fields["travel_description"].label = _("How did they travel?")

    def clean(self):
        data = super().clean()
        self._check_receipts()
        if not data.get("meeting"):
            if not data.get("activity"):
                self.add_error("activity", _("Tell us what you did, or choose a meeting above."))
            day = data.get("activity_date")
            if not day and "activity_date" not in self.errors:
                self.add_error("activity_date", _("Enter the date."))
            elif day and (message := bounds.CLAIM_ACTIVITY.message(day)):
                self.add_error("activity_date", message)
        if data.get("other") and not data.get("other_description"):
            self.add_error("other_description", _("Say what the other costs were for."))
        for _kind, amount, receipt, _description in COSTS:
            if data.get(receipt) and not data.get(amount):
                self.add_error(amount, _("Enter the amount on this receipt."))
        has_cost = any(data.get(amount) for _, amount, _, _ in COSTS)
        if not data.get("activity_type") and not has_cost and not self.errors:
            raise ValidationError(
                _("Choose a fee or enter at least one cost: there is nothing to claim yet."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        costs = []
        for kind, amount, receipt, description in COSTS:
            if data.get(amount):
                costs.append(
                    {
                        "kind": kind,
                        "amount": data[amount],
                        "receipt": data.get(receipt),
                        "description": data.get(description, "") if description else "",
                    }
                )
        return {
            "meeting": data.get("meeting"),
            "activity": data.get("activity", ""),
            "activity_date": data.get("activity_date"),
            "activity_type": data.get("activity_type"),
            "hours": data.get("hours"),
            "costs": costs,
        }


class CostForm(ReceiptCheckMixin, forms.Form):
    """One more cost on a claim not yet sent."""

    receipt_fields = ("receipt",)

    kind = forms.ChoiceField(
        label=_("What is it for?"),
        choices=[(k.value, k.label) for k in ClaimItem.Kind if k != ClaimItem.Kind.FEE],
    )
    amount = money_field(_("Amount (£)"), required=True)
    description = optional_text(
        _("A few words about it"), 200, _("Needed for other costs. For example: printing."))
    receipt = receipt_field(_("Receipt"))

    def clean(self):
        data = super().clean()
        self._check_receipts()
        if data.get("kind") == ClaimItem.Kind.OTHER and not data.get("description"):
            self.add_error("description", _("Say what the other costs were for."))
        return data


class AskForLessForm(forms.Form):
    amount = money_field(
        _("How much would you like to be paid? (£)"),
        required=True,
        help_text=_("We pay back your costs first; the fee is what gets smaller."),
    )


class ApproveForm(forms.Form):
    amount = money_field(
        _("Amount to approve (£)"),
        required=True,
        help_text=_("The total claimed, or less: costs are paid first, so less reduces the fee."),
    )
    over_limit_agreed = forms.BooleanField(
        required=False,
        label=_("I have talked with them about the limit and the options, and they want to go ahead."),
    )


RejectForm = reason_form(
    _("Why is it not agreed?"),
    max_length=2000,
    help_text=_("The partner will read this. Say what they can do next."),
    error_messages={"required": _("Give the reason: the partner will see it.")},
)


ReturnForm = reason_form(
    _("What should they change?"),
    max_length=2000,
    help_text=_("The partner will read this. Say plainly what to put right, then they can send it again."),
    error_messages={"required": _("Say what to change: the partner will see it.")},
)


def voucher_choices() -> list[tuple[str, str]]:
    return [("", gettext("Not paying in vouchers"))] + [
        (
            f"{row['batch__provider']}|{row['batch__value']}",
            gettext("%(provider)s %(value)s (%(count)s in stock)") % {
                "provider": row["batch__provider"], "value": pounds(row["batch__value"]),
                "count": row["in_stock"]},
        )
        for row in Voucher.objects.stock_levels()
    ]


class PayForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How was it paid?"), choices=Payment.Method.choices, widget=forms.RadioSelect
    )
    paid_on = DateField(
        label=_("Paid on"),
        widget=date_input(),
        validators=[bounds.PAYMENT],
        error_messages={"invalid": _("Enter the date it was paid.")},
    )
    funding_source = forms.ModelChoiceField(
        label=_("Charge it to"),
        queryset=FundingSource.objects.none(),
        empty_label=_("Choose a funding source"),
        error_messages={"required": _("Choose the funding source to charge.")},
    )
    amount = money_field(_("Amount paid (£)"), required=True)
    reference = optional_text(_("Reference"), 100,
                              _("The bank or finance system reference, or a receipt number for cash."))
    charity = optional_text(_("Charity paid"), 150, _("Only when it is paid to a charity on their behalf."))
    vouchers = forms.ChoiceField(
        label=_("Vouchers to give"),
        required=False,
        help_text=_("Only when paying in vouchers: codes are taken from stock."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funding_source"].queryset = FundingSource.objects.current()
        self.fields["vouchers"].choices = voucher_choices()

    @classmethod
    def for_claim(cls, claim) -> "PayForm":
        """The form filled in as far as it can be: today, the partner's preferred method,
        what is payable, and the funding source when only one is running."""
        running = list(FundingSource.objects.current()[:2])
        preference = claim.partner.payment_preference
        return cls(initial={
            "amount": claim.payable,
            "paid_on": timezone.localdate(),
            "method": preference if preference in Payment.Method.values else Payment.Method.BANK_TRANSFER,
            "funding_source": running[0] if len(running) == 1 else None,
        })

    def clean(self):
        data = super().clean()
        if data.get("method") == Payment.Method.CHARITY and not data.get("charity"):
            self.add_error("charity", _("Name the charity it was paid to."))
        if data.get("method") == Payment.Method.VOUCHER and not data.get("vouchers"):
            self.add_error("vouchers", _("Choose which vouchers to give."))
        return data


# --- Rates, activity types, funding, benefit rules, vouchers, recognition, settings -------


class ActivityTypeForm(forms.Form):
    name = forms.CharField(max_length=100)
    name_cy = welsh_form_field(max_length=100)
    description = forms.CharField(max_length=250, required=False)
    is_active = forms.BooleanField(label=_("In use (offered on new claims)"), required=False, initial=True)


class RateForm(forms.Form):
    activity_type = forms.ModelChoiceField(label=_("Activity type"), queryset=ActivityType.objects.all())
    basis = forms.ChoiceField(choices=Rate.Basis.choices, widget=forms.RadioSelect)
    amount = money_field(_("Rate (£)"), required=True)
    effective_from = DateField(
        label=_("In force from"), widget=date_input(), validators=[bounds.RATE_FROM]
    )
    effective_to = DateField(
        label=_("In force until"),
        required=False,
        widget=date_input(),
        validators=[bounds.RATE_TO],
        help_text=
            _("Leave empty while it is in force. Adding a new rate ends the current one the day before."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["activity_type"]


class FundingSourceForm(forms.Form):
    funder = forms.CharField(max_length=150)
    grant = forms.CharField(label=_("Grant or budget line"), max_length=150)
    kind = forms.ChoiceField(choices=FundingSource.Kind.choices, widget=forms.RadioSelect)
    amount = money_field(_("Budget for partner payments (£)"), required=True)
    starts_on = DateField(label=_("Starts on"), widget=date_input(), validators=[bounds.FUNDING_STARTS])
    ends_on = DateField(label=_("Ends on"), widget=date_input(), validators=[bounds.FUNDING_ENDS])
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The funding cannot end before it starts."))
        return data


class PartnerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class BenefitRuleForm(forms.Form):
    name = forms.CharField(max_length=150, help_text=_("For example: weekly earnings limit."))
    period = forms.ChoiceField(choices=BenefitRule.Period.choices, widget=forms.RadioSelect)
    limit = money_field(_("Limit in one period (£)"), required=True)
    counts_fees = forms.BooleanField(label=
        _("Fees paid in money count as income"), required=False, initial=True)
    counts_vouchers = forms.BooleanField(
        label=_("Fees paid in vouchers count as income"), required=False, initial=True
    )
    notes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the figure comes from and when it was last checked."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    partners = PartnerChoices(
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Partners it applies to"),
        help_text=_("Only partners whose record says their payments are checked against benefit rules."),
    )

    def __init__(self, *args, show_partners: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if show_partners:
            self.fields["partners"].queryset = Partner.objects.filter(
                benefit_check=True, erased_at__isnull=True
            )
        else:
            del self.fields["partners"]


class VoucherBatchForm(forms.Form):
    provider = forms.CharField(max_length=100, help_text=_("For example: Love2shop."))
    value = money_field(_("Value of each voucher (£)"), required=True)
    received_on = DateField(
        label=_("Received on"),
        widget=date_input(),
        initial=timezone.localdate,
        validators=[bounds.VOUCHERS_RECEIVED],
    )
    reference = forms.CharField(
        max_length=100, required=False, help_text=_("The supplier's order or invoice number.")
    )
    codes = forms.CharField(
        label=_("Voucher codes"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Paste the codes, one a line."),
    )


class VoucherCodesForm(forms.Form):
    codes = forms.CharField(
        label=_("More codes"),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_("Paste the codes, one a line."),
    )


class PartnerPickForm(forms.Form):
    partner = PartnerField(scope="current", label=_("Who is the claim for?"))


class RecognitionForm(forms.Form):
    partner = PartnerField(scope="not_erased")
    kind = forms.ChoiceField(
        choices=Recognition.Kind.choices, widget=forms.RadioSelect, initial=Recognition.Kind.THANK_YOU
    )
    title = forms.CharField(
        label=_("What for?"),
        max_length=150,
        help_text=_("For example: chaired the housing challenge panel for a year."),
    )
    message = forms.CharField(
        label=_("Message to them"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    partner_words = forms.CharField(
        label=_("In their own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=
            _("Something they said about it. Shown on their certificate only while they agree to quotes."),
    )
    given_on = DateField(
        label=_("Date"), widget=date_input(), initial=timezone.localdate, validators=[bounds.RECOGNITION]
    )


class SettingsForm(forms.Form):
    claims_waiting_days = forms.IntegerField(
        label=_("Claims waiting too long after (days)"), min_value=1, max_value=365
    )
    voucher_low_stock = forms.IntegerField(
        label=_("Warn when voucher codes in stock fall below"), min_value=0, max_value=10000
    )


class PeriodForm(forms.Form):
    """A period of payment dates, for the finance export."""

    start = forms.DateField(
        label=_("From"), widget=date_picker(), error_messages={"required": _("Enter the first day.")}
    )
    end = forms.DateField(label=_("To"), widget=date_picker(),
                          error_messages={"required": _("Enter the last day.")})

    def clean(self):
        data = super().clean()
        bounds.EXPORT_PERIOD.clean_form(self, "start", "end")
        return data
