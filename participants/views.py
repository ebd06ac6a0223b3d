import re
from copy import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
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
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from coprod.web import act_on_form
from coprod.web import create_and_edit
from coprod.web import form_page
from coprod.web import paginate
from coprod.web import submit
from coprod.web import turn_away

from . import audit
from . import data_protection
from . import filters
from . import forms
from . import partner_field
from . import rules
from . import sections
from . import services
from .contact import usual_reminder_words
from .models import CONSENT_EFFECTS
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
from .tables import AccessNeedTable
from .tables import ConsentAnswerTable
from .tables import CourseTable
from .tables import InvitationTable
from .tables import LivedExperienceAreaTable
from .tables import PartnerTable
from .tables import StaffTrainingDueTable
from .tables import TrainingDueTable

# The partner page lists this many of the latest e-mails to or about them.
EMAILS_SHOWN = 10
NOTICES_SHOWN = 10


@partner_required
def portal_home(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    next_steps = sections.sections_for(sections.PORTAL_NEXT_STEPS, partner)
    asks = partner.next_steps()
    return render(request, "participants/portal_home.html", {
        "partner": partner, **asks,
        "topics_to_review": _listed([row["label"] for row in asks["consents_to_review"]], either=False),
        "topics_not_given": _listed([row["label"] for row in asks["consents_not_given"]], either=True),
        "courses_to_do": ", ".join(item["course"].name for item in asks["training_to_do"]),
        "sections": sections.sections_for(sections.PORTAL_HOME, partner),
        "next_steps": next_steps,
        "waiting": any(section["items"] for section in next_steps),
    })


def _listed(labels: list[str], *, either: bool) -> str:
    """Consent topics in a sentence: “photos”, “quotes in reports” and (or) “being contacted”."""
    quoted = [f"“{label.lower()}”" for label in labels]
    if len(quoted) < 2:
        return "".join(quoted)
    words = {"earlier": ", ".join(quoted[:-1]), "last": quoted[-1]}
    return (_("%(earlier)s or %(last)s") if either else _("%(earlier)s and %(last)s")) % words


# --- Invitations ------------------------------------------------------------


def _staff_get(request: HttpRequest, queryset, **lookup):
    """One row of `queryset` for staff; anyone else gets 404 (besides the view's decorator)."""
    if not is_staff_member(request.user):
        raise Http404
    return get_object_or_404(queryset, **lookup)


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
    filters = [("", _("All"), sum(counts.values()))] + [
        (value, Invitation.state_label(value), counts[value]) for value in Invitation.STATES
    ]
    table = InvitationTable(Invitation.objects.for_list().in_state(state))
    if download := table_response(request, table, filename="invitations"):
        return download
    return render(request, "participants/invitation_list.html", {
        "state": state, "state_label": Invitation.state_label(state), "filters": filters, "table": table,
        "page_obj": table.page,
    })


@staff_required
def invitation_create(request: HttpRequest) -> HttpResponse:
    partner = _invitable_partner(request)
    form = forms.InvitationForm(request.POST if request.method == "POST" else None, partner=partner)
    done = (reverse("participants:partner_detail", args=[partner.pk]) if partner is not None
            else f"{reverse('participants:invitation_list')}?state=pending")
    return form_page(request, form, lambda data: services.invitation_create_and_send(
        **data, partner=partner, by=request.user, request_or_base_url=request),
        success=lambda sent: _("Invitation sent to %(name)s at %(email)s. The link works until %(date)s.") % {
            "name": sent.full_name, "email": sent.email, "date": _until(sent)},
        done=done, template="participants/invitation_form.html", context={"partner": partner})


def _invitation_button(action, success):
    """A button on an invitation (re-send, revoke): run `action(request, invitation)`, say how
    it went (`success(result)`), and go back to the page the button was on."""

    @require_POST
    @staff_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        invitation = _staff_get(request, Invitation.objects.for_list(), pk=pk)
        act(request, lambda: action(request, invitation), success)
        return _back_to(request, reverse("participants:invitation_list"))

    return view


invitation_resend = _invitation_button(
    lambda request, invitation: services.invitation_resend(
        invitation=invitation, by=request.user, request_or_base_url=request),
    lambda sent: _("A new e-mail with the link was sent to %(email)s. The link works until %(date)s.") % {
        "email": sent.email, "date": _until(sent)})
invitation_revoke = _invitation_button(
    lambda request, invitation: services.invitation_revoke(invitation=invitation, by=request.user),
    lambda revoked: _("Invitation to %(email)s revoked: the link no longer works.") % {
        "email": revoked.email})


@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open to everyone holding the link. Expired, revoked or used links answer 410
    Gone with what to do next, and create nothing."""
    invitation = get_object_or_404(Invitation.objects.select_related("created_by"), token=token)
    situation = invitation.situation_for(request.user)
    context = {"invitation": invitation, "situation": situation}
    if situation in ("expired", "revoked", "accepted"):
        return render(request, "participants/invitation_gone.html", context, status=410)
    form, user = None, None
    if situation == "new_login":
        form = forms.AcceptInvitationForm(request.POST if request.method == "POST" else None,
                                          invitation=invitation)
        user = submit(request, form, lambda data: services.invitation_accept(
            invitation=invitation, password=form.password, by=request.user))
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"{_welcome(user, invitation)} {_NEXT_TIME[form.password is not None]}")
    elif situation == "add_role" and request.method == "POST":
        user = act(request, lambda: services.invitation_accept(invitation=invitation, password=None,
                                                               by=request.user),
                   lambda user: _welcome(user, invitation))
        if user is None:
            return redirect(request.path)
    if user is not None:
        return redirect("home")
    return render(request, "participants/invitation_accept.html", {**context, "form": form})


_ACCEPTED = {
    Invitation.Role.PARTNER: gettext_lazy("This is your own page."),
    Invitation.Role.TRUSTEE: gettext_lazy("You can now read the dashboard and governance reports."),
    Invitation.Role.STAFF: gettext_lazy("You can now use the staff portal."),
}
def _welcome(user, invitation: Invitation) -> str:
    return _("Welcome, %(name)s! %(next)s") % {
        "name": user.get_short_name(), "next": _ACCEPTED[invitation.role]}


_NEXT_TIME = {
    True: gettext_lazy("Next time, sign in with your e-mail address and password."),
    False: gettext_lazy("Next time, choose “E-mail me a sign-in code” on the sign-in page."),
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
    sensitive = rules.can_see_sensitive(request.user)
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
    sensitive = rules.can_see_sensitive(request.user)
    form = forms.PartnerCreateForm(request.POST or None, sensitive=sensitive)
    return form_page(request, form, lambda data: services.partner_create(
        data={name: value for name, value in data.items() if name != "status"}, status=data["status"],
        by=request.user), success=lambda partner: _("%(name)s has been added.") % {"name": partner.full_name},
        done=lambda partner: redirect("participants:partner_detail", pk=partner.pk),
        template="participants/partner_form.html", context={"partner": None})


@staff_required
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    sensitive = rules.can_see_sensitive(request.user)
    return render(request, "participants/partner_detail.html", {
        "partner": partner,
        "sensitive": sensitive,
        "access_needs": partner.access_needs.all() if sensitive else None,
        "lived_experience": partner.lived_experience.all() if sensitive else None,
        "status_changes": partner.status_changes.select_related("changed_by"),
        "status_form": forms.StatusChangeForm(current=partner.status),
        "training": partner.training.select_related("course"),
        "consent_rows": ConsentStatement.objects.rows_for(partner),
        "changes": audit.partner_changes(partner, sensitive=sensitive),
        "changes_shown": audit.CHANGES_SHOWN,
        "emails": OutgoingEmail.objects.about(partner)[:EMAILS_SHOWN],
        "notices": Notice.objects.filter(partner=partner).for_log()[:NOTICES_SHOWN],
        "emails_shown": EMAILS_SHOWN,
        "sections": sections.sections_for(sections.STAFF_PARTNER_PAGE, partner),
        "default_language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE],
    })


@staff_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    if partner.is_erased:
        return turn_away(request, _("This partner's details were erased; they can no longer be changed."),
                         "participants:partner_detail", pk=partner.pk)
    sensitive = rules.can_see_sensitive(request.user)
    # The form works on a copy: validating a bound model form writes into its instance,
    # and the page's heading must keep naming the record as saved.
    form = forms.PartnerForm(request.POST or None, instance=copy(partner), sensitive=sensitive)
    changed = submit(request, form, lambda data: services.partner_update(
        partner=partner, data=data, by=request.user))
    if changed is not None:
        if changed:
            messages.success(request, _("%(name)s's details have been saved.") % {"name": partner.full_name})
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("participants:partner_detail", pk=partner.pk)
    return render(request, "participants/partner_form.html", {"form": form, "partner": partner})


@require_POST
@staff_required
def partner_status(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_partner_for_user(request, pk)
    form = forms.StatusChangeForm(request.POST)
    act_on_form(request, form,
                lambda data: services.partner_change_status(partner=partner, by=request.user, **data),
                lambda change: _("%(name)s is now %(status)s.") % {
                    "name": partner.full_name, "status": change.get_to_status_display().lower()},
                refused=_("The status was not changed: "))
    # Back to the status part of the page once the form was filled in, to its top otherwise.
    anchor = "#status-heading" if form.is_valid() else ""
    return redirect(reverse("participants:partner_detail", args=[partner.pk]) + anchor)


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


@staff_required
def access_need_list(request: HttpRequest) -> HttpResponse:
    needs = AccessNeed.objects.annotate(partner_count=Count("partners")).order_by("order", "name")
    table = AccessNeedTable(needs)
    if download := table_response(request, table, filename="access-needs"):
        return download
    return render(request, "participants/access_need_list.html", {"table": table, "page_obj": table.page})


def _word_form(request: HttpRequest, form_class, instance, name: str, save) -> HttpResponse:
    """Add or change an access need or a lived-experience area (`name`): the same page for both."""
    form = form_class(request.POST or None, instance=copy(instance))
    return form_page(request, form, save,
                     success=lambda saved: _("“%(name)s” has been saved.") % {"name": saved.name},
                     done=f"participants:{name}_list",
                     template=f"participants/{name}_form.html", context={name: instance})


def _access_need_form(request: HttpRequest, access_need: AccessNeed | None) -> HttpResponse:
    return _word_form(request, forms.AccessNeedForm, access_need, "access_need", lambda data: (
        services.access_need_create(**data, by=request.user) if access_need is None
        else services.access_need_update(access_need=access_need, **data, by=request.user)))


access_need_create, access_need_edit = create_and_edit(
    _access_need_form, lambda request, pk: get_object_or_404(AccessNeed, pk=pk))


@staff_required
def area_list(request: HttpRequest) -> HttpResponse:
    areas = LivedExperienceArea.objects.annotate(partner_count=Count("partners")).order_by("name")
    table = LivedExperienceAreaTable(areas)
    if download := table_response(request, table, filename="lived-experience-areas"):
        return download
    return render(request, "participants/area_list.html", {"table": table, "page_obj": table.page})


def _area_form(request: HttpRequest, area: LivedExperienceArea | None) -> HttpResponse:
    return _word_form(request, forms.LivedExperienceAreaForm, area, "area", lambda data: (
        services.lived_experience_area_create(name=data["name"], by=request.user) if area is None
        else services.lived_experience_area_update(area=area, name=data["name"], by=request.user)))


area_create, area_edit = create_and_edit(
    _area_form, lambda request, pk: get_object_or_404(LivedExperienceArea, pk=pk))


# --- Consent and training ---------------------------------------------------
# The partner's own "My details", "My consent" and "My training" pages, and the
# staff pages for consent wordings, a partner's consents, courses and who is due.

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
        "default_language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE],
    })


@partner_required
def my_details_edit(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    form = forms.MyDetailsForm(request.POST or None, instance=partner)

    def saved(changed: list[str]) -> str:
        # A language they have just chosen is used at once, from this message on.
        if "language" in changed and partner.language:
            translation.activate(partner.language)
        return _("Thank you. Your details are saved.")

    return form_page(request, form, lambda data: services.partner_update_own_details(
        partner=partner, data=data, by=request.user), success=saved,
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
        success=_("Thank you. We will remind you the way you chose."), done="participants:my_details",
        template="participants/my_reminders.html",
        context={"usual": usual_reminder_words(), "notices": notices})


@partner_required
def my_consent(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    rows = ConsentStatement.objects.rows_for(partner)
    return render(request, "participants/my_consent.html", {"rows": rows})


@partner_required
@require_POST
def consent_give(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(ConsentStatement, pk=pk)
    partner = _own_partner(request)
    act(request, lambda: services.consent_give(partner=partner, statement=statement, by=request.user),
        _("Thank you. You agreed to “%(topic)s”: %(effect)s") % {
            "topic": statement.get_topic_display(), "effect": CONSENT_EFFECTS[statement.topic]["agree"]})
    return redirect("participants:my_consent")


@partner_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_consent_for_user(request, pk)
    act(request, lambda: services.consent_withdraw(consent=consent, by=request.user),
        _("You no longer agree to “%(topic)s”: %(effect)s") % {
            "topic": consent.statement.get_topic_display(),
            "effect": CONSENT_EFFECTS[consent.statement.topic]["withdraw"]})
    return redirect("participants:my_consent")


@partner_required
def my_training(request: HttpRequest) -> HttpResponse:
    partner = _own_partner(request)
    return render(request, "participants/my_training.html", {
        "partner": partner,
        "records": partner.training.for_list(),
        "to_do": partner.training_to_do(),
        "link_worker": partner.link_worker,
    })


# Staff: consent -------------------------------------------------------------------


CONSENT_FILTERS = {
    "": gettext_lazy("Everyone"),
    "yes": gettext_lazy("Agrees"),
    "no": gettext_lazy("Does not agree"),
}


@staff_required
def consent_statement_list(request: HttpRequest) -> HttpResponse:
    current, earlier = ConsentStatement.objects.current_and_earlier()

    topic = request.GET.get("topic", "")
    answer = request.GET.get("answer", "")
    # Everyone whose data is still held, including those who have left: their words may be in reports.
    partners = Partner.objects.filter(erased_at__isnull=True).annotate(**consent_annotations()).only(
        "full_name", "preferred_name", "status")
    if topic in ConsentStatement.Topic.values and answer in ("yes", "no"):
        partners = partners.filter(**{f"agrees_{topic}": answer == "yes"})
    else:
        topic, answer = "", ""
    table = ConsentAnswerTable(partners)
    if download := table_response(request, table, filename="consent"):
        return download
    return render(request, "participants/consent_statement_list.html", {
        "current": current, "earlier": earlier, "table": table, "page_obj": table.page,
        "topics": ConsentStatement.Topic.choices, "topic": topic, "answer": answer,
        "answers": CONSENT_FILTERS, "filtered": bool(topic),
    })


@staff_required
def consent_statement_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    topic = request.GET.get("topic")
    if topic in ConsentStatement.Topic.values:
        current = ConsentStatement.objects.current(topic)
        initial = {"topic": topic, "wording": current.wording if current else "",
                   "wording_cy": current.wording_cy if current else ""}
    form = forms.ConsentStatementForm(request.POST or None, initial=initial)
    return form_page(request, form, lambda data: services.consent_statement_publish(
        topic=data["topic"], wording=data["wording"], wording_cy=data.get("wording_cy", ""), by=request.user),
        success=lambda statement: _("Published %(statement)s. Partners are asked to agree to the new "
                                    "words.") % {
            "statement": statement},
        done="participants:consent_statement_list", template="participants/consent_statement_form.html")


@staff_required
def consent_statement_welsh(request: HttpRequest, pk: int) -> HttpResponse:
    """The Welsh version of a wording: the same words, so nobody has to agree again."""
    statement = _staff_get(request, ConsentStatement.objects.all(), pk=pk)
    form = forms.ConsentWelshForm(request.POST or None, initial={"wording_cy": statement.wording_cy})
    return form_page(request, form, lambda data: services.consent_statement_set_welsh(
        statement=statement, wording_cy=data["wording_cy"], by=request.user),
        success=lambda changed: _("The Welsh version of the wording has been saved.") if changed
        else _("Nothing was changed."),
        done="participants:consent_statement_list", template="participants/consent_statement_welsh.html",
        context={"statement": statement})


@staff_required
def partner_consent(request: HttpRequest, pk: int) -> HttpResponse:
    """A partner's consents; staff record agreement or withdrawal for them."""
    partner = _staff_get(request, Partner.objects.select_related("user"), pk=pk,
                         erased_at__isnull=True)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "give":
            statement = get_object_or_404(ConsentStatement, pk=request.POST.get("statement") or 0)
            act(request, lambda: services.consent_give(partner=partner, statement=statement, by=request.user),
                _("Recorded: %(partner)s agrees to “%(topic)s”.") % {
                    "partner": partner, "topic": statement.get_topic_display()})
        elif action == "withdraw":
            consent = get_object_or_404(partner.consents.select_related("statement"),
                                        pk=request.POST.get("consent") or 0)
            act(request, lambda: services.consent_withdraw(consent=consent, by=request.user),
                _("Recorded: %(partner)s no longer agrees to “%(topic)s”.") % {
                    "partner": partner, "topic": consent.statement.get_topic_display()})
        else:
            messages.error(request, _("Choose to record an agreement or a withdrawal."))
        return redirect("participants:partner_consent", pk=partner.pk)
    rows = ConsentStatement.objects.rows_for(partner)
    return render(request, "participants/partner_consent.html", {
        "partner": partner, "rows": rows,
        "restrictions": [row["restriction"] for row in rows if row["restriction"]],
        "consents": partner.consents.for_list(),
    })


# Staff: training ------------------------------------------------------------------


@staff_required
def course_list(request: HttpRequest) -> HttpResponse:
    table = CourseTable(Course.objects.with_counts().order_by("name"))
    if download := table_response(request, table, filename="courses"):
        return download
    return render(request, "participants/course_list.html",
                  {"table": table, "page_obj": table.page, "due_soon_days": DUE_SOON_DAYS})


def _course_form(request: HttpRequest, course: Course | None) -> HttpResponse:
    # The form works on a copy, so the heading keeps naming the course as saved.
    form = forms.CourseForm(request.POST or None, instance=copy(course))
    return form_page(request, form, lambda data: (
        services.course_create(data=data, by=request.user) if course is None
        else services.course_update(course=course, data=data, by=request.user)),
        success=lambda saved: (_("Added the course “%(course)s”.") if course is None
                               else _("Saved the course “%(course)s”.")) % {"course": saved},
        done=lambda saved: redirect("participants:course_detail", pk=saved.pk),
        template="participants/course_form.html", context={"course": course})


course_create, course_edit = create_and_edit(
    _course_form, lambda request, pk: _staff_get(request, Course, pk=pk))


@staff_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = _staff_get(request, Course, pk=pk)
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
    return form_page(request, form, lambda data: services.training_record(
        course=data["course"], partner=data["partner"], user=data["user"], completed_on=data["completed_on"],
        by=request.user), success=lambda record: _("Recorded: %(person)s completed “%(course)s” on "
                                                   "%(date)s.") % {
            "person": record.partner or record.user, "course": record.course,
            "date": date_format(record.completed_on, "j F Y")},
        done=lambda record: redirect("participants:course_detail", pk=record.course_id),
        template="participants/training_record_form.html")


@staff_required
def training_record_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = _staff_get(request, TrainingRecord.objects.for_list(), pk=pk)
    if request.method == "POST":
        act(request, lambda: services.training_record_delete(record=record, by=request.user),
            _("Removed the record of %(person)s completing “%(course)s”.") % {
                "person": record.partner or record.user, "course": record.course})
        return redirect("participants:course_detail", pk=record.course_id)
    return render(request, "participants/training_record_delete.html", {"record": record})


@staff_required
def training_due(request: HttpRequest) -> HttpResponse:
    partner_courses = Course.objects.filter(required_for_partners=True)
    staff_courses = Course.objects.filter(required_for_staff=True)
    table = TrainingDueTable(Partner.objects.current().training_due().select_related("service"),
                             courses=partner_courses)
    if download := table_response(request, table, filename="training-due"):
        return download
    # Staff due are a second table on the page, sorted, paged and downloaded on their own
    # (`?staff-sort=`, `?staff-page=`, `?staff-export=`).
    staff_table = StaffTrainingDueTable(
        get_user_model().objects.missing_training(list(staff_courses)),
        courses=staff_courses, field="user", prefix="staff-")
    if download := table_response(request, staff_table, filename="staff-training-due"):
        return download
    return render(request, "participants/training_due.html", {
        "table": table, "page_obj": table.page, "staff_table": staff_table,
        "partner_courses": partner_courses, "staff_courses": staff_courses, "due_soon_days": DUE_SOON_DAYS,
    })


# --- Data protection ---
# Everything held about a partner (on screen, as a JSON file, as a PDF) and erasure.
# Staff export any partner; a partner exports only their own record. Erasure needs
# the participants.delete_partner permission as well as the staff role.


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
    partner = _staff_get(request, Partner.objects.select_related("erased_by"), pk=pk)
    context = _export_context(partner, sensitive=rules.can_see_sensitive(request.user))
    context["can_erase"] = rules.can_erase(request.user) and not partner.is_erased
    return render(request, "participants/partner_export.html", context)


@never_cache
@staff_required
def partner_export_json(request: HttpRequest, pk: int) -> JsonResponse:
    partner = _staff_get(request, Partner.objects.select_related("erased_by"), pk=pk)
    export = data_protection.partner_export(partner, sensitive=rules.can_see_sensitive(request.user))
    return _json_download(export, f"partner-{partner.pk}-data.json")


@require_POST
@staff_required
def partner_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _pdf_of(request, _staff_get(request, Partner.objects.select_related("erased_by"), pk=pk))


def _pdf_of(request: HttpRequest, partner: Partner) -> HttpResponse:
    """Ask for a PDF of everything held about `partner` and show where it will be."""
    report = services.partner_export_pdf_request(partner=partner, by=request.user)
    return redirect("coprod:report_detail", pk=report.pk)


@never_cache
@staff_required
def partner_erase(request: HttpRequest, pk: int) -> HttpResponse:
    partner = _staff_get(request, Partner.objects.select_related("erased_by"), pk=pk)
    if not rules.can_erase(request.user):
        raise PermissionDenied
    form = forms.EraseForm(request.POST or None)
    return form_page(request, form, lambda data: services.partner_erase(
        partner=partner, by=request.user, confirm_name=data["confirm_name"]),
        success=_("Their personal data has been erased. The record is now “Erased partner %(number)s”.") % {
            "number": partner.pk},
        done=reverse("participants:partner_detail", args=[partner.pk]),
        template="participants/partner_erase.html", context={"partner": partner})


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
    return _pdf_of(request, partner_for(request.user))


@require_POST
@partner_required
def my_data_erasure_request(request: HttpRequest) -> HttpResponse:
    partner = partner_for(request.user)
    form = forms.ErasureRequestForm(request.POST)
    done = submit(request, form, lambda data: services.partner_request_erasure(
        partner=partner, by=request.user, message=data["message"],
        review_url=request.build_absolute_uri(reverse("participants:partner_erase", args=[partner.pk]))))
    if done is not None:
        messages.success(request, _("Thank you. We have your request to delete your information. "
                                  "Someone from the team will be in touch within a month."))
        return redirect("participants:my_data")
    messages.error(request, _("Your request has not been sent yet: please look at the form at the end "
                            "of this page."))
    return _my_data_page(request, partner, form)
