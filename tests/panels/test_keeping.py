"""History is never deleted: logged decisions, the answers to a panel's points (and the
points and proposals they answer) stay. A decision logged by mistake is archived with a
reason instead, and a meeting that did not happen is recorded as such, with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from coprod import periods
from coprod.models import Organisation
from panels import kpis
from panels import services
from panels.models import Decision
from panels.models import FeedbackPoint
from panels.models import FeedbackResponse
from panels.models import Meeting
from panels.models import Proposal
from tests.helpers import assert_never_deleted
from tests.panels.factories import AttendanceFactory
from tests.panels.factories import DecisionFactory
from tests.panels.factories import FeedbackPointFactory
from tests.panels.factories import FeedbackResponseFactory
from tests.panels.factories import MeetingFactory
from tests.panels.factories import PanelFactory
from tests.panels.factories import ProposalFactory
from tests.participants.factories import TrusteeFactory
from tests.participants.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff_member=True))
    return client


@pytest.fixture
def answer():
    return FeedbackResponseFactory(outcome="accepted")


# --- Decisions -------------------------------------------------------------------------------


def test_a_decision_is_refused_by_the_model_the_database_and_the_admin(superuser_client):
    decision = DecisionFactory()
    assert_never_deleted(decision, refused="Archive it with a reason instead",
                         database="A logged decision is never deleted")
    url = reverse("admin:panels_decision_delete", args=[decision.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_what_shaped_a_decision_cannot_be_deleted_from_under_it():
    proposal = ProposalFactory()
    DecisionFactory(shaped_by_panel=proposal.panel, shaped_by_proposal=proposal, how_shaped="Asked for it.")
    with pytest.raises(ProtectedError):
        Proposal.objects.filter(pk=proposal.pk).delete()
    with pytest.raises(ProtectedError):
        proposal.panel.delete()


def test_archiving_records_who_when_and_why_and_takes_it_out_of_the_log(staff):
    decision = DecisionFactory(title="Logged twice")
    services.decision_archive(decision=decision, reason="Logged twice: see the one of 3 May.", by=staff)
    decision.refresh_from_db()
    assert decision.is_archived and decision.archived_by == staff
    assert decision.archive_reason == "Logged twice: see the one of 3 May."
    assert timezone.now() - decision.archived_at < datetime.timedelta(minutes=1)
    assert decision.history.first().history_change_reason == "Archived"
    assert decision.history.first().history_user == staff
    assert not Decision.objects.in_log().filter(pk=decision.pk).exists()
    with pytest.raises(ValidationError, match="already archived"):
        services.decision_archive(decision=decision, reason="Again", by=staff)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_archiving_without_a_usable_reason_is_refused_and_saves_nothing(staff, reason):
    decision = DecisionFactory()
    with pytest.raises(ValidationError) as error:
        services.decision_archive(decision=decision, reason=reason, by=staff)
    assert "reason" in error.value.message_dict
    decision.refresh_from_db()
    assert not decision.is_archived and decision.history.count() == 1


def test_only_staff_archive_a_decision():
    decision = DecisionFactory()
    with pytest.raises(Exception, match="Only staff"):
        services.decision_archive(decision=decision, reason="Mistake", by=TrusteeFactory())
    assert not Decision.objects.archived().exists()


def test_restoring_puts_it_back_and_its_history_keeps_the_archiving(staff):
    decision = DecisionFactory()
    services.decision_archive(decision=decision, reason="Mistake", by=staff)
    services.decision_restore(decision=decision, by=staff)
    decision.refresh_from_db()
    assert not decision.is_archived and decision.archive_reason == ""
    reasons = list(decision.history.values_list("history_change_reason", flat=True))
    assert reasons[:2] == ["Put back in the log", "Archived"]
    with pytest.raises(ValidationError, match="in the log already"):
        services.decision_restore(decision=decision, by=staff)


def test_the_log_hides_archived_decisions_unless_the_filter_asks(staff, staff_client):
    kept = DecisionFactory(title="Evening opening")
    gone = DecisionFactory(title="Typed by mistake")
    services.decision_archive(decision=gone, reason="Logged by mistake", by=staff)
    url = reverse("panels:decision_list")

    page = staff_client.get(url).content.decode()
    assert kept.title in page and gone.title not in page
    page = staff_client.get(url, {"archived": "include"}).content.decode()
    assert kept.title in page and gone.title in page and "Archived</span>" in page
    page = staff_client.get(url, {"archived": "only"}).content.decode()
    assert kept.title not in page and gone.title in page


def test_the_dashboard_and_the_shaped_share_leave_out_archived_decisions(staff):
    panel = PanelFactory()
    today = timezone.localdate()
    DecisionFactory(decided_on=today, shaped_by_panel=panel, how_shaped="The panel asked.")
    mistake = DecisionFactory(decided_on=today)
    period = periods.custom(today - datetime.timedelta(days=7), today)
    shaped = "Decisions shaped by lived experience"
    before = {f.label: f.value for f in kpis.decisions(period, None, Organisation.current())}
    assert before["Decisions logged"] == 2 and before[shaped] == Decimal("50.0")
    services.decision_archive(decision=mistake, reason="Logged by mistake", by=staff)
    after = {f.label: f.value for f in kpis.decisions(period, None, Organisation.current())}
    assert after["Decisions logged"] == 1 and after[shaped] == Decimal("100.0")


def test_staff_archive_from_the_decisions_page_with_a_reason(staff, staff_client):
    decision = DecisionFactory(title="Duplicate entry")
    detail = staff_client.get(reverse("panels:decision_detail", args=[decision.pk])).content.decode()
    archive_url = reverse("panels:decision_archive", args=[decision.pk])
    assert archive_url in detail

    response = staff_client.post(archive_url, {"reason": ""})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not Decision.objects.archived().exists()

    response = staff_client.post(archive_url, {"reason": "Logged twice"})
    assert response.status_code == 302
    detail = staff_client.get(reverse("panels:decision_detail", args=[decision.pk])).content.decode()
    assert "Archived on" in detail and "by Sam Staff: Logged twice" in detail
    assert reverse("panels:decision_restore", args=[decision.pk]) in detail

    staff_client.post(reverse("panels:decision_restore", args=[decision.pk]))
    assert Decision.objects.in_log().filter(pk=decision.pk).exists()


def test_trustees_read_why_a_decision_was_archived_but_cannot_archive(client, staff):
    decision = DecisionFactory()
    services.decision_archive(decision=decision, reason="Logged by mistake", by=staff)
    client.force_login(TrusteeFactory())
    page = client.get(reverse("panels:decision_detail", args=[decision.pk])).content.decode()
    assert "Logged by mistake" in page and "Put it back in the log" not in page
    assert client.post(reverse("panels:decision_restore", args=[decision.pk])).status_code == 403
    assert Decision.objects.archived().filter(pk=decision.pk).exists()


# --- "You said, we did" -------------------------------------------------------------------


def test_an_answer_is_refused_by_the_model_and_the_database(answer):
    assert_never_deleted(answer, refused="Change the answer instead",
                         database="An answer to a panel's point is never deleted")
    assert FeedbackResponse.objects.filter(pk=answer.pk).exists()


def test_an_answered_point_and_its_proposal_stay_and_unanswered_ones_can_go(answer, superuser_client):
    point, proposal = answer.point, answer.point.proposal
    with pytest.raises(ValidationError, match="This point has been answered"):
        point.delete()
    with pytest.raises(ValidationError, match="“you said, we did” is kept"):
        proposal.delete()
    with pytest.raises(ProtectedError):
        Proposal.objects.filter(pk=proposal.pk).delete()
    assert superuser_client.post(reverse("admin:panels_proposal_delete", args=[proposal.pk]),
                                 {"post": "yes"}).status_code == 403
    assert FeedbackPoint.objects.filter(pk=point.pk).exists()

    unanswered = FeedbackPointFactory(proposal=ProposalFactory())
    unanswered.proposal.delete()
    assert not FeedbackPoint.objects.filter(pk=unanswered.pk).exists()


# --- Meetings that did not take place ---------------------------------------------------------


def test_a_meeting_that_did_not_happen_is_recorded_with_the_reason(staff):
    meeting = MeetingFactory(days=-3)
    AttendanceFactory(meeting=meeting, status="invited")
    services.meeting_record_not_held(meeting=meeting, reason="The venue was flooded.", by=staff)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason == "The venue was flooded."
    assert meeting.cancelled_by == staff and meeting.cancelled_at is not None
    assert not Meeting.objects.held().filter(pk=meeting.pk).exists()
    assert meeting.history.first().history_change_reason == "Did not take place"


def test_a_meeting_people_attended_cannot_be_recorded_as_not_held(staff):
    meeting = MeetingFactory(days=-3)
    AttendanceFactory(meeting=meeting, status="attended", hours=Decimal("2"))
    with pytest.raises(ValidationError, match="The register shows 1 person attended"):
        services.meeting_record_not_held(meeting=meeting, reason="Mistake", by=staff)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED


@pytest.mark.parametrize(("days", "reason", "message"), [
    (3, "Too early", "has not started yet"),
    (-3, " ", "Say why the meeting did not take place"),
])
def test_not_held_is_refused_for_future_meetings_and_without_a_reason(staff, days, reason, message):
    meeting = MeetingFactory(days=days)
    with pytest.raises(ValidationError, match=message):
        services.meeting_record_not_held(meeting=meeting, reason=reason, by=staff)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED


def test_cancelling_a_future_meeting_records_who_and_when(staff):
    meeting = MeetingFactory(days=5)
    services.meeting_cancel(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    assert meeting.cancelled_by == staff and meeting.cancelled_at is not None and meeting.cancel_reason == ""


def test_staff_record_it_from_the_meetings_page(staff_client):
    meeting = MeetingFactory(days=-2)
    page = staff_client.get(reverse("panels:meeting_detail", args=[meeting.pk])).content.decode()
    url = reverse("panels:meeting_not_held", args=[meeting.pk])
    assert url in page
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 200 and Meeting.objects.get(pk=meeting.pk).status == "scheduled"
    assert staff_client.post(url, {"reason": "Nobody could come: snow."}).status_code == 302
    page = staff_client.get(reverse("panels:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Recorded as not taking place on" in page and "Nobody could come: snow." in page
    assert url not in page
