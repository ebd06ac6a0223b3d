import re
from copy import copy
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from coprod.access import partner_required
from coprod.access import staff_required
from coprod.models import Notice
from coprod.models import OutgoingEmail
from coprod.roles import is_staff_member
from coprod.roles import partner_for
from coprod.tables import table_response
from coprod.web import act
from coprod.web import form_page
from coprod.web import paginate
from coprod.web import refusal
from coprod.web import show_errors
from coprod.web import submit

from . import audit
from . import data_protection
from . import filters
from . import forms
from . import partner_field
from . import sections
from . import services
from .contact import usual_reminder_words
from .models import DUE_SOON_DAYS
from .models import AccessNeed
from .models import Consent
from .models import ConsentStatement
from .models import Course
from .models import Invitation
from .models import LivedExperienceArea
from .models import Partner
from .models import StatusChange
from .models import TrainingRecord
from .models import consent_annotations
from .tables import PartnerTable

# The partner page lists this many of the latest e-mails to or about them.
EMAILS_SHOWN = 10
NOTICES_SHOWN = 10


@partner_required
def portal_home(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    next_steps = sections.sections_for(sections.PORTAL_NEXT_STEPS, partner)
    return render(request, "participants/portal_home.html", {
        "partner": partner, **portal_next_steps(partner),
        "sections": sections.sections_for(sections.PORTAL_HOME, partner),
        "next_steps": next_steps,
        "waiting": any(section["items"] for section in next_steps),
    })


# --- Invitations ------------------------------------------------------------


def get_invitation_for_user(request: HttpRequest, pk: int) -> Invitation:
    """An invitation with its people, for staff only; anyone else gets 404."""
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(Invitation.objects.for_list(), pk=pk)


def _invitable_partner(request: HttpRequest) -> Partner | None:
    """The partner record named by `?partner=<pk>` (staff inviting from a partner's page)."""
    pk = request.GET.get("partner", "")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(Partner.objects.select_related("user").filter(erased_at__isnull=True), pk=pk)


def _back_to(request: HttpRequest, default: str) -> HttpResponse:
    """Return to the page the button was pressed on (a partner's page, say), if it is on this site."""
    url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return redirect(url)
    return redirect(default)


def _until(invitation: Invitation) -> str:
    return date_format(timezone.localtime(invitation.expires_at))


@staff_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in Invitation.STATES:
        state = ""
    counts = Invitation.objects.state_counts()
    filters = [("", "All", sum(counts.values()))] + [
        (value, value.capitalize(), counts[value]) for value in Invitation.STATES
    ]
    invitations = Invitation.objects.for_list().in_state(state)
    return render(request, "participants/invitation_list.html", {
        "state": state,
        "filters": filters,
        "page_obj": paginate(request, invitations),
    })


@staff_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    partner = _invitable_partner(request)
    form = forms.InvitationForm(request.POST if request.method == "POST" else None, partner=partner)
    invitation = submit(request, form, lambda data: services.invitation_create_and_send(
        **data, partner=partner, by=request.user, request_or_base_url=request))
    if invitation is not None:
        messages.success(request, f"Invitation sent to {invitation.full_name} at {invitation.email}. "
                                  f"The link works until {_until(invitation)}.")
        if partner is not None:
            return redirect("participants:partner_detail", pk=partner.pk)
        return redirect(f"{reverse('participants:invitation_list')}?state=pending")
    return render(request, "participants/invitation_form.html", {"form": form, "partner": partner})


@require_POST
@staff_required
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request, pk)
    act(request, lambda: services.invitation_resend(invitation=invitation, by=request.user,
                                                    request_or_base_url=request),
        lambda sent: f"A new e-mail with the link was sent to {sent.email}. "
                     f"The link works until {_until(sent)}.")
    return _back_to(request, reverse("participants:invitation_list"))


@require_POST
@staff_required
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request, pk)
    act(request, lambda: services.invitation_revoke(invitation=invitation, by=request.user),
        f"Invitation to {invitation.email} revoked: the link no longer works.")
    return _back_to(request, reverse("participants:invitation_list"))


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to everyone holding the link. Expired, revoked or used links answer 410
    Gone with what to do next, and create nothing."""
    invitation = get_object_or_404(Invitation.objects.select_related("created_by"), token=token)
    situation = services.invitation_situation(invitation=invitation, user=request.user)
    context = {"invitation": invitation, "situation": situation}
    if situation in ("expired", "revoked", "accepted"):
        return render(request, "participants/invitation_gone.html", context, status=410)
    form = None
    if situation == "new_login":
        form = forms.AcceptInvitationForm(request.POST if request.method == "POST" else None,
                                          invitation=invitation)
    can_accept = situation in ("new_login", "add_role")
    if request.method == "POST" and can_accept and (form is None or form.is_valid()):
        try:
            user = services.invitation_accept(invitation=invitation, password=form and form.password,
                                              by=request.user)
        except ValidationError as error:
            if form is None:
                messages.error(request, refusal(error))
                return redirect(request.path)
            show_errors(form, error)
        else:
            if situation == "new_login":
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            how = "" if form is None else _NEXT_TIME[form.password is not None]
            messages.success(request, f"Welcome, {user.get_short_name()}! {_ACCEPTED[invitation.role]}{how}")
            return redirect("home")
    return render(request, "participants/invitation_accept.html", {**context, "form": form})


_ACCEPTED = {
    Invitation.Role.PARTNER: "This is your own page.",
    Invitation.Role.TRUSTEE: "You can now read the dashboard and governance reports.",
    Invitation.Role.STAFF: "You can now use the staff portal.",
}
_NEXT_TIME = {
    True: " Next time, sign in with your e-mail address and password.",
    False: " Next time, choose “E-mail me a sign-in code” on the sign-in page.",
}


# --- Partner records (staff) ---


def get_partner_for_user(request: HttpRequest, pk: int) -> Partner:
    """A partner record the signed-in person may see: staff any, a partner only their own.
    Anything else answers 404."""
    partners = Partner.objects.select_related("service", "link_worker", "user")
    if not is_staff_member(request.user):
        own = partner_for(request.user)
        partners = partners.filter(pk=own.pk) if own else partners.none()
    return get_object_or_404(partners, pk=pk)


@staff_required
def partner_list(request: HttpRequest) -> HttpResponse:
    sensitive = services.can_see_sensitive(request.user)
    partners = Partner.objects.for_list().with_training_due()
    if sensitive:
        partners = partners.prefetch_related("access_needs")
    partner_filter = filters.PartnerFilter(request.GET or None, queryset=partners, sensitive=sensitive)
    table = PartnerTable.for_user(partner_filter.qs, sensitive=sensitive)
    if download := table_response(request, table, filename="partners"):
        return download
    return render(request, "participants/partner_list.html", {
        "filter": partner_filter,
        "sensitive": sensitive,
        "table": table,
        "page_obj": table.page,
        "filtered": any(request.GET.get(name) for name in partner_filter.filters),
    })


@staff_required
def partner_create(request: HttpRequest) -> HttpResponse:
    sensitive = services.can_see_sensitive(request.user)
    form = forms.PartnerCreateForm(request.POST or None, sensitive=sensitive)
    partner = submit(request, form, lambda data: services.partner_create(
        data={name: value for name, value in data.items() if name != "status"}, status=data["status"],
        by=request.user))
    if partner is not None:
        messages.success(request, f"{partner.full_name} has been added.")
        return redirect("participants:partner_detail", pk=partner.pk)
    return render(request, "participants/partner_form.html", {"form": form, "partner": None})


@staff_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    sensitive = services.can_see_sensitive(request.user)
    return render(request, "participants/partner_detail.html", {
        "partner": partner,
        "sensitive": sensitive,
        "access_needs": partner.access_needs.all() if sensitive else None,
        "lived_experience": partner.lived_experience.all() if sensitive else None,
        "status_changes": partner.status_changes.select_related("changed_by"),
        "status_form": forms.StatusChangeForm(current=partner.status),
        "training": partner.training.select_related("course"),
        "consent_rows": _consent_rows(partner),
        "changes": audit.partner_changes(partner, sensitive=sensitive),
        "changes_shown": audit.CHANGES_SHOWN,
        "emails": OutgoingEmail.objects.about(partner)[:EMAILS_SHOWN],
        "notices": Notice.objects.filter(partner=partner).for_log()[:NOTICES_SHOWN],
        "emails_shown": EMAILS_SHOWN,
        "sections": sections.sections_for(sections.STAFF_PARTNER_PAGE, partner),
    })


@staff_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    if partner.is_erased:
        messages.error(request, "This partner's details were erased; they can no longer be changed.")
        return redirect("participants:partner_detail", pk=partner.pk)
    sensitive = services.can_see_sensitive(request.user)
    # The form works on a copy: validating a bound model form writes into its instance,
    # and the page's heading must keep naming the record as saved.
    form = forms.PartnerForm(request.POST or None, instance=copy(partner), sensitive=sensitive)
    changed = submit(request, form, lambda data: services.partner_update(
        partner=partner, data=data, by=request.user))
    if changed is not None:
        if changed:
            messages.success(request, f"{partner.full_name}'s details have been saved.")
        else:
            messages.info(request, "Nothing was changed.")
        return redirect("participants:partner_detail", pk=partner.pk)
    return render(request, "participants/partner_form.html", {"form": form, "partner": partner})


@require_POST
@staff_required
def partner_status(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    form = forms.StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The status was not changed: " + " ".join(
            message for errors in form.errors.values() for message in errors))
        return redirect("participants:partner_detail", pk=partner.pk)
    act(request, lambda: services.partner_change_status(partner=partner, by=request.user,
                                                        **form.cleaned_data),
        lambda change: f"{partner.full_name} is now {change.get_to_status_display().lower()}.",
        refused="The status was not changed: ")
    return redirect(f"{reverse('participants:partner_detail', args=[partner.pk])}#status-heading")


# Suggestions for a partner field (participants/partner_field.py) as staff type. `list` is the
# id of the box they go in, so each option gets an id the text box can point to.
LIST_ID = re.compile(r"^[A-Za-z][\w-]{0,80}$")


@staff_required
def partner_suggest(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "current")
    if scope not in partner_field.SCOPES:
        raise Http404("No such list of partners.")
    list_id = request.GET.get("list", "")
    text = request.GET.get("q", "").strip()[:partner_field.TEXT_MAX]
    return render(request, "participants/_partner_suggestions.html", {
        "partners": partner_field.suggestions(scope, text),
        "list_id": list_id if LIST_ID.match(list_id) else "partner_suggestions",
        "text": text,
        "searched": len(text) >= 2,
    })


def _simple_list(request: HttpRequest, queryset, template: str) -> HttpResponse:
    return render(request, template, {"page_obj": paginate(request, queryset)})


@staff_required
def access_need_list(request: HttpRequest) -> HttpResponse:
    needs = AccessNeed.objects.annotate(partner_count=Count("partners")).order_by("order", "name")
    return _simple_list(request, needs, "participants/access_need_list.html")


def _access_need_form(request: HttpRequest, access_need: AccessNeed | None) -> HttpResponse:
    form = forms.AccessNeedForm(request.POST or None, instance=copy(access_need))
    if submit(request, form, lambda data: (
            services.access_need_create(**data, by=request.user) if access_need is None
            else services.access_need_update(access_need=access_need, **data, by=request.user))):
        messages.success(request, f"“{form.cleaned_data['name'].strip()}” has been saved.")
        return redirect("participants:access_need_list")
    return render(request, "participants/access_need_form.html", {"form": form, "access_need": access_need})


@staff_required
def access_need_create(request: HttpRequest) -> HttpResponse:
    return _access_need_form(request, None)


@staff_required
def access_need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _access_need_form(request, get_object_or_404(AccessNeed, pk=pk))


@staff_required
def area_list(request: HttpRequest) -> HttpResponse:
    areas = LivedExperienceArea.objects.annotate(partner_count=Count("partners")).order_by("name")
    return _simple_list(request, areas, "participants/area_list.html")


def _area_form(request: HttpRequest, area: LivedExperienceArea | None) -> HttpResponse:
    form = forms.LivedExperienceAreaForm(request.POST or None, instance=copy(area))
    if submit(request, form, lambda data: (
            services.lived_experience_area_create(name=data["name"], by=request.user) if area is None
            else services.lived_experience_area_update(area=area, name=data["name"], by=request.user))):
        messages.success(request, f"“{form.cleaned_data['name'].strip()}” has been saved.")
        return redirect("participants:area_list")
    return render(request, "participants/area_form.html", {"form": form, "area": area})


@staff_required
def area_create(request: HttpRequest) -> HttpResponse:
    return _area_form(request, None)


@staff_required
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _area_form(request, get_object_or_404(LivedExperienceArea, pk=pk))


# --- Consent and training ---------------------------------------------------
# The partner's own "My details", "My consent" and "My training" pages, and the
# staff pages for consent wordings, a partner's consents, courses and who is due.

# What happens when a partner agrees or stops agreeing, said to the partner.
CONSENT_EFFECTS = {
    ConsentStatement.Topic.DATA: {
        "agree": "we can keep your details so that we can invite you to things and pay you.",
        "withdraw": "we will stop using your details to invite you to things. We still keep records of "
                    "payments because the law says we must.",
    },
    ConsentStatement.Topic.PHOTOS: {
        "agree": "we can use photos of you from meetings and events.",
        "withdraw": "we will not use photos of you from now on.",
    },
    ConsentStatement.Topic.QUOTES: {
        "agree": "we can quote what you say in reports, without your name.",
        "withdraw": "we will not quote what you say in any new report.",
    },
    ConsentStatement.Topic.CONTACT: {
        "agree": "we can contact you about meetings, opportunities and payments.",
        "withdraw": "we will not contact you. You can still contact us, and agree again here at any time.",
    },
}
# What staff must not do while a consent is not in force.
CONSENT_RESTRICTIONS = {
    ConsentStatement.Topic.DATA: "No agreement to keep their data",
    ConsentStatement.Topic.PHOTOS: "No photos",
    ConsentStatement.Topic.QUOTES: "No quotes",
    ConsentStatement.Topic.CONTACT: "Do not contact",
}

def _consent_rows(partner: Partner) -> list[dict]:
    """One row per topic, in the topics' own order: the wording in use, the
    partner's agreement to it (if in force) and any agreement to older words."""
    statements = {s.topic: s for s in ConsentStatement.objects.latest()}
    in_force = list(Consent.objects.in_force().filter(partner=partner).select_related("statement"))
    rows = []
    for topic, label in ConsentStatement.Topic.choices:
        statement = statements.get(topic)
        if statement is None:
            continue
        consent = next((c for c in in_force if c.statement_id == statement.pk), None)
        earlier = next((c for c in in_force if c.statement.topic == topic and c.statement_id != statement.pk),
                       None)
        rows.append({"topic": topic, "label": label, "statement": statement, "consent": consent,
                     "earlier": earlier, "effects": CONSENT_EFFECTS[topic],
                     "restriction": None if consent else CONSENT_RESTRICTIONS[topic]})
    return rows


def _training_due_for(people: list, *, field: str, courses: list[Course]) -> dict[int, list[dict]]:
    """For each person (partners, or staff users when `field` is "user"), the
    required courses they have no completion that counts for, each with their
    latest completion if any. Two queries' worth of data, worked out here."""
    if not people or not courses:
        return {person.pk: [] for person in people}
    soon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    records = (TrainingRecord.objects.filter(**{f"{field}__in": people, "course__in": courses})
               .with_state().order_by("completed_on", "pk"))
    latest, counting = {}, set()
    for record in records:
        key = (getattr(record, f"{field}_id"), record.course_id)
        latest[key] = record
        if record.expires_on is None or record.expires_on > soon:
            counting.add(key)
    return {
        person.pk: [{"course": course, "record": latest.get((person.pk, course.pk))}
                    for course in courses if (person.pk, course.pk) not in counting]
        for person in people
    }


# Partner self-service ----------------------------------------------------------


def _own_partner(request: HttpRequest) -> Partner:
    partner = partner_for(request.user)
    if partner is None or partner.is_erased:
        raise Http404("No partner record.")
    return partner


def get_consent_for_user(request: HttpRequest, pk: int) -> Consent:
    """One of the signed-in partner's own consents, or 404."""
    return get_object_or_404(Consent.objects.select_related("statement"), pk=pk,
                             partner=_own_partner(request))


@partner_required
def my_details(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    return render(request, "participants/my_details.html", {
        "partner": partner, "access_needs": partner.access_needs.all(),
    })


@partner_required
def my_details_edit(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    form = forms.MyDetailsForm(request.POST or None, instance=partner)
    return form_page(request, form, lambda data: services.partner_update_own_details(
        partner=partner, data=data, by=request.user), success="Thank you. Your details are saved.",
        done="participants:my_details", template="participants/my_details_form.html")


@partner_required
def my_reminders(request: HttpRequest) -> HttpResponse:
    """How and how far ahead the partner wants to be reminded of meetings."""
    partner = _own_partner(request)
    form = forms.MyRemindersForm(request.POST or None, instance=partner)
    # Notices sent to them, not those to staff about them (a lazy queryset: read only when shown).
    notices = (Notice.objects.filter(Q(user__isnull=True) | Q(user=partner.user_id), partner=partner)
               .order_by("-created_at", "-pk")[:NOTICES_SHOWN])
    return form_page(request, form, lambda data: services.partner_update_own_details(
        partner=partner, data=data, by=request.user),
        success="Thank you. We will remind you the way you chose.", done="participants:my_details",
        template="participants/my_reminders.html",
        context={"usual": usual_reminder_words(), "notices": notices})


@partner_required
def my_consent(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    return render(request, "participants/my_consent.html", {"rows": _consent_rows(partner)})


@partner_required
@require_POST
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(ConsentStatement, pk=pk)
    partner = _own_partner(request)
    act(request, lambda: services.consent_give(partner=partner, statement=statement, by=request.user),
        f"Thank you. You agreed to “{statement.get_topic_display()}”: "
        f"{CONSENT_EFFECTS[statement.topic]['agree']}")
    return redirect("participants:my_consent")


@partner_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_consent_for_user(request, pk)
    act(request, lambda: services.consent_withdraw(consent=consent, by=request.user),
        f"You no longer agree to “{consent.statement.get_topic_display()}”: "
        f"{CONSENT_EFFECTS[consent.statement.topic]['withdraw']}")
    return redirect("participants:my_consent")


@partner_required
def my_training(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    required = list(Course.objects.filter(required_for_partners=True))
    return render(request, "participants/my_training.html", {
        "partner": partner,
        "records": partner.training.for_list(),
        "to_do": _training_due_for([partner], field="partner", courses=required)[partner.pk],
        "link_worker": partner.link_worker,
    })


def portal_next_steps(partner: Partner) -> dict:
    """What the partner's home page asks them to look at next."""
    rows = _consent_rows(partner)
    required = list(Course.objects.filter(required_for_partners=True))
    return {
        "consents_to_review": [row for row in rows if row["earlier"] and not row["consent"]],
        "consents_not_given": [row for row in rows if not row["earlier"] and not row["consent"]],
        "training_to_do": _training_due_for([partner], field="partner", courses=required)[partner.pk],
    }


# Staff: consent -------------------------------------------------------------------


CONSENT_FILTERS = {
    "": "Everyone",
    "yes": "Agrees",
    "no": "Does not agree",
}


@staff_required
def consent_statement_list(request: HttpRequest) -> HttpResponse:
    statements = list(ConsentStatement.objects.with_agreed_count().order_by("topic", "-version"))
    order = {topic: i for i, topic in enumerate(ConsentStatement.Topic.values)}
    statements.sort(key=lambda s: (order[s.topic], -s.version))
    latest_version = {}
    for statement in statements:
        latest_version.setdefault(statement.topic, statement.version)
    current = [s for s in statements if s.version == latest_version[s.topic]]
    earlier = [s for s in statements if s.version != latest_version[s.topic]]

    topic = request.GET.get("topic", "")
    answer = request.GET.get("answer", "")
    # Everyone whose data is still held, including those who have left: their words may be in reports.
    partners = Partner.objects.filter(erased_at__isnull=True).annotate(**consent_annotations()).only(
        "full_name", "preferred_name", "status")
    if topic in ConsentStatement.Topic.values and answer in ("yes", "no"):
        partners = partners.filter(**{f"agrees_{topic}": answer == "yes"})
    else:
        topic, answer = "", ""
    page = paginate(request, partners)
    for partner in page:
        partner.answers = [
            {"label": label, "agrees": getattr(partner, f"agrees_{value}"),
             "agreed_before": getattr(partner, f"agreed_before_{value}")}
            for value, label in ConsentStatement.Topic.choices
        ]
    return render(request, "participants/consent_statement_list.html", {
        "current": current, "earlier": earlier, "page_obj": page, "topics": ConsentStatement.Topic.choices,
        "topic": topic, "answer": answer, "answers": CONSENT_FILTERS,
        "filtered": bool(topic),
    })


@staff_required
def consent_statement_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    topic = request.GET.get("topic")
    if topic in ConsentStatement.Topic.values:
        current = ConsentStatement.objects.current(topic)
        initial = {"topic": topic, "wording": current.wording if current else ""}
    form = forms.ConsentStatementForm(request.POST or None, initial=initial)
    statement = submit(request, form, lambda data: services.consent_statement_publish(
        topic=data["topic"], wording=data["wording"], by=request.user))
    if statement is not None:
        messages.success(request, f"Published {statement}. Partners are asked to agree to the new words.")
        return redirect("participants:consent_statement_list")
    return render(request, "participants/consent_statement_form.html", {"form": form})


def get_consent_partner_for_user(request: HttpRequest, pk: int) -> Partner:
    """A partner whose consents staff look after (not erased), or 404. Staff only."""
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(Partner.objects.select_related("user"), pk=pk, erased_at__isnull=True)


@staff_required
def partner_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's consents; staff record agreement or withdrawal for them."""
    partner = get_consent_partner_for_user(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "give":
                statement = get_object_or_404(ConsentStatement, pk=request.POST.get("statement") or 0)
                services.consent_give(partner=partner, statement=statement, by=request.user)
                messages.success(request, f"Recorded: {partner} agrees to “{statement.get_topic_display()}”.")
            elif action == "withdraw":
                consent = get_object_or_404(partner.consents.select_related("statement"),
                                            pk=request.POST.get("consent") or 0)
                services.consent_withdraw(consent=consent, by=request.user)
                messages.success(request, f"Recorded: {partner} no longer agrees to "
                                          f"“{consent.statement.get_topic_display()}”.")
            else:
                messages.error(request, "Choose to record an agreement or a withdrawal.")
        except ValidationError as error:
            messages.error(request, refusal(error))
        return redirect("participants:partner_consent", pk=partner.pk)
    rows = _consent_rows(partner)
    return render(request, "participants/partner_consent.html", {
        "partner": partner, "rows": rows,
        "restrictions": [row["restriction"] for row in rows if row["restriction"]],
        "consents": partner.consents.for_list(),
    })


# Staff: training ------------------------------------------------------------------


def get_course_for_user(request: HttpRequest, pk: int) -> Course:
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(Course, pk=pk)


def get_training_record_for_user(request: HttpRequest, pk: int) -> TrainingRecord:
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(TrainingRecord.objects.for_list(), pk=pk)


@staff_required
def course_list(request: HttpRequest) -> HttpResponse:
    return render(request, "participants/course_list.html",
                  {"courses": Course.objects.with_counts(), "due_soon_days": DUE_SOON_DAYS})


@staff_required
def course_create(request: HttpRequest) -> HttpResponse:
    form = forms.CourseForm(request.POST or None)
    return form_page(request, form, lambda data: services.course_create(data=data, by=request.user),
                     success=lambda course: f"Added the course “{course}”.",
                     done=lambda course: redirect("participants:course_detail", pk=course.pk),
                     template="participants/course_form.html", context={"course": None})


@staff_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request, pk)
    form = forms.CourseForm(request.POST or None, instance=course)
    done = submit(request, form, lambda data: services.course_update(
        course=course, data=data, by=request.user))
    if done is not None:
        messages.success(request, f"Saved the course “{course}”.")
        return redirect("participants:course_detail", pk=course.pk)
    return render(request, "participants/course_form.html",
                  {"form": form, "course": Course.objects.get(pk=course.pk)})


@staff_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_for_user(request, pk)
    return render(request, "participants/course_detail.html", {
        "course": course,
        "records": paginate(request, course.records.for_list(), param="done_page"),
        "partners_due": paginate(request, course.partners_due().select_related("service"), param="due_page"),
        "staff_due": paginate(request, course.staff_due(), param="staff_page"),
    })


@staff_required
def training_record_create(request: HttpRequest) -> HttpResponse:
    initial = {"completed_on": timezone.localdate()}
    for name in ("course", "partner", "user"):
        if request.GET.get(name, "").isdigit():
            initial[name] = int(request.GET[name])
    form = forms.TrainingRecordForm(request.POST or None, initial=initial)
    record = submit(request, form, lambda data: services.training_record(
        course=data["course"], partner=data["partner"], user=data["user"], completed_on=data["completed_on"],
        by=request.user))
    if record is not None:
        who = record.partner or record.user
        messages.success(request, f"Recorded: {who} completed “{record.course}” on "
                                  f"{record.completed_on:%-d %B %Y}.")
        return redirect("participants:course_detail", pk=record.course_id)
    return render(request, "participants/training_record_form.html", {"form": form})


@staff_required
def training_record_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_training_record_for_user(request, pk)
    if request.method == "POST":
        services.training_record_delete(record=record, by=request.user)
        messages.success(request, f"Removed the record of {record.partner or record.user} "
                                  f"completing “{record.course}”.")
        return redirect("participants:course_detail", pk=record.course_id)
    return render(request, "participants/training_record_delete.html", {"record": record})


@staff_required
def training_due(request: HttpRequest) -> HttpResponse:
    partner_courses = list(Course.objects.filter(required_for_partners=True))
    staff_courses = list(Course.objects.filter(required_for_staff=True))
    partners = paginate(request, Partner.objects.current().training_due().select_related("service"))
    staff = paginate(request, _staff_due(staff_courses), param="staff_page")
    due = _training_due_for(list(partners), field="partner", courses=partner_courses)
    for partner in partners:
        partner.due_courses = due[partner.pk]
    due = _training_due_for(list(staff), field="user", courses=staff_courses)
    for person in staff:
        person.due_courses = due[person.pk]
    return render(request, "participants/training_due.html", {
        "partners": partners, "staff": staff, "partner_courses": partner_courses,
        "staff_courses": staff_courses, "due_soon_days": DUE_SOON_DAYS,
    })


def _staff_due(courses: list[Course]):
    """Active staff members missing a completion that counts of any of `courses`."""
    users = get_user_model().objects.filter(is_staff_member=True, is_active=True)
    if not courses:
        return users.none()
    missing = Q()
    for course in courses:
        missing |= ~Exists(TrainingRecord.objects.counting().filter(course=course, user=OuterRef("pk")))
    return users.filter(missing)


# --- Data protection ---
# Everything held about a partner (on screen, as a JSON file, as a PDF) and erasure.
# Staff export any partner; a partner exports only their own record. Erasure needs
# the participants.delete_partner permission as well as the staff role.


def get_partner_for_data_protection(request: HttpRequest, pk: int) -> Partner:
    """A partner record for the staff data-protection pages; anyone but staff gets 404."""
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(Partner.objects.select_related("erased_by"), pk=pk)


def _export_context(partner: Partner, *, sensitive: bool) -> dict:
    export = data_protection.partner_export(partner, sensitive=sensitive)
    return {"partner": partner, "export": export, "sections": data_protection.readable_sections(export)}


def _json_download(export: dict, filename: str) -> JsonResponse:
    response = JsonResponse(export, encoder=DjangoJSONEncoder,
                            json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@staff_required
def partner_export(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_data_protection(request, pk)
    context = _export_context(partner, sensitive=services.can_see_sensitive(request.user))
    context["can_erase"] = services.can_erase(request.user) and not partner.is_erased
    return render(request, "participants/partner_export.html", context)


@never_cache
@staff_required
def partner_export_json(request: HttpRequest, pk: int) -> JsonResponse:
    partner = get_partner_for_data_protection(request, pk)
    export = data_protection.partner_export(partner, sensitive=services.can_see_sensitive(request.user))
    return _json_download(export, f"partner-{partner.pk}-data.json")


@require_POST
@staff_required
def partner_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_data_protection(request, pk)
    report = services.partner_export_pdf_request(partner=partner, by=request.user)
    return redirect("coprod:report_detail", pk=report.pk)


@never_cache
@staff_required
def partner_erase(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_data_protection(request, pk)
    if not services.can_erase(request.user):
        raise PermissionDenied
    form = forms.EraseForm(request.POST or None)
    done = submit(request, form, lambda data: services.partner_erase(
        partner=partner, by=request.user, confirm_name=data["confirm_name"]))
    if done is not None:
        messages.success(request, f"Their personal data has been erased. The record is now "
                                  f"“Erased partner {partner.pk}”.")
        return redirect("participants:partner_detail", pk=partner.pk)
    return render(request, "participants/partner_erase.html", {"partner": partner, "form": form})


def _my_data_page(request: HttpRequest, partner: Partner, form: forms.ErasureRequestForm) -> HttpResponse:
    context = _export_context(partner, sensitive=True)
    context["form"] = form
    context["asked_on"] = (
        StatusChange.objects.filter(partner=partner, note=services.ERASURE_REQUEST_NOTE)
        .order_by("-changed_at").values_list("changed_at", flat=True).first()
    )
    return render(request, "participants/my_data.html", context)


@never_cache
@partner_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _my_data_page(request, partner_for(request.user), forms.ErasureRequestForm())


@never_cache
@partner_required
def my_data_json(request: HttpRequest) -> JsonResponse:
    export = data_protection.partner_export(partner_for(request.user), sensitive=True)
    return _json_download(export, "my-information.json")


@require_POST
@partner_required
def my_data_pdf(request: HttpRequest) -> HttpResponse:
    report = services.partner_export_pdf_request(partner=partner_for(request.user), by=request.user)
    return redirect("coprod:report_detail", pk=report.pk)


@require_POST
@partner_required
def my_data_erasure_request(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    form = forms.ErasureRequestForm(request.POST)
    done = submit(request, form, lambda data: services.partner_request_erasure(
        partner=partner, by=request.user, message=data["message"],
        review_url=request.build_absolute_uri(reverse("participants:partner_erase", args=[partner.pk]))))
    if done is not None:
        messages.success(request, "Thank you. We have your request to delete your information. "
                                  "Someone from the team will be in touch within a month.")
        return redirect("participants:my_data")
    messages.error(request, "Your request has not been sent yet: please look at the form at the end "
                            "of this page.")
    return _my_data_page(request, partner, form)
