"""The partner's claim as short question pages (GOV.UK "question pages"), then a
check-your-answers page before it is sent.

1. What was it for? (a meeting, or something else and when)
2. What fee are you claiming?
3. Money you spent (with photos of receipts)
→ the claim is saved as a draft by `services.claim_create`, the one place that saves
  claims, and the partner checks it on "Check your answers" before sending it.

What is typed in steps 1 and 2 waits in the session; each step is checked with the
whole claim form, showing only the errors that belong to that step."""

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse

from coprod.access import partner_required
from coprod.roles import partner_for

from . import forms
from . import views

SESSION_KEY = "claim_steps"

STEPS = [
    {"slug": "what", "url": "reciprocity:my_claim_create", "title": "What was it for?",
     "fields": ["meeting", "activity", "activity_date"]},
    {"slug": "fee", "url": "reciprocity:my_claim_step_fee", "title": "What fee are you claiming?",
     "fields": ["activity_type", "hours"]},
    {"slug": "costs", "url": "reciprocity:my_claim_step_costs", "title": "Money you spent",
     "fields": ["travel", "travel_description", "travel_receipt", "subsistence", "subsistence_receipt",
                "care", "care_receipt", "other", "other_description", "other_receipt"]},
]


def _saved(request: HttpRequest) -> dict:
    return dict(request.session.get(SESSION_KEY, {}))


def _typed(request: HttpRequest, step: dict) -> dict:
    """What this step's form sent, as typed (a date comes as day, month and year boxes)."""
    return {key: request.POST.getlist(key) for key in request.POST
            if any(key == name or key.startswith(f"{name}_") for name in step["fields"])}


def _data(saved: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in saved.items():
        data.setlist(key, values)
    return data


def _form(request: HttpRequest, partner, saved: dict, *, files=None) -> forms.ClaimForm:
    return forms.ClaimForm(_data(saved), files, meetings=views.claimable_meetings(partner))


def _only_errors_of(form: forms.ClaimForm, step: dict) -> bool:
    """Keep the errors of this step's questions (on the last step, all of the claim's);
    answer whether none is left."""
    form.is_valid()
    if step is not STEPS[-1]:
        for name in list(form.errors):
            if name not in step["fields"]:
                del form.errors[name]
    return not form.errors


def _page(request: HttpRequest, step: dict, form, partner, *, status: int = 200) -> HttpResponse:
    number = STEPS.index(step) + 1
    back = reverse(STEPS[number - 2]["url"]) if number > 1 else reverse("reciprocity:my_claims")
    return render(request, "reciprocity/my_claim_step.html", {
        "step": step, "number": number, "steps": len(STEPS), "form": form, "partner": partner, "back": back,
    }, status=status)


def _question(request: HttpRequest, index: int) -> HttpResponse:
    step = STEPS[index]
    partner = partner_for(request.user)
    saved = _saved(request)
    if index == 0 and request.method != "POST" and request.GET.get("meeting"):
        saved = {}  # "Claim for this meeting": a new claim
        request.session.pop(SESSION_KEY, None)
    if index and not saved:
        return redirect(STEPS[0]["url"])  # the session ended: start from the first question
    if request.method != "POST":
        if saved:
            form = _form(request, partner, saved)
            form.is_valid()
            form._errors = ErrorDict()  # show what was typed, not judged again until it is sent
        else:
            form = forms.ClaimForm(initial={"meeting": request.GET.get("meeting")},
                                   meetings=views.claimable_meetings(partner))
        return _page(request, step, form, partner)
    saved = {key: values for key, values in saved.items()
             if not any(key == name or key.startswith(f"{name}_") for name in step["fields"])}
    saved.update(_typed(request, step))
    if step is STEPS[-1]:
        form = _form(request, partner, saved, files=request.FILES)
        if not _only_errors_of(form, step):
            return _page(request, step, form, partner)
        claim = views._claim_create(request, form, partner, send=False)
        if claim is None:  # the service refused it: its reasons are on the form
            return _page(request, step, form, partner)
        request.session.pop(SESSION_KEY, None)
        return redirect("reciprocity:my_claim_check", pk=claim.pk)
    form = _form(request, partner, saved)
    request.session[SESSION_KEY] = saved
    if not _only_errors_of(form, step):
        return _page(request, step, form, partner)
    return redirect(STEPS[index + 1]["url"])


@partner_required
def what(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "action" in request.POST:
        # The whole claim in one go (the form on one page, as scripts and older pages send it).
        return views.my_claim_create(request)
    return _question(request, 0)


@partner_required
def fee(request: HttpRequest) -> HttpResponse:
    return _question(request, 1)


@partner_required
def costs(request: HttpRequest) -> HttpResponse:
    return _question(request, 2)


@partner_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers before sending the claim."""
    claim = views.get_own_claim(request, pk)
    if claim.status != claim.Status.DRAFT:
        messages.info(request, "This claim has already been sent.")
        return redirect("reciprocity:my_claim_detail", pk=claim.pk)
    return render(request, "reciprocity/my_claim_check.html", {"claim": claim, "items": claim.items.all()})
