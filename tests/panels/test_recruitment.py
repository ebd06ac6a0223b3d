"""Recruitment rounds, their stages and who took part; the rolling-12-month
involvement rate against the organisation's target."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coprod import kpis
from coprod.models import Organisation
from coprod.periods import Period
from panels import services
from panels.models import RecruitmentRound
from panels.models import RecruitmentStage
from panels.models import StageParticipant
from tests.coprod.factories import ServiceFactory
from tests.helpers import assert_queries_bounded
from tests.panels.factories import RecruitmentRoundFactory
from tests.panels.factories import RecruitmentStageFactory
from tests.panels.factories import StageParticipantFactory
from tests.participants.factories import PartnerFactory
from tests.participants.factories import StaffFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _closed(days_ago: int, *, involved: bool, on=TODAY, **fields) -> RecruitmentRound:
    """A round that closed `days_ago` days before `on`, with a partner on its interview if `involved`."""
    closes = on - datetime.timedelta(days=days_ago)
    round_ = RecruitmentRoundFactory(opens_on=closes - datetime.timedelta(days=30), closes_on=closes,
                                     **fields)
    stage = RecruitmentStageFactory(round=round_, kind="interview")
    StageParticipantFactory(stage=stage, partner=None, user=StaffFactory())
    if involved:
        StageParticipantFactory(stage=stage)
    return round_


# --- The involvement rate ---


def test_no_rounds_gives_no_rate_rather_than_nought():
    assert RecruitmentRound.objects.involvement(on=TODAY) == (0, 0, None)


def test_no_rounds_yet_is_said_on_the_list_not_zero_per_cent(staff_client):
    page = staff_client.get(reverse("panels:recruitment_list")).content.decode()
    assert "No rounds yet" in page
    assert ">0%<" not in page and "0.0%" not in page


def test_every_round_involved_is_one_hundred_per_cent():
    _closed(10, involved=True)
    _closed(100, involved=True)
    assert RecruitmentRound.objects.involvement(on=TODAY) == (2, 2, Decimal("100.0"))


def test_rate_is_involved_rounds_over_all_rounds_to_one_decimal_place():
    for days in (5, 50, 150):
        _closed(days, involved=True)
    _closed(20, involved=False)
    _closed(30, involved=False)
    _closed(40, involved=False)
    assert RecruitmentRound.objects.involvement(on=TODAY) == (3, 6, Decimal("50.0"))
    _closed(60, involved=False)
    assert RecruitmentRound.objects.involvement(on=TODAY) == (3, 7, Decimal("42.9"))


def test_a_partner_only_on_a_cancelled_stage_does_not_make_a_round_involved():
    round_ = _closed(10, involved=False)
    cancelled = RecruitmentStageFactory(round=round_, kind="partner_panel", cancelled=True)
    StageParticipantFactory(stage=cancelled)
    assert RecruitmentRound.objects.involvement(on=TODAY) == (0, 1, Decimal("0.0"))
    assert not RecruitmentRound.objects.with_involvement().get().involved


def test_only_staff_on_every_stage_is_not_involved():
    _closed(10, involved=False)
    assert RecruitmentRound.objects.involvement(on=TODAY)[0] == 0


def test_rounds_that_closed_more_than_twelve_months_ago_are_left_out():
    _closed(10, involved=False)
    _closed(400, involved=True)
    assert RecruitmentRound.objects.involvement(on=TODAY) == (0, 1, Decimal("0.0"))


def test_the_twelve_month_window_at_its_edges():
    _closed(364, involved=True)  # the oldest day still counted
    _closed(365, involved=True)  # a year ago to the day: left out
    _closed(0, involved=False)  # closed today: counted
    _closed(-1, involved=True)  # closes tomorrow: not yet
    assert RecruitmentRound.objects.involvement(on=TODAY) == (1, 2, Decimal("50.0"))
    # A day later the oldest round drops out.
    assert RecruitmentRound.objects.involvement(on=TODAY + datetime.timedelta(days=1)) == (
        1, 2, Decimal("50.0"))
    assert RecruitmentRound.objects.involvement(on=TODAY + datetime.timedelta(days=2))[1] == 2


def test_the_rate_can_be_taken_for_one_service():
    housing = ServiceFactory(name="Housing")
    _closed(10, involved=True, service=housing)
    _closed(10, involved=False)
    assert RecruitmentRound.objects.involvement(on=TODAY, service=housing) == (1, 1, Decimal("100.0"))
    assert RecruitmentRound.objects.involvement(on=TODAY) == (1, 2, Decimal("50.0"))


def test_the_rate_is_one_aggregate_query(django_assert_num_queries):
    _closed(10, involved=True)
    with django_assert_num_queries(1):
        RecruitmentRound.objects.involvement(on=TODAY)


def test_a_partner_on_the_interview_panel_moves_the_rate_on_the_list(staff_client):
    today = timezone.localdate()
    _closed(5, involved=True, on=today)
    round_ = _closed(10, involved=False, on=today)
    interview = round_.stages.get()
    assert "50%" in staff_client.get(reverse("panels:recruitment_list")).content.decode()
    staff_client.post(reverse("panels:stage_participant_add", args=[interview.pk]),
                      {"partner": PartnerFactory().pk})
    page = staff_client.get(reverse("panels:recruitment_list")).content.decode()
    assert "100%" in page and "2 of 2 rounds" in page and "Met" in page


# --- Rounds, stages and who took part ---


def test_a_round_cannot_close_before_it_opens(staff_client, staff):
    with pytest.raises(ValidationError) as error:
        services.recruitment_round_create(post_title="Adviser", opens_on=TODAY,
                                          closes_on=TODAY - datetime.timedelta(days=1), by=staff)
    assert "cannot close before it opens" in str(error.value.message_dict["closes_on"])
    response = staff_client.post(reverse("panels:recruitment_create"), {
        "post_title": "Adviser", "opens_on": "2026-06-15", "closes_on": "2026-06-01",
    })
    assert response.status_code == 200
    assert "The round cannot close before it opens." in response.content.decode()
    assert not RecruitmentRound.objects.exists()


def test_a_round_is_recorded_with_its_planned_stages(staff_client, staff):
    response = staff_client.post(reverse("panels:recruitment_create"), {
        "post_title": "Housing adviser", "opens_on": "2026-05-01", "closes_on": "2026-06-01",
        "stages": ["interview", "shortlisting"],
    })
    round_ = RecruitmentRound.objects.get()
    assert response.url == reverse("panels:recruitment_detail", args=[round_.pk])
    assert list(round_.stages.values_list("kind", flat=True).order_by("pk")) == ["shortlisting", "interview"]
    assert round_.created_by == staff


def test_the_closing_date_cannot_move_before_a_stage_that_was_held(staff):
    round_ = RecruitmentRoundFactory(opens_on=TODAY - datetime.timedelta(days=40), closes_on=TODAY)
    RecruitmentStageFactory(round=round_, kind="interview", held_on=TODAY - datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="after this closing date"):
        services.recruitment_round_update(round_=round_, post_title=round_.post_title,
                                          opens_on=round_.opens_on,
                                          closes_on=TODAY - datetime.timedelta(days=5), by=staff)


def test_the_same_partner_twice_on_a_stage_is_refused(staff_client, staff):
    participant = StageParticipantFactory()
    with pytest.raises(ValidationError, match="already recorded"):
        services.stage_participant_add(stage=participant.stage, partner=participant.partner, by=staff)
    response = staff_client.post(reverse("panels:stage_participant_add", args=[participant.stage_id]),
                                 {"partner": participant.partner_id}, follow=True)
    assert "already recorded on this stage" in response.content.decode()
    assert StageParticipant.objects.count() == 1


def test_the_same_staff_member_twice_on_a_stage_is_refused(staff):
    stage = RecruitmentStageFactory()
    services.stage_participant_add(stage=stage, user=staff, by=staff)
    with pytest.raises(ValidationError, match="already recorded"):
        services.stage_participant_add(stage=stage, user=staff, by=staff)


def test_choose_a_partner_or_a_staff_member_not_both(staff_client, staff):
    stage = RecruitmentStageFactory()
    response = staff_client.post(reverse("panels:stage_participant_add", args=[stage.pk]),
                                 {"partner": PartnerFactory().pk, "user": staff.pk}, follow=True)
    assert "Choose either a partner or a member of staff" in response.content.decode()
    assert not StageParticipant.objects.exists()


def test_nobody_can_be_added_to_a_cancelled_stage(staff):
    stage = RecruitmentStageFactory(cancelled=True)
    with pytest.raises(ValidationError, match="cancelled"):
        services.stage_participant_add(stage=stage, partner=PartnerFactory(), by=staff)


def test_cancelling_the_only_stage_with_a_partner_makes_the_round_not_involved(staff_client):
    round_ = _closed(3, involved=True, on=timezone.localdate())
    interview = round_.stages.get()
    staff_client.post(reverse("panels:recruitment_stage_cancel", args=[interview.pk]), {"cancelled": "1"})
    assert not RecruitmentRound.objects.with_involvement().get().involved
    staff_client.post(reverse("panels:recruitment_stage_cancel", args=[interview.pk]), {"cancelled": "0"})
    assert RecruitmentRound.objects.with_involvement().get().involved


def test_adding_a_stage_again_changes_its_date_and_keeps_one_stage(staff_client):
    round_ = RecruitmentRoundFactory()
    url = reverse("panels:recruitment_stage_add", args=[round_.pk])
    staff_client.post(url, {"kind": "interview", "held_on": (round_.closes_on - datetime.timedelta(days=3))})
    staff_client.post(url, {"kind": "interview", "held_on": (round_.closes_on - datetime.timedelta(days=2))})
    stage = RecruitmentStage.objects.get()
    assert stage.held_on == round_.closes_on - datetime.timedelta(days=2)


def test_a_stage_after_the_round_closed_is_refused(staff_client):
    round_ = RecruitmentRoundFactory()
    response = staff_client.post(reverse("panels:recruitment_stage_add", args=[round_.pk]), {
        "kind": "interview", "held_on": (round_.closes_on + datetime.timedelta(days=1)).isoformat(),
    }, follow=True)
    assert "a stage cannot be held after it" in response.content.decode()
    assert not RecruitmentStage.objects.exists()


def test_removing_a_participant_is_kept_in_the_history(staff_client, staff):
    participant = StageParticipantFactory()
    staff_client.post(reverse("panels:stage_participant_remove", args=[participant.pk]))
    assert not StageParticipant.objects.exists()
    deletion = StageParticipant.history.filter(history_type="-").get()
    assert deletion.history_user == staff


# --- The target ---


def test_the_target_is_between_nought_and_one_hundred(staff_client):
    response = staff_client.post(reverse("panels:involvement_target"), {"target": "120"})
    assert response.status_code == 200
    assert Organisation.current().recruitment_involvement_target == Decimal("85")
    response = staff_client.post(reverse("panels:involvement_target"), {"target": "90"})
    assert response.status_code == 302
    assert Organisation.current().recruitment_involvement_target == Decimal("90")


def test_recruitment_list_runs_the_same_queries_for_10_or_100_rounds(staff_client):
    def add(count):
        for number in range(count):
            _closed(number % 300, involved=number % 2 == 0, on=timezone.localdate())

    add(10)
    assert_queries_bounded(staff_client, reverse("panels:recruitment_list"), lambda: add(90), most=12)


def test_round_page_runs_a_bounded_number_of_queries(staff_client):
    round_ = RecruitmentRoundFactory()
    stages = [RecruitmentStageFactory(round=round_, kind=kind) for kind in ("shortlisting", "interview")]

    def add(count):
        for stage in stages:
            for _ in range(count):
                StageParticipantFactory(stage=stage)

    add(2)
    assert_queries_bounded(staff_client, reverse("panels:recruitment_detail", args=[round_.pk]),
                           lambda: add(20), most=16)


def test_the_dashboards_services_table_shows_the_same_rate_as_the_recruitment_page():
    housing, advice = ServiceFactory(name="Housing"), ServiceFactory(name="Advice")
    _closed(10, involved=True, service=housing)
    _closed(20, involved=False, service=housing)
    _closed(30, involved=False, service=housing)
    _closed(10, involved=False, service=advice)
    period = Period(TODAY - datetime.timedelta(days=90), TODAY, "Last 90 days")
    table = {row["service"]: row["involvement"] for row in kpis.services_table(period)}
    assert (table[housing] == RecruitmentRound.objects.involvement(on=TODAY, service=housing)[2]
            == Decimal("33.3"))
    assert (table[advice] == RecruitmentRound.objects.involvement(on=TODAY, service=advice)[2]
            == Decimal("0.0"))
    assert RecruitmentRound.objects.involvement_by_service(on=TODAY) == {
        housing.pk: (1, 3, Decimal("33.3")), advice.pk: (0, 1, Decimal("0.0"))}
