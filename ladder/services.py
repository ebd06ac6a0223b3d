"""Every change to ladders, areas, rounds, answers and actions goes through here."""

import logging
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coprod import bounds
from coprod import notify
from coprod.changes import model_create
from coprod.changes import model_delete
from coprod.changes import model_save
from coprod.changes import model_update
from coprod.i18n import in_language
from coprod.roles import is_staff_member
from panels.models import Decision
from panels.models import Panel
from participants.contact import contact_addresses
from participants.contact import email_partner
from participants.models import Partner

from .models import Action
from .models import Area
from .models import Ladder
from .models import Respondent
from .models import Response
from .models import Round
from .models import Rung
from .results import AreaPosition
from .results import positions_of
from .results import round_results
from .rules import can_enter_for
from .rules import require_ladder_staff

logger = logging.getLogger(__name__)


# --- Ladders and areas ---


@transaction.atomic
def ladder_update(*, ladder: Ladder, name: str, description: str, rungs: dict[int, dict], by) -> Ladder:
    """Rename a ladder and reword its rungs (`rungs`: {rung pk: {"name", "description", "example"}}).

    Rungs keep their positions: rounds already run point at the same rungs."""
    require_ladder_staff(by)
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the ladder a name."))
    if Ladder.objects.filter(name__iexact=name).exclude(pk=ladder.pk).exists():
        raise ValidationError(_("There is already a ladder called “%(name)s”.") % {"name": name})
    own = {rung.pk: rung for rung in ladder.rungs.all()}
    if set(rungs) - set(own):
        raise ValidationError(_("Those rungs are not on this ladder."))
    for pk, fields in rungs.items():
        for field in ("name", "description"):
            if not fields.get(field, "").strip():
                raise ValidationError({"name": _("Rung %(position)s needs a name."),
                                       "description": _("Rung %(position)s needs a description.")}[field]
                                      % {"position": own[pk].position})
    ladder.name, ladder.description = name, description
    model_save(ladder, by=by, update_fields=["name", "description"])
    for pk, fields in rungs.items():
        wording = {f: fields.get(f, "").strip() for f in ("name", "description", "example")}
        model_update(instance=own[pk], data=wording, by=by)
    return ladder


@transaction.atomic
def ladder_make_current(*, ladder: Ladder, by) -> Ladder:
    """Make this the ladder new rounds use; exactly one ladder is current."""
    require_ladder_staff(by)
    if not ladder.rungs.exists():
        raise ValidationError(_("A ladder without rungs cannot be the current one."))
    for other in Ladder.objects.select_for_update().filter(is_current=True).exclude(pk=ladder.pk):
        model_update(instance=other, data={"is_current": False}, by=by)
    model_update(instance=ladder, data={"is_current": True}, by=by)
    return ladder


def _check_area(name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the area a name."))
    if Area.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ValidationError(_("There is already an area called “%(name)s”.") % {"name": name})
    return name


@transaction.atomic
def area_create(*, name: str, description: str = "", order: int = 0, by) -> Area:
    require_ladder_staff(by)
    return model_create(Area, by=by, name=_check_area(name), description=description, order=order)


@transaction.atomic
def area_update(*, area: Area, name: str, description: str, order: int, is_active: bool, by) -> Area:
    require_ladder_staff(by)
    model_update(instance=area, data={"name": _check_area(name, area.pk), "description": description,
                                      "order": order, "is_active": is_active}, by=by)
    return area


# --- Rounds ---


def _check_round(*, title: str, closes_on: date, areas: Iterable[Area], staff: Iterable,
                 partners: Iterable[Partner]) -> None:
    title = bounds.check_text("title", title, max_length=Round._meta.get_field("title").max_length)
    if not title:
        raise ValidationError(_("Give the round a title."))
    if not list(areas):
        raise ValidationError(_("Choose at least one co-production area."))
    if closes_on is None:
        raise ValidationError({"closes_on": _("Give the closing date.")})
    bounds.LADDER_CLOSES.check("closes_on", closes_on)
    for user in staff:
        if not is_staff_member(user):
            raise ValidationError(_("%(name)s is not a staff member.") % {"name": user})
    for partner in partners:
        if partner.is_erased:
            raise ValidationError(_("A partner whose record was erased cannot be invited."))


def _invite(round_: Round, *, staff: Iterable, partners: Iterable[Partner], by) -> None:
    """Add respondents; drop those no longer chosen, unless they have answered already."""
    staff, partners = list(staff), list(partners)
    current = list(round_.respondents.all())
    keep_users = {u.pk for u in staff}
    keep_partners = {p.pk for p in partners}
    for respondent in current:
        chosen = (respondent.user_id in keep_users) if respondent.group == Respondent.Group.STAFF \
            else (respondent.partner_id in keep_partners)
        if chosen or (respondent.user_id is None and respondent.partner_id is None):
            continue
        if respondent.responses.exists():
            raise ValidationError(_("%(name)s has already answered, so they stay invited.")
                                  % {"name": respondent.name})
        model_delete(respondent, by=by)
    have_users = {r.user_id for r in current}
    have_partners = {r.partner_id for r in current}
    for group, field, chosen, have in ((Respondent.Group.STAFF, "user", staff, have_users),
                                       (Respondent.Group.PARTNER, "partner", partners, have_partners)):
        for person in chosen:
            if person.pk not in have:
                model_create(Respondent, by=by, round=round_, group=group, invited_by=by, **{field: person})


@transaction.atomic
def round_create(*, title: str, areas: Iterable[Area], closes_on: date, service=None,
                 ladder: Ladder | None = None, staff: Iterable = (), partners: Iterable[Partner] = (),
                 by) -> Round:
    """A new round in draft, with the current ladder unless another is chosen."""
    require_ladder_staff(by)
    areas = list(areas)
    _check_round(title=title, closes_on=closes_on, areas=areas, staff=staff, partners=partners)
    ladder = ladder or Ladder.current()
    if ladder is None:
        raise ValidationError(_("There is no current ladder: choose one on the Ladders page first."))
    round_ = model_create(
        Round, by=by, title=title.strip(), ladder=ladder, service=service, closes_on=closes_on, created_by=by)
    round_.areas.set(areas)
    _invite(round_, staff=staff, partners=partners, by=by)
    return round_


@transaction.atomic
def round_update(*, round: Round, title: str, closes_on: date, areas: Iterable[Area],
                 staff: Iterable = (), partners: Iterable[Partner] = (), by) -> Round:
    """Change a draft or open round. Areas are fixed once the round has opened."""
    require_ladder_staff(by)
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status == Round.Status.CLOSED:
        raise ValidationError(_("This round has closed and can no longer be changed."))
    areas = list(areas)
    _check_round(title=title, closes_on=closes_on, areas=areas, staff=staff, partners=partners)
    if round_.status != Round.Status.DRAFT and {a.pk for a in areas} != {a.pk for a in round_.areas.all()}:
        raise ValidationError(_("The areas cannot change once the round is open."))
    round_.title, round_.closes_on = title.strip(), closes_on
    model_save(round_, by=by, update_fields=["title", "closes_on"])
    if round_.status == Round.Status.DRAFT:
        round_.areas.set(areas)
    _invite(round_, staff=staff, partners=partners, by=by)
    return round_


def _invitation_mail(round_: Round, site_url: str) -> int:
    """E-mail the people who can answer online and may be e-mailed: staff, and
    partners with a login who consent to being contacted, each in their own language.
    Answers how many were queued."""
    respondents = list(round_.respondents.select_related("user", "partner__user"))
    addresses = contact_addresses(respondent.partner for respondent in respondents if respondent.partner)
    base = site_url.rstrip("/")
    queued = 0
    for respondent in respondents:
        if respondent.group == Respondent.Group.STAFF and respondent.user and respondent.user.is_active:
            url = base + reverse("ladder:round_detail", args=[round_.pk])
            with in_language(respondent.user.language):
                subject, body = _invitation_words(round_, url, partner=None)
            queued += notify.email_queue(kind="ladder_round_opened", to=[respondent.user.email],
                                         user=respondent.user, subject=subject, body=body) is not None
        elif respondent.partner and respondent.partner.user and respondent.partner.pk in addresses:
            partner = respondent.partner
            url = base + reverse("ladder:my_round", args=[round_.pk])
            with in_language(partner.language):
                subject, body = _invitation_words(round_, url, partner=partner)
            queued += email_partner(partner, kind="ladder_round_opened", address=addresses[partner.pk],
                                    subject=subject, body=body) is not None
    return queued


def _invitation_words(round_: Round, url: str, *, partner: Partner | None) -> tuple[str, str]:
    """The subject and body of the e-mail inviting a member of staff (`partner` None) or a
    partner to answer, in the active language."""
    subject = _("Where are we on the ladder of co-production? %(title)s") % {"title": round_.title}
    closes = date_format(round_.closes_on, "j F Y")
    if partner is None:
        body = _("You are invited to the ladder self-assessment “%(title)s” (%(scope)s).\n\n"
                 "Please give your answers by %(date)s: %(url)s\n") % {
            "title": round_.title, "scope": round_.scope, "date": closes, "url": url}
        return subject, body
    body = _("Hello %(name)s,\n\n"
             "We would like to know where you think we are on the ladder of co-production: "
             "how much we really work with people who use our services.\n\n"
             "It takes about 10 minutes. You can stop and come back. "
             "Please answer by %(date)s.\n\n"
             "Sign in and choose “Ladder”: %(url)s\n\n"
             "If you would rather do it with someone from our team, just tell us.\n") % {
        "name": partner.display_name, "date": closes, "url": url}
    return subject, body


@transaction.atomic
def round_open(*, round: Round, by, site_url: str = "") -> Round:
    """Open a draft round for answers and e-mail the people who can be e-mailed
    (`site_url`, such as "https://coprod.example.org", begins the links in the e-mails)."""
    require_ladder_staff(by)
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.DRAFT:
        raise ValidationError(_("Only a draft round can be opened."))
    if round_.closes_on < timezone.localdate():
        raise ValidationError(_("The closing date has passed: change it before opening the round."))
    if not round_.areas.exists():
        raise ValidationError(_("Choose at least one area before opening the round."))
    if not round_.respondents.exists():
        raise ValidationError(_("Invite at least one person before opening the round."))
    model_update(instance=round_, data={"status": Round.Status.OPEN, "opened_at": timezone.now()}, by=by)
    queued = _invitation_mail(round_, site_url)
    logger.info("ladder round %s opened by %s; %s invitations e-mailed", round_.pk, by, queued)
    return round_


@transaction.atomic
def round_close(*, round: Round, by) -> Round:
    """Close an open round (early, or after its closing date): no more answers; results published."""
    require_ladder_staff(by)
    round_ = Round.objects.select_for_update().get(pk=round.pk)
    if round_.status != Round.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."))
    model_update(instance=round_, data={"status": Round.Status.CLOSED, "closed_at": timezone.now(),
                                        "closed_by": by}, by=by)
    return round_


# --- Answers ---


@transaction.atomic
def response_save(*, respondent: Respondent, area: Area, rung: Rung, evidence: str = "", next_step: str = "",
                  by) -> Response:
    """Save (or change) a respondent's answer for one area while the round accepts answers.

    One answer per person per area: answering again changes the answer. Staff may
    answer for a partner (recorded as entered on their behalf) but never change
    an answer the partner gave themselves."""
    round_ = Round.objects.select_for_update().get(pk=respondent.round_id)
    if round_.status == Round.Status.DRAFT:
        raise ValidationError(_("This round has not opened yet."))
    if round_.status == Round.Status.CLOSED:
        raise ValidationError(
            _("This round has closed, so answers can no longer be given or changed."))
    if timezone.localdate() > round_.closes_on:
        raise ValidationError(_("The closing date (%(date)s) has passed, so answers can no longer be "
                                "given or changed.") % {"date": date_format(round_.closes_on, "j F Y")})
    if not round_.areas.filter(pk=area.pk).exists():
        raise ValidationError(_("That area is not part of this round."))
    if rung.ladder_id != round_.ladder_id:
        raise ValidationError(_("Choose a rung of this round's ladder."))
    if not can_enter_for(respondent, by):
        raise ValidationError(_("You cannot answer for this person."))
    on_behalf = respondent.is_partner and (respondent.partner is None or respondent.partner.user_id != by.pk)
    response = Response.objects.select_for_update().filter(respondent=respondent, area=area).first()
    if response is not None and on_behalf and not response.on_behalf:
        raise ValidationError(_("%(name)s answered this area themselves; only they can change it.")
                                  % {"name": respondent.name})
    fields = {"rung": rung, "evidence": evidence.strip(), "next_step": next_step.strip(), "entered_by": by,
              "on_behalf": on_behalf, "updated_at": timezone.now()}
    if response is None:
        return model_create(Response, by=by, respondent=respondent, area=area, **fields)
    model_update(instance=response, data=fields, by=by)
    return response


# --- Action plan ---


def _check_action(*, description: str, owner, due_on: date | None, area: Area | None, status: str) -> None:
    if area is None:
        raise ValidationError(_("Choose the area this action is about."))
    if not bounds.check_text("description", description):
        raise ValidationError(_("Describe the action."))
    if owner is None or not is_staff_member(owner):
        raise ValidationError(_("Choose a staff member who owns this action."))
    if due_on is None:
        raise ValidationError(_("Give a due date."))
    bounds.ACTION_DUE.check("due_on", due_on)
    if status not in Action.Status.values:
        raise ValidationError(_("Choose a status."))


@transaction.atomic
def action_create(*, area: Area, description: str, owner, due_on: date,
                  status: str = Action.Status.NOT_STARTED, round: Round | None = None,
                  source: Response | None = None, panel: Panel | None = None,
                  decision: Decision | None = None, by) -> Action:
    """Add an action to the plan, perhaps turning a suggested next step into it."""
    require_ladder_staff(by)
    _check_action(description=description, owner=owner, due_on=due_on, area=area, status=status)
    if source is not None:
        if source.area_id != area.pk:
            raise ValidationError(_("The action must be in the same area as the next step it comes from."))
        round = round or source.respondent.round
        if source.respondent.round_id != round.pk:
            raise ValidationError(_("That next step comes from a different round."))
    return model_create(
        Action, by=by, area=area, description=description.strip(), owner=owner, due_on=due_on, status=status,
        round=round, source=source, panel=panel, decision=decision, created_by=by)


@transaction.atomic
def action_update(*, action: Action, area: Area, description: str, owner, due_on: date, status: str,
                  panel: Panel | None = None, decision: Decision | None = None, by) -> Action:
    require_ladder_staff(by)
    _check_action(description=description, owner=owner, due_on=due_on, area=area, status=status)
    model_update(instance=action, data={
        "area": area, "description": description.strip(), "owner": owner, "due_on": due_on, "status": status,
        "panel": panel, "decision": decision, "updated_at": timezone.now()}, by=by)
    return action


# --- For the dashboard ---


def latest_positions(service=None) -> list[AreaPosition]:
    """Where the organisation (or one service) sits per area after its latest closed round:
    staff and partner medians, everyone's median, the gap (staff − partners) and the change
    since the previous closed round of the same scope. Empty when no round has closed."""
    latest = Round.objects.closed().filter(service=service).with_scope().order_by("-closes_on", "-pk").first()
    if latest is None:
        return []
    return positions_of(round_results(latest, with_comments=False))
