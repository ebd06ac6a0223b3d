"""Views of the reciprocity app: the partner's own claims, payments and thank-yous
under /my/, and the staff claims and finance pages under /staff/.

Each view authorises, validates a form, calls one service and redirects or renders.
Loading and authorising happen together in the `get_*_for_user` helpers, which
scope the query to what the person may see and answer 404 otherwise.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models import F
from django.db.models import Q
from django.http import FileResponse
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coprod import reports
from coprod.access import partner_required
from coprod.access import staff_required
from coprod.charts import bar_chart
from coprod.charts import svg_img
from coprod.models import Report
from coprod.roles import is_staff_member
from coprod.roles import partner_for
from coprod.tables import table_response
from coprod.web import act
from coprod.web import button
from coprod.web import create_and_edit
from coprod.web import form_page
from coprod.web import paginate
from coprod.web import submit
from participants.models import Partner

from . import benefits
from . import forms
from . import rules
from . import services
from .exports import payments_csv
from .filters import ClaimFilter
from .measures import median_days_to_pay
from .measures import spend_by_month
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
from .models import claimable_meetings
from .models import pounds
from .tables import BenefitRuleTable
from .tables import ClaimTable
from .tables import FundingSourceTable
from .tables import PaymentTable
from .tables import RateTable
from .tables import RecognitionTable
from .tables import VoucherBatchTable
from .tables import WaitingClaimTable

# --- Loading and authorising --------------------------------------------------------------


def get_claim_for_user(request: HttpRequest, pk: int) -> Claim:
    """A claim for the staff pages (any claim); anyone else gets 404."""
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(
        Claim.objects.visible_to(request.user).for_list().select_related(
            "rate", "created_by", "submitted_by", "decided_by", "withdrawn_by", "returned_by"
        ),
        pk=pk,
    )


def get_own_claim(request: HttpRequest, pk: int) -> Claim:
    """One of the signed-in partner's own claims; another partner's claim answers 404."""
    partner = partner_for(request.user)
    if partner is None:
        raise Http404
    return get_object_or_404(Claim.objects.visible_to(request.user).of_partner(partner).for_list(), pk=pk)


def get_receipt_for_user(request: HttpRequest, pk: int) -> ClaimItem:
    """A receipt: the claimant's own, or any for finance staff. Otherwise 404."""
    items = ClaimItem.objects.receipts_visible_to(request.user, finance=rules.is_finance(request.user))
    return get_object_or_404(items, pk=pk)


def _get_staff(model, request: HttpRequest, pk: int, queryset=None):
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(queryset if queryset is not None else model.objects.all(), pk=pk)


def _list_page(request: HttpRequest, table, template: str, *, filename: str, **context) -> HttpResponse:
    """A staff list page showing `table`, sorted and paged as asked, or its download."""
    if download := table_response(request, table, filename=filename):
        return download
    return render(request, template, {"table": table, "page_obj": table.page, **context})


def _initial(instance, fields: list[str], new: dict | None = None) -> dict:
    """A form's starting values: these fields of `instance`, or `new` when adding."""
    return {name: getattr(instance, name) for name in fields} if instance else dict(new or {})


def _create_and_edit(form_view, model, queryset=None):
    """The staff "add" and "change" views of one form page, `form_view(request, instance)`
    (instance None when adding)."""
    return create_and_edit(form_view, lambda request, pk: _get_staff(model, request, pk, queryset))


@login_required
def receipt(request: HttpRequest, pk: int) -> FileResponse:
    item = get_receipt_for_user(request, pk)
    try:
        handle = item.receipt.open("rb")
    except FileNotFoundError:
        raise Http404("The receipt file is missing.") from None
    response = FileResponse(
        handle,
        content_type=item.receipt_type or "application/octet-stream",
        as_attachment=False,
        filename=item.receipt_name or "receipt",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- The partner's own pages ----------------------------------------------------------------


@partner_required
def my_claims(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    claims = Claim.objects.visible_to(request.user).of_partner(partner).for_list()
    return render(
        request,
        "reciprocity/my_claims.html",
        {
            "partner": partner,
            "page_obj": paginate(request, claims),
            "meetings_to_claim": claimable_meetings(partner)[:5],
        },
    )


@partner_required
def my_claim_create(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    form = forms.ClaimForm(request.POST or None, request.FILES or None, meetings=claimable_meetings(partner),
                           initial={"meeting": request.GET.get("meeting")})
    return _claim_form_page(
        request, form, partner, template="reciprocity/my_claim_form.html",
        detail="reciprocity:my_claim_detail",
        success=lambda sent: _("Thank you. We have your claim and will let you know when it is agreed.")
        if sent else _("Your claim is saved. Send it to us when it is ready."))


def _claim_create(request: HttpRequest, form: forms.ClaimForm, partner: Partner, send: bool) -> Claim | None:
    """A new claim from the claim form (the partner's own, or staff's for them); sent unless
    the draft button was pressed."""
    return submit(request, form, lambda _: services.claim_create(
        partner=partner, by=request.user, submit=send, **form.service_kwargs()))


def _claim_form_page(request: HttpRequest, form: forms.ClaimForm, partner: Partner, *, template: str,
                     detail: str, success) -> HttpResponse:
    """The claim form on one page: the claim made (`success(sent)` says so) shows its page."""
    send = request.POST.get("action") != "draft"
    claim = _claim_create(request, form, partner, send)
    if claim is None:
        return render(request, template, {"form": form, "partner": partner})
    messages.success(request, success(send))
    return redirect(detail, pk=claim.pk)


def _my_claim_page(
    request: HttpRequest, claim: Claim, *, cost_form=None, less_form=None, status: int = 200
) -> HttpResponse:
    payment = getattr(claim, "payment", None)
    return render(
        request,
        "reciprocity/my_claim_detail.html",
        {
            "claim": claim,
            "items": claim.items.all(),
            "payment": payment,
            "vouchers": payment.vouchers.select_related("batch") if payment else [],
            "cost_form": cost_form or forms.CostForm(),
            "less_form": less_form or forms.AskForLessForm(),
        },
        status=status,
    )


def _claim_access(staff: bool):
    """How a claim's views load it, the page they go back to, and who may use them: staff
    (any claim) or the partner (their own claims)."""
    if staff:
        return get_claim_for_user, "reciprocity:claim_detail", staff_required
    return get_own_claim, "reciprocity:my_claim_detail", partner_required


def _claim_page_views(page, *, staff: bool = False):
    """A claim's page (`page(request, claim)`) and its buttons that add and take off a cost."""
    load, detail, role_required = _claim_access(staff)

    @role_required
    def show(request: HttpRequest, pk: int) -> HttpResponse:
        return page(request, load(request, pk))

    @require_POST
    @role_required
    def cost_add(request: HttpRequest, pk: int) -> HttpResponse:
        claim = load(request, pk)
        form = forms.CostForm(request.POST, request.FILES)
        return form_page(request, form,
                         lambda data: services.claim_item_add(claim=claim, by=request.user, **data),
                         success=_("The cost has been added."), done=reverse(detail, args=[claim.pk]),
                         template=lambda form: page(request, claim, cost_form=form, status=400))

    @require_POST
    @role_required
    def cost_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
        claim = load(request, pk)
        line = get_object_or_404(claim.items, pk=item)
        act(request, lambda: services.claim_item_remove(item=line, by=request.user),
            _("The cost has been taken off."))
        return redirect(detail, pk=claim.pk)

    return show, cost_add, cost_remove


my_claim_detail, my_claim_cost_add, my_claim_cost_remove = _claim_page_views(_my_claim_page)


def _step_view(service, done: str, *, staff: bool = False):
    """A button on a claim's page (the partner's own, or staff's) that runs `service` on the
    claim, says `done` (or why not) and goes back to the page."""
    load, back, role_required = _claim_access(staff)
    return button(load, lambda request, claim: service(claim=claim, by=request.user), lambda _: done, back,
                  role=role_required)


my_claim_submit = _step_view(services.claim_submit,
                             gettext_lazy("Thank you. Your claim has been sent to us."))
my_claim_withdraw = _step_view(services.claim_withdraw, gettext_lazy("Your claim has been cancelled."))
my_claim_decline = _step_view(
    services.claim_decline_payment,
    gettext_lazy("We have noted that you do not want to be paid for this. Thank you for taking part."))


@require_POST
@partner_required
def my_claim_ask_less(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_own_claim(request, pk)
    form = forms.AskForLessForm(request.POST)
    return form_page(request, form, lambda data: services.claim_ask_for_less(
        claim=claim, by=request.user, amount=data["amount"]),
        success=lambda _saved: _("We will pay you %(amount)s for this claim.") % {
            "amount": pounds(form.cleaned_data["amount"])},
        done=reverse("reciprocity:my_claim_detail", args=[claim.pk]),
        template=lambda form: _my_claim_page(request, claim, less_form=form, status=400))


@partner_required
def my_payments(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    totals = benefits.paid_totals(partner)
    payments = (
        Payment.objects.filter(claim__partner=partner).select_related("claim").order_by("-paid_on", "-pk")
    )
    waiting = (
        Claim.objects.visible_to(request.user).of_partner(partner)
        .filter(status=Claim.Status.APPROVED)
        .with_payable()
        .order_by("decided_at")
    )
    return render(
        request,
        "reciprocity/my_payments.html",
        {
            "partner": partner,
            "totals": totals,
            "stats": [
                (_("Paid this week"), pounds(totals["week"]), _("Monday to Sunday")),
                (_("Paid this month"), pounds(totals["month"]),
                 date_format(totals["month_bounds"][0], "F Y")),
                (_("Paid this tax year"), pounds(totals["tax_year"]),
                 _("Tax year %(year)s") % {"year": totals["tax_year_label"]}),
            ],
            "page_obj": paginate(request, payments),
            "advice_links": benefits.ADVICE_LINKS,
            "waiting": waiting,
        },
    )


DOCUMENT_KINDS = [Report.Kind.CERTIFICATE, Report.Kind.STATEMENT]


@partner_required
def my_recognition(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    return render(
        request,
        "reciprocity/my_recognition.html",
        {
            "partner": partner,
            "recognitions": Recognition.objects.filter(partner=partner),
            "documents": Report.objects.visible_to(request.user).filter(
                partner=partner, kind__in=DOCUMENT_KINDS)[:6],
            "quotes_allowed": partner.has_consent("quotes"),
        },
    )


def _document_view(kind: str, title: str):
    """A button asking for one of the partner's documents, made in the background."""

    @require_POST
    @partner_required
    def view(request: HttpRequest) -> HttpResponse:
        report = reports.report_request(kind=kind, title=str(title), by=request.user, params={},
                                        partner=partner_for(request.user))
        return redirect("coprod:report_detail", pk=report.pk)

    return view


my_certificate = _document_view(Report.Kind.CERTIFICATE, gettext_lazy("Certificate of contribution"))
my_statement = _document_view(Report.Kind.STATEMENT, gettext_lazy("Statement of involvement"))


# --- Staff: claims -------------------------------------------------------------------------


@staff_required
def claim_list(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.visible_to(request.user)
    claim_filter = ClaimFilter(request.GET or None, queryset=claims.for_list())
    counts = claims.aggregate(**{s: Count("pk", filter=Q(status=s)) for s in Claim.Status.values})
    return _list_page(
        request, ClaimTable(claim_filter.qs), "reciprocity/claim_list.html", filename="claims",
        filter=claim_filter,
        filtered=any(value for name, value in request.GET.items() if name in claim_filter.filters),
        status_counts=[(value, label, counts[value]) for value, label in Claim.Status.choices],
        current_status=request.GET.get("status", ""),
    )


@staff_required
def claim_create(request: HttpRequest) -> HttpResponse:
    """Staff claim for a partner, step one: find the partner by typing part of their name or
    e-mail address (not a drop-down of every partner). One match goes straight on to the
    claim; several are offered to choose from."""
    sent = "partner" in request.GET or "partner_find" in request.GET
    pick = forms.PartnerPickForm(request.GET if sent else None)
    if pick.is_bound and pick.is_valid():
        return redirect("reciprocity:claim_create_for", partner=pick.cleaned_data["partner"].pk)
    return render(request, "reciprocity/claim_pick_partner.html", {"form": pick})


@staff_required
def claim_create_for(request: HttpRequest, partner: int) -> HttpResponse:
    """Staff claim for a partner, step two: the claim form with the partner's meetings."""
    partner = get_object_or_404(Partner.objects.current().select_related("user"), pk=partner)
    form = forms.ClaimForm(
        request.POST or None, request.FILES or None, meetings=claimable_meetings(partner), staff=True
    )
    return _claim_form_page(
        request, form, partner, template="reciprocity/claim_form.html", detail="reciprocity:claim_detail",
        success=lambda sent: (_("The claim for %(name)s has been sent for approval.") if sent
                              else _("The claim for %(name)s has been saved as a draft.")) % {
            "name": partner.full_name})


def _claim_history(claim: Claim) -> list:
    return list(
        Claim.history.filter(id=claim.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:30]
    )


def _claim_page(
    request: HttpRequest,
    claim: Claim,
    *,
    approve_form=None,
    reject_form=None,
    return_form=None,
    pay_form=None,
    cost_form=None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    payment = getattr(claim, "payment", None)
    own = claim.partner.user_id == user.pk
    show_benefits = rules.can_see_benefits(user)
    checks = (
        benefits.benefit_checks(claim.partner, claim=claim if claim.is_open else None)
        if show_benefits
        else []
    )
    return render(
        request,
        "reciprocity/claim_detail.html",
        {
            "claim": claim,
            "partner": claim.partner,
            "items": claim.items.all(),
            "payment": payment,
            "vouchers": payment.vouchers.select_related("batch") if payment else [],
            "history": _claim_history(claim),
            "own_claim": own,
            "can_approve": rules.can_approve(user) and not own,
            "can_pay": rules.can_pay(user) and not own,
            "can_see_receipts": rules.is_finance(user),
            "show_benefits": show_benefits,
            "benefit_checks": checks,
            "benefit_crossing": [check for check in checks if check.crosses],
            "advice_links": benefits.ADVICE_LINKS,
            "approve_form": approve_form or forms.ApproveForm(initial={"amount": claim.payable}),
            "reject_form": reject_form or forms.RejectForm(),
            "return_form": return_form or forms.ReturnForm(),
            # Only an approved claim has a pay form (it looks up the running funding sources).
            "pay_form": (pay_form or forms.PayForm.for_claim(claim))
            if claim.status == Claim.Status.APPROVED
            else None,
            "cost_form": cost_form or forms.CostForm(),
        },
        status=status,
    )


claim_detail, claim_cost_add, claim_cost_remove = _claim_page_views(_claim_page, staff=True)


claim_submit = _step_view(services.claim_submit, gettext_lazy("The claim has been sent for approval."),
                          staff=True)
claim_withdraw = _step_view(services.claim_withdraw, gettext_lazy("The claim has been withdrawn."),
                            staff=True)


def _decision_view(permitted, form_class, service, success, form_name: str, then=None):
    """A staff decision on a claim (approve, reject, send back, pay), taken with `form_class`
    by staff that `permitted(user)`: runs `service(claim=, by=, **form data)`, says
    `success(claim, result)`, runs `then(request, result)` if given, and goes back to the
    claim. A form refused shows the claim's page again with the form (as `form_name`)."""

    @require_POST
    @staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        claim = get_claim_for_user(request, pk)
        if not permitted(request.user):
            raise PermissionDenied
        form = form_class(request.POST)
        result = submit(request, form, lambda data: service(claim=claim, by=request.user, **data))
        if result is None:
            return _claim_page(request, claim, status=400, **{form_name: form})
        messages.success(request, success(claim, result))
        if then is not None:
            then(request, result)
        return redirect("reciprocity:claim_detail", pk=claim.pk)

    return view


def _warn_budget(request: HttpRequest, payment: Payment) -> None:
    source = FundingSource.objects.with_spend().get(pk=payment.funding_source_id)
    if source.budget_state != "ok":
        messages.warning(request, _("%(source)s has used %(percent)s%% of its budget.") % {
            "source": source, "percent": source.used_percent})


claim_approve = _decision_view(
    rules.can_approve, forms.ApproveForm, services.claim_approve,
    lambda claim, _result: _("Claim %(number)s has been approved.") % {"number": claim.pk}, "approve_form")
claim_reject = _decision_view(
    rules.can_approve, forms.RejectForm, services.claim_reject,
    lambda claim, _result: _("Claim %(number)s has been rejected; %(partner)s will see the reason.") % {
        "number": claim.pk, "partner": claim.partner.display_name},
    "reject_form")
# Send a sent claim back to the partner to put right, with what to change.
claim_return = _decision_view(
    rules.can_approve, forms.ReturnForm, services.claim_return,
    lambda claim, _result: _("Claim %(number)s has been sent back to %(partner)s to put right; they will see "
                             "what to change.") % {"number": claim.pk, "partner": claim.partner.display_name},
    "return_form")
claim_pay = _decision_view(
    rules.can_pay, forms.PayForm, services.claim_pay,
    lambda claim, payment: _("Claim %(number)s is paid: %(amount)s on %(date)s.") % {
        "number": claim.pk, "amount": pounds(payment.amount), "date": date_format(payment.paid_on, "d F Y")},
    "pay_form", then=_warn_budget)


# --- Staff: finance --------------------------------------------------------------------------


def _low_stock(threshold: int) -> list[dict]:
    return [row for row in Voucher.objects.stock_levels() if row["in_stock"] < threshold]


@staff_required
def finance(request: HttpRequest) -> HttpResponse:
    settings_ = ReciprocitySettings.current()
    today = timezone.localdate()
    start, end = benefits.tax_year_bounds(today)
    waiting = Claim.objects.waiting_longer_than(settings_.claims_waiting_days).select_related("partner")
    year_ago = today - timedelta(days=365)
    return _list_page(
        request, WaitingClaimTable(waiting.order_by("submitted_at")), "reciprocity/finance.html",
        filename="claims-waiting", settings=settings_,
        waiting_note=_("Sent more than %(days)s days ago, not yet paid") % {
            "days": settings_.claims_waiting_days},
        median_days=median_days_to_pay(Payment.objects.filter(paid_on__gte=year_ago)),
        year_totals=Payment.objects.between(start, end).totals(),
        tax_year_label=benefits.tax_year_label(today),
        awaiting_approval=Claim.objects.filter(status=Claim.Status.SUBMITTED).count(),
        awaiting_payment=Claim.objects.filter(status=Claim.Status.APPROVED).count(),
        sources=FundingSource.objects.with_spend().filter(ends_on__gte=year_ago).order_by("ends_on"),
        low_stock=_low_stock(settings_.voucher_low_stock),
        export_form=forms.PeriodForm(initial={"start": start, "end": min(end, today)}),
    )


@never_cache
@staff_required
def finance_export(request: HttpRequest) -> HttpResponse:
    """Payments in a period as CSV (the current tax year when no period is given)."""
    today = timezone.localdate()
    start, end = benefits.tax_year_bounds(today)
    form = forms.PeriodForm(request.GET if request.GET else {"start": start, "end": min(end, today)})
    if not form.is_valid():
        messages.error(
            request,
            _("Choose a period to export: %(errors)s") % {"errors": " ".join(
                str(error) for errors in form.errors.values() for error in errors)},
        )
        return redirect("reciprocity:finance")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = HttpResponse(payments_csv(start, end), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="payments-{start.isoformat()}-to-{end.isoformat()}.csv"'
    )
    return response


@staff_required
def settings_edit(request: HttpRequest) -> HttpResponse:
    current = ReciprocitySettings.current()
    form = forms.SettingsForm(request.POST or None,
                              initial=_initial(current, ["claims_waiting_days", "voucher_low_stock"]))
    return form_page(request, form, lambda data: services.settings_update(by=request.user, **data),
                     success=_("The settings have been saved."),
                     done="reciprocity:finance",
                     template="reciprocity/settings_form.html")


# --- Staff: rates and activity types -------------------------------------------------------


@staff_required
def rate_list(request: HttpRequest) -> HttpResponse:
    in_force = set(Rate.objects.in_force(timezone.localdate()).values_list("pk", flat=True))
    table = RateTable(Rate.objects.for_list().order_by("activity_type__name", "-effective_from"),
                      in_force=in_force)
    return _list_page(request, table, "reciprocity/rate_list.html", filename="rates",
                      activity_types=ActivityType.objects.all())


RATE_FIELDS = ["basis", "amount", "effective_from", "effective_to"]


@staff_required
def rate_create(request: HttpRequest) -> HttpResponse:
    form = forms.RateForm(
        request.POST or None,
        initial={"effective_from": timezone.localdate(), "activity_type": request.GET.get("activity_type")},
    )
    return form_page(request, form, lambda data: services.rate_create(by=request.user, **data),
                     success=lambda rate: _("The rate has been added: %(rate)s, from %(date)s.") % {
                         "rate": rate, "date": date_format(rate.effective_from, "d F Y")},
                     done="reciprocity:rate_list", template="reciprocity/rate_form.html",
                     context={"rate": None})


@staff_required
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rate = _get_staff(Rate, request, pk, Rate.objects.for_list())
    form = forms.RateForm(request.POST or None, initial=_initial(rate, RATE_FIELDS), editing=True)
    return form_page(request, form,
                     lambda data: services.rate_update(rate=rate, by=request.user, **data),
                     success=_("The rate has been saved."), done="reciprocity:rate_list",
                     template="reciprocity/rate_form.html",
                     context={"rate": rate, "used": rate.claims.count()})


def _activity_type_form(request: HttpRequest, activity_type: ActivityType | None) -> HttpResponse:
    initial = _initial(activity_type, ["name", "name_cy", "description", "is_active"], {"is_active": True})
    form = forms.ActivityTypeForm(request.POST or None, initial=initial)
    # A new type goes on to its first rate.
    return form_page(request, form, lambda data: services.activity_type_save(
        activity_type=activity_type, by=request.user, **data),
        success=lambda saved: _("“%(name)s” has been saved.") % {"name": saved.name},
        done=lambda saved: redirect(f"{reverse('reciprocity:rate_create')}?activity_type={saved.pk}")
        if activity_type is None else redirect("reciprocity:rate_list"),
        template="reciprocity/activity_type_form.html", context={"activity_type": activity_type})


activity_type_create, activity_type_edit = _create_and_edit(_activity_type_form, ActivityType)


# --- Staff: funding sources ----------------------------------------------------------------


@staff_required
def funding_list(request: HttpRequest) -> HttpResponse:
    table = FundingSourceTable(FundingSource.objects.with_spend().order_by("-ends_on", "funder"))
    return _list_page(request, table, "reciprocity/funding_list.html", filename="funding-sources")


@staff_required
def funding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = _get_staff(FundingSource, request, pk, FundingSource.objects.with_spend())
    months = spend_by_month(source)
    chart = ""
    if months:
        svg = bar_chart(
            [m["label"] for m in months],
            {_("Spent (£)"): [float(m["amount"]) for m in months]},
            ylabel="£",
            height=3.0,
        )
        chart = svg_img(
            svg, _("Bar chart of spending from %(source)s by month; the figures are in the table below.") % {
                "source": source}
        )
    table = PaymentTable(source.payments.for_list().order_by("-paid_on", "-pk"), exclude=("funding_source",))
    return _list_page(
        request, table, "reciprocity/funding_detail.html", filename=f"payments-funding-{source.pk}",
        source=source, months=months, chart=chart,
        tiles=[(_("Budget"), pounds(source.amount)), (_("Spent"), pounds(source.spent)),
               (_("Left"), pounds(source.remaining))],
    )


FUNDING_FIELDS = ["funder", "grant", "kind", "amount", "starts_on", "ends_on", "notes"]


def _funding_form(request: HttpRequest, source: FundingSource | None) -> HttpResponse:
    initial = _initial(source, FUNDING_FIELDS)
    form = forms.FundingSourceForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.funding_source_save(
        funding_source=source, by=request.user, **data),
        success=lambda saved: _("“%(name)s” has been saved.") % {"name": saved},
        done=lambda saved: redirect("reciprocity:funding_detail", pk=saved.pk),
        template="reciprocity/funding_form.html", context={"source": source})


funding_create, funding_edit = _create_and_edit(_funding_form, FundingSource)


# --- Staff: benefit rules ------------------------------------------------------------------


@staff_required
def benefit_rule_list(request: HttpRequest) -> HttpResponse:
    show_partners = rules.can_see_benefits(request.user)
    benefit_rules = BenefitRule.objects.with_partner_count().order_by("name")
    if show_partners:
        benefit_rules = benefit_rules.prefetch_related("partners")
    # Who each rule applies to only for those allowed to see it; the others see how many.
    table = BenefitRuleTable(benefit_rules, exclude=("partner_count",) if show_partners else ("partners",))
    flagged = Partner.objects.filter(benefit_check=True, erased_at__isnull=True)
    return _list_page(request, table, "reciprocity/benefit_rule_list.html", filename="benefit-rules",
                      show_partners=show_partners, advice_links=benefits.ADVICE_LINKS,
                      unlinked=flagged.filter(benefit_rules__isnull=True).order_by("full_name")
                      if show_partners else [])


RULE_FIELDS = ["name", "period", "limit", "counts_fees", "counts_vouchers", "notes", "is_active"]


def _benefit_rule_form(request: HttpRequest, rule: BenefitRule | None) -> HttpResponse:
    show_partners = rules.can_see_benefits(request.user)
    initial = _initial(rule, RULE_FIELDS)
    if rule and show_partners:
        initial["partners"] = list(rule.partners.all())
    form = forms.BenefitRuleForm(request.POST or None, initial=initial, show_partners=show_partners)
    def save(data: dict) -> BenefitRule:
        data = dict(data)
        partners = list(data.pop("partners")) if show_partners else None
        return services.benefit_rule_save(rule=rule, partners=partners, by=request.user, **data)

    return form_page(request, form, save,
                     success=lambda saved: _("“%(name)s” has been saved.") % {"name": saved.name},
                     done="reciprocity:benefit_rule_list",
                     template="reciprocity/benefit_rule_form.html", context={"rule": rule})


benefit_rule_create, benefit_rule_edit = _create_and_edit(_benefit_rule_form, BenefitRule)


# --- Staff: vouchers -----------------------------------------------------------------------


@staff_required
def voucher_list(request: HttpRequest) -> HttpResponse:
    threshold = ReciprocitySettings.current().voucher_low_stock
    table = VoucherBatchTable(VoucherBatch.objects.with_stock().order_by("-received_on", "-pk"))
    return _list_page(request, table, "reciprocity/voucher_list.html", filename="voucher-batches",
                      stock=list(Voucher.objects.stock_levels()), threshold=threshold,
                      low_stock=_low_stock(threshold))


@staff_required
def voucher_batch_create(request: HttpRequest) -> HttpResponse:
    form = forms.VoucherBatchForm(request.POST or None)
    return form_page(request, form, lambda data: services.voucher_batch_create(
        by=request.user, **{**data, "codes": services.parse_codes(data["codes"])}),
        success=lambda batch: _("%(count)s %(provider)s vouchers added to stock.") % {
            "count": len(services.parse_codes(form.cleaned_data["codes"])), "provider": batch.provider},
        done=lambda batch: redirect("reciprocity:voucher_batch_detail", pk=batch.pk),
        template="reciprocity/voucher_batch_form.html")


def _batch_page(request: HttpRequest, batch: VoucherBatch, form=None, status: int = 200) -> HttpResponse:
    vouchers = batch.vouchers.select_related("payment__claim__partner").order_by(
        F("payment").asc(nulls_first=True), "pk"
    )
    return render(
        request,
        "reciprocity/voucher_batch_detail.html",
        {
            "batch": batch,
            "page_obj": paginate(request, vouchers),
            "form": form or forms.VoucherCodesForm(),
        },
        status=status,
    )


@staff_required
def voucher_batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _batch_page(request, _get_staff(VoucherBatch, request, pk, VoucherBatch.objects.with_stock()))


@require_POST
@staff_required
def voucher_codes_add(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_staff(VoucherBatch, request, pk, VoucherBatch.objects.with_stock())
    form = forms.VoucherCodesForm(request.POST)
    return form_page(request, form, lambda data: services.voucher_codes_add(
        batch=batch, codes=services.parse_codes(data["codes"]), by=request.user),
        success=lambda added: ngettext("%(count)s code added.", "%(count)s codes added.", added) % {
            "count": added},
        done=reverse("reciprocity:voucher_batch_detail", args=[batch.pk]),
        template=lambda form: _batch_page(request, batch, form, status=400))


# --- Staff: recognition --------------------------------------------------------------------


@staff_required
def recognition_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, RecognitionTable(Recognition.objects.for_list()),
                      "reciprocity/recognition_list.html", filename="recognition")


RECOGNITION_FIELDS = ["partner", "kind", "title", "message", "partner_words", "given_on"]


def _recognition_form(request: HttpRequest, recognition: Recognition | None) -> HttpResponse:
    initial = _initial(recognition, RECOGNITION_FIELDS, {"partner": request.GET.get("partner")})
    form = forms.RecognitionForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.recognition_save(
        recognition=recognition, by=request.user, **data),
        success=lambda saved: _("The %(kind)s for %(name)s has been recorded. They can see it on their "
                                "page.") % {
            "kind": saved.get_kind_display().lower(), "name": saved.partner.full_name},
        done="reciprocity:recognition_list",
        template="reciprocity/recognition_form.html", context={"recognition": recognition})


recognition_create, recognition_edit = _create_and_edit(_recognition_form, Recognition,
                                                        Recognition.objects.for_list())
