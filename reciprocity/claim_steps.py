"""The partner's claim as short question pages (GOV.UK "question pages"), then a
check-your-answers page before it is sent.

1. What was it for? (a meeting, or something else and when)
2. What fee are you claiming?
3. Money you spent (with photos of receipts)
→ the claim is saved as a draft by `services.claim_create`, the one place that saves
  claims, and the partner checks it on "Check your answers" before sending it.

What is typed in steps 1 and 2 waits in the session; each step is checked with the
whole claim form, showing only the errors that belong to that step.

On "Check your answers" each answer has a "Change" link: the first two questions open again,
filled in with the claim's answers, and go back to "Check your answers" (the claim is changed
by `services.claim_change`); the money spent is changed on the claim's own page."""

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coprod.access import partner_required
from coprod.roles import partner_for
from coprod.web import submit

from . import forms
from . import services
from . import views
from .models import claimable_meetings

SESSION_KEY = "claim_steps"

STEPS = [
    {"slug": "what", "url": "reciprocity:my_claim_create", "title": _("What was it for?"),
     "fields": ["meeting", "activity", "activity_date"]},
    {"slug": "fee", "url": "reciprocity:my_claim_step_fee", "title": _("What fee are you claiming?"),
     "fields": ["activity_type", "hours"]},
    {"slug": "costs", "url": "reciprocity:my_claim_step_costs", "title": _("Money you spent"),
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


def _page(request: HttpRequest, step: dict, form, partner, *, status: int = 200, claim=None) -> HttpResponse:
    number = STEPS.index(step) + 1
    back = reverse(STEPS[number - 2]["url"]) if number > 1 else reverse("reciprocity:my_claims")
    context = {"step": step, "number": number, "steps": len(STEPS), "form": form, "partner": partner,
               "back": back, "action": reverse(step["url"])}
    if claim is not None:  # changing one answer of a saved claim: back to checking it
        context.update(back=reverse("reciprocity:my_claim_check", args=[claim.pk]), changing=True,
                       action=reverse("reciprocity:my_claim_change", args=[claim.pk, step["slug"]]))
    return render(request, "reciprocity/my_claim_step.html", context, status=status)


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
    """Check your answers before sending the claim (or sending it again, once put right)."""
    claim = views.get_own_claim(request, pk)
    if not claim.can_change:
        messages.info(request, gettext("This claim has already been sent."))
        return redirect("reciprocity:my_claim_detail", pk=claim.pk)
    return render(request, "reciprocity/my_claim_check.html", {"claim": claim, "items": claim.items.all()})


# The questions whose answers can be changed from "Check your answers" (the money spent is
# changed on the claim's page, a line at a time).
CHANGEABLE = {step["slug"]: step for step in STEPS[:2]}


def _answers(claim) -> dict:
    """The claim's answers to the first two questions, as the claim form takes them. For a
    meeting, what it was for and the date come from the meeting, so they are left empty."""
    return {
        "meeting": claim.meeting_id,
        "activity": "" if claim.meeting_id else claim.activity,
        "activity_date": None if claim.meeting_id else claim.activity_date,
        "activity_type": claim.activity_type_id,
        "hours": claim.hours,
    }


@partner_required
def change(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Change one answer of a claim not sent yet (or sent back to put right): the question
    page, filled in with the claim's answers, then back to "Check your answers". The
    meetings offered are the claimable ones, with the claim's own meeting still among them."""
    claim = views.get_own_claim(request, pk)
    if step not in CHANGEABLE:
        raise Http404
    if not claim.can_change:
        messages.info(request, gettext("This claim has already been sent."))
        return redirect("reciprocity:my_claim_detail", pk=claim.pk)
    question = CHANGEABLE[step]
    partner = claim.partner
    meetings = claimable_meetings(partner, claim=claim)
    answers = _answers(claim)
    if request.method != "POST":
        form = forms.ClaimForm(initial=answers, meetings=meetings)
        return _page(request, question, form, partner, claim=claim)
    form = forms.ClaimForm(request.POST, meetings=meetings)
    if not _only_errors_of(form, question):
        return _page(request, question, form, partner, claim=claim)
    kept = {**answers, "meeting": claim.meeting, "activity_type": claim.activity_type}
    typed = {name: form.cleaned_data.get(name) for name in question["fields"]}
    changed = submit(request, form, lambda _: services.claim_change(
        claim=claim, by=request.user, **{**kept, **typed}))
    if changed is None:  # the service refused it: its reasons are on the form
        return _page(request, question, form, partner, claim=claim)
    messages.success(request, gettext("Your answer has been changed."))
    return redirect("reciprocity:my_claim_check", pk=claim.pk)
