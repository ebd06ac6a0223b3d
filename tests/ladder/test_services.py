"""Rules for rounds, answers, ladders, areas and actions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.utils import timezone

from ladder import services
from ladder.models import Action
from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Respondent
from ladder.models import Response
from ladder.models import Round
from participants.models import Consent
from participants.models import ConsentStatement

from ..participants.factories import PartnerFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..participants.factories import UserFactory
from .factories import LadderRoundFactory
from .factories import PartnerRespondentFactory
from .factories import StaffRespondentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _rung(round_, position):
    return round_.ladder.rungs.get(position=position)


@pytest.fixture
def round_():
    return LadderRoundFactory()


@pytest.fixture
def staff_member():
    return StaffFactory()


# --- Answers ---


def test_answering_an_area_again_changes_the_answer_instead_of_adding_one(round_):
    respondent = StaffRespondentFactory(round=round_)
    area = round_.ordered_areas()[0]
    services.response_save(respondent=respondent, area=area, rung=_rung(round_, 3), evidence="First",
                           by=respondent.user)
    services.response_save(respondent=respondent, area=area, rung=_rung(round_, 5), evidence="Second",
                           by=respondent.user)
    answer = Response.objects.get(respondent=respondent)
    assert answer.rung.position == 5
    assert answer.evidence == "Second"
    assert answer.history.count() == 2
    assert answer.history.first().history_user == respondent.user


def test_the_database_refuses_a_second_answer_for_the_same_area(round_):
    respondent = StaffRespondentFactory(round=round_)
    area = round_.ordered_areas()[0]
    Response.objects.create(respondent=respondent, area=area, rung=_rung(round_, 2))
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(respondent=respondent, area=area, rung=_rung(round_, 4))


def test_a_respondent_cannot_answer_after_the_closing_date(round_):
    respondent = StaffRespondentFactory(round=round_)
    round_.closes_on = TODAY() - timedelta(days=1)
    round_.save()
    with pytest.raises(ValidationError, match="closing date .* has passed"):
        services.response_save(respondent=respondent, area=round_.ordered_areas()[0], rung=_rung(round_, 4),
                               by=respondent.user)
    assert not Response.objects.exists()


def test_answers_are_still_taken_on_the_closing_date_itself(round_):
    respondent = StaffRespondentFactory(round=round_)
    round_.closes_on = TODAY()
    round_.save()
    services.response_save(respondent=respondent, area=round_.ordered_areas()[0], rung=_rung(round_, 4),
                           by=respondent.user)
    assert Response.objects.count() == 1


@pytest.mark.parametrize(("status", "message"), [(Round.Status.CLOSED, "has closed"),
                                                 (Round.Status.DRAFT, "not opened yet")])
def test_a_respondent_cannot_answer_a_closed_or_draft_round(round_, status, message):
    respondent = StaffRespondentFactory(round=round_)
    round_.status = status
    round_.save()
    with pytest.raises(ValidationError, match=message):
        services.response_save(respondent=respondent, area=round_.ordered_areas()[0], rung=_rung(round_, 4),
                               by=respondent.user)
    assert not Response.objects.exists()


def test_an_answer_must_use_the_rounds_ladder_and_areas(round_):
    respondent = StaffRespondentFactory(round=round_)
    other_ladder = Ladder.objects.exclude(pk=round_.ladder_id).first()
    with pytest.raises(ValidationError, match="this round's ladder"):
        services.response_save(respondent=respondent, area=round_.ordered_areas()[0],
                               rung=other_ladder.rungs.first(), by=respondent.user)
    small = LadderRoundFactory(areas=Area.objects.all()[:1])
    other = StaffRespondentFactory(round=small)
    with pytest.raises(ValidationError, match="not part of this round"):
        services.response_save(respondent=other, area=Area.objects.all()[3], rung=_rung(small, 4),
                               by=other.user)
    assert not Response.objects.exists()


def test_staff_entering_for_a_partner_is_recorded_as_on_their_behalf(round_, staff_member):
    respondent = PartnerRespondentFactory(round=round_, partner=PartnerFactory())
    answer = services.response_save(respondent=respondent, area=round_.ordered_areas()[0],
                                    rung=_rung(round_, 4), by=staff_member)
    assert answer.on_behalf
    assert answer.entered_by == staff_member


def test_a_partner_answering_themselves_is_not_on_behalf(round_):
    partner = PartnerWithLoginFactory()
    respondent = PartnerRespondentFactory(round=round_, partner=partner)
    answer = services.response_save(respondent=respondent, area=round_.ordered_areas()[0],
                                    rung=_rung(round_, 4), by=partner.user)
    assert not answer.on_behalf
    assert answer.entered_by == partner.user


def test_staff_cannot_change_an_answer_a_partner_gave_themselves(round_, staff_member):
    partner = PartnerWithLoginFactory()
    respondent = PartnerRespondentFactory(round=round_, partner=partner)
    area = round_.ordered_areas()[0]
    services.response_save(respondent=respondent, area=area, rung=_rung(round_, 2), by=partner.user)
    with pytest.raises(ValidationError, match="answered this area themselves"):
        services.response_save(respondent=respondent, area=area, rung=_rung(round_, 7), by=staff_member)
    assert Response.objects.get().rung.position == 2


def test_nobody_answers_for_another_staff_member_or_another_partner(round_, staff_member):
    colleague = StaffRespondentFactory(round=round_)
    with pytest.raises(ValidationError, match="cannot answer for this person"):
        services.response_save(respondent=colleague, area=round_.ordered_areas()[0], rung=_rung(round_, 4),
                               by=staff_member)
    partner_respondent = PartnerRespondentFactory(round=round_, partner=PartnerWithLoginFactory())
    another_partner = PartnerWithLoginFactory()
    with pytest.raises(ValidationError, match="cannot answer for this person"):
        services.response_save(respondent=partner_respondent, area=round_.ordered_areas()[0],
                               rung=_rung(round_, 4), by=another_partner.user)
    assert not Response.objects.exists()


# --- Rounds ---


def test_a_new_round_is_a_draft_on_the_current_ladder_with_its_invitees(staff_member):
    partner = PartnerFactory()
    areas = list(Area.objects.all()[:3])
    round_ = services.round_create(title=" Spring ", areas=areas, closes_on=TODAY() + timedelta(days=7),
                                   staff=[staff_member], partners=[partner], by=staff_member)
    assert round_.status == Round.Status.DRAFT
    assert round_.title == "Spring"
    assert round_.ladder == Ladder.current()
    assert set(round_.areas.all()) == set(areas)
    assert {(r.group, r.user_id, r.partner_id) for r in round_.respondents.all()} == {
        ("staff", staff_member.pk, None), ("partner", None, partner.pk)}
    assert round_.history.first().history_user == staff_member


@pytest.mark.parametrize(("change", "message"), [
    ({"closes_on": -1}, "cannot be in the past"),
    ({"areas": []}, "at least one co-production area"),
    ({"title": "  "}, "title"),
])
def test_a_round_with_bad_details_is_refused_and_nothing_is_saved(change, message, staff_member):
    data = {"title": "Spring", "areas": list(Area.objects.all()[:2]),
            "closes_on": TODAY() + timedelta(days=7)}
    if "closes_on" in change:
        data["closes_on"] = TODAY() + timedelta(days=change["closes_on"])
    else:
        data.update(change)
    with pytest.raises(ValidationError, match=message):
        services.round_create(**data, by=staff_member)
    assert not Round.objects.exists()


def test_only_staff_members_can_be_invited_as_staff(staff_member):
    with pytest.raises(ValidationError, match="not a staff member"):
        services.round_create(title="Spring", areas=Area.objects.all()[:1], closes_on=TODAY(),
                              staff=[UserFactory()], by=staff_member)
    assert not Round.objects.exists()


def test_opening_a_round_emails_staff_and_consenting_partners_with_a_login(
    staff_member, django_capture_on_commit_callbacks
):
    round_ = LadderRoundFactory(status=Round.Status.DRAFT)
    StaffRespondentFactory(round=round_, user=StaffFactory(email="colleague@example.test"))
    willing = PartnerWithLoginFactory(user__email="willing@example.test")
    contact = ConsentStatement.objects.get(topic="contact", version=1)
    Consent.objects.create(partner=willing, statement=contact)
    PartnerRespondentFactory(round=round_, partner=willing)
    unasked = PartnerWithLoginFactory(user__email="unasked@example.test")
    PartnerRespondentFactory(round=round_, partner=unasked)
    PartnerRespondentFactory(round=round_, partner=PartnerFactory(email="nologin@example.test"))

    with django_capture_on_commit_callbacks(execute=True):
        services.round_open(round=round_, by=staff_member, site_url="https://coprod.example.org/")
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert sorted(m.to[0] for m in mail.outbox) == ["colleague@example.test", "willing@example.test"]
    partner_mail = next(m for m in mail.outbox if m.to == ["willing@example.test"])
    assert f"https://coprod.example.org/my/ladder/{round_.pk}/" in partner_mail.body


def test_a_round_cannot_open_without_invitees_or_after_its_closing_date(staff_member):
    round_ = LadderRoundFactory(status=Round.Status.DRAFT)
    with pytest.raises(ValidationError, match="Invite at least one person"):
        services.round_open(round=round_, by=staff_member)
    StaffRespondentFactory(round=round_)
    Round.objects.filter(pk=round_.pk).update(closes_on=TODAY() - timedelta(days=1))
    with pytest.raises(ValidationError, match="closing date has passed"):
        services.round_open(round=round_, by=staff_member)
    round_.refresh_from_db()
    assert round_.status == Round.Status.DRAFT


def test_closing_a_round_publishes_it_and_stops_answers(round_, staff_member):
    respondent = StaffRespondentFactory(round=round_)
    services.round_close(round=round_, by=staff_member)
    round_.refresh_from_db()
    assert round_.is_published and round_.closed_by == staff_member and round_.closed_at
    with pytest.raises(ValidationError):
        services.round_close(round=round_, by=staff_member)
    with pytest.raises(ValidationError, match="has closed"):
        services.response_save(respondent=respondent, area=round_.ordered_areas()[0], rung=_rung(round_, 4),
                               by=respondent.user)


def test_areas_are_fixed_once_a_round_is_open(round_, staff_member):
    with pytest.raises(ValidationError, match="areas cannot change"):
        services.round_update(round=round_, title=round_.title, closes_on=round_.closes_on,
                              areas=round_.ordered_areas()[:1], by=staff_member)
    assert round_.areas.count() == Area.objects.active().count()


def test_someone_who_has_answered_stays_invited(round_, staff_member):
    respondent = StaffRespondentFactory(round=round_)
    Response.objects.create(respondent=respondent, area=round_.ordered_areas()[0], rung=_rung(round_, 3))
    with pytest.raises(ValidationError, match="already answered"):
        services.round_update(round=round_, title="New title", closes_on=round_.closes_on,
                              areas=round_.ordered_areas(), staff=[], by=staff_member)
    round_.refresh_from_db()
    assert round_.title != "New title"
    assert Respondent.objects.filter(pk=respondent.pk).exists()


def test_a_closed_round_cannot_be_changed(round_, staff_member):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    with pytest.raises(ValidationError, match="has closed"):
        services.round_update(round=round_, title="Other", closes_on=round_.closes_on,
                              areas=round_.ordered_areas(), by=staff_member)


# --- Ladders and areas ---


def test_exactly_one_ladder_is_current(staff_member):
    current = LadderRoundFactory().ladder
    other = Ladder.objects.exclude(pk=current.pk).get()
    services.ladder_make_current(ladder=other, by=staff_member)
    assert list(Ladder.objects.filter(is_current=True)) == [other]
    with pytest.raises(IntegrityError), transaction.atomic():
        Ladder.objects.filter(pk=current.pk).update(is_current=True)


def test_rewording_a_ladder_keeps_the_rungs_rounds_point_at(round_, staff_member):
    respondent = StaffRespondentFactory(round=round_)
    rung = _rung(round_, 5)
    answer = Response.objects.create(respondent=respondent, area=round_.ordered_areas()[0], rung=rung)
    services.ladder_update(ladder=round_.ladder, name="Our ladder", description="",
                           rungs={rung.pk: {"name": "Involving", "description": "We involve people.",
                                            "example": ""}}, by=staff_member)
    answer.refresh_from_db()
    assert answer.rung.pk == rung.pk and answer.rung.name == "Involving" and answer.rung.position == 5


def test_a_rung_without_a_name_is_refused(round_, staff_member):
    rung = _rung(round_, 2)
    with pytest.raises(ValidationError, match="Rung 2 needs a name"):
        services.ladder_update(ladder=round_.ladder, name="Renamed", description="",
                               rungs={rung.pk: {"name": " ", "description": "x"}}, by=staff_member)
    round_.ladder.refresh_from_db()
    assert round_.ladder.name != "Renamed"


def test_a_rung_used_by_a_round_cannot_be_deleted(round_):
    respondent = StaffRespondentFactory(round=round_)
    Response.objects.create(respondent=respondent, area=round_.ordered_areas()[0], rung=_rung(round_, 1))
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        _rung(round_, 1).delete()


def test_area_names_are_unique_whatever_the_case(staff_member):
    with pytest.raises(ValidationError, match="already an area"):
        services.area_create(name="recruitment", by=staff_member)
    area = services.area_create(name="Advocacy", description="Speaking up together", order=9, by=staff_member)
    assert area.is_active


# --- Actions ---


def test_a_next_step_becomes_an_action_in_its_round_and_area(round_, staff_member):
    respondent = PartnerRespondentFactory(round=round_, partner=PartnerFactory())
    step = Response.objects.create(respondent=respondent, area=round_.ordered_areas()[0],
                                   rung=_rung(round_, 3), next_step="Send papers a week ahead")
    action = services.action_create(area=step.area, description=step.next_step, owner=staff_member,
                                    due_on=TODAY() + timedelta(days=30), source=step, by=staff_member)
    assert action.round == round_ and action.source == step
    with pytest.raises(ValidationError, match="same area"):
        services.action_create(area=round_.ordered_areas()[1], description="x", owner=staff_member,
                               due_on=TODAY(), source=step, by=staff_member)


def test_an_action_needs_a_staff_owner(staff_member):
    with pytest.raises(ValidationError, match="staff member who owns"):
        services.action_create(area=Area.objects.first(), description="Do it", owner=UserFactory(),
                               due_on=TODAY(), by=staff_member)
    assert not Action.objects.exists()


def test_overdue_means_open_and_past_its_due_date(staff_member):
    area = Area.objects.first()
    late = services.action_create(area=area, description="Late", owner=staff_member,
                                  due_on=TODAY() - timedelta(days=1), by=staff_member)
    services.action_create(area=area, description="Done late", owner=staff_member,
                           due_on=TODAY() - timedelta(days=1), status=Action.Status.DONE, by=staff_member)
    services.action_create(area=area, description="Due today", owner=staff_member, due_on=TODAY(),
                           by=staff_member)
    assert list(Action.objects.overdue()) == [late]
    assert [a.description for a in Action.objects.overdue_first()][0] == "Late"
