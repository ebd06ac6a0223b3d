"""Dashboard figures on small hand-checked data, the governance report, and its schedule."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coprod import governance
from coprod import kpis
from coprod.models import Organisation
from coprod.models import Report
from coprod.models import Service
from coprod.periods import Period
from coprod.periods import custom
from panels.models import Attendance
from panels.models import Decision
from panels.models import FeedbackPoint
from panels.models import FeedbackResponse
from panels.models import Meeting
from panels.models import Panel
from panels.models import Proposal
from panels.models import RecruitmentRound
from panels.models import RecruitmentStage
from panels.models import StaffTime
from panels.models import StageParticipant

from ..helpers import assert_queries_bounded
from ..helpers import pdf_text
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from ..participants.factories import TrusteeFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = custom(D(2026, 7, 1), D(2026, 9, 30))


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def housing():
    return Service.objects.create(name="Housing")


@pytest.fixture
def panel(housing):
    return Panel.objects.create(name="Challenge panel", kind=Panel.Kind.CHALLENGE, purpose="Challenge",
                                service=housing, starts_on=D(2026, 1, 1))


def _meeting(panel, day, **lines):
    meeting = Meeting.objects.create(panel=panel, title=f"Meeting {day}", starts_at=_at(day),
                                     ends_at=_at(day, 12))
    for status, hours in lines.items():
        Attendance.objects.create(meeting=meeting, partner=PartnerFactory(), status=status, hours=hours)
    return meeting


def _figure(board, section, label):
    return next(f for f in board.sections[section] if f.label == label)


def test_empty_data_shows_no_rates_rather_than_zero_percent(db):
    board = kpis.dashboard(PERIOD)
    assert _figure(board, "Recruitment", "Recruitment rounds involving partners").display == "—"
    assert _figure(board, "Panels and meetings", "Attendance rate").value is None
    assert _figure(board, "Decisions and feedback", "Decisions shaped by lived experience").value is None
    assert board.ladder == []


def test_attendance_counts_partners_at_meetings_held_in_the_period_including_its_edges(panel):
    _meeting(panel, D(2026, 7, 1), attended=Decimal("2"), apologies=None, declined=None)
    _meeting(panel, D(2026, 9, 30), attended=Decimal("1.5"), no_show=None)
    _meeting(panel, D(2026, 10, 1), attended=Decimal("9"))  # after the period
    _meeting(panel, D(2026, 6, 30), attended=Decimal("9"))  # before it
    board = kpis.dashboard(PERIOD)
    assert _figure(board, "Panels and meetings", "Meetings held").value == 2
    attendance = _figure(board, "Panels and meetings", "Attendance rate")
    assert attendance.value == Decimal("50.0")  # 2 attended of 4 (declined left out)
    assert attendance.meets_target is False  # target 75%
    assert _figure(board, "Panels and meetings", "Partner hours contributed").value == Decimal("3.5")


def test_cancelled_meetings_are_not_held(panel):
    meeting = _meeting(panel, D(2026, 8, 1), attended=Decimal("2"))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    assert _figure(kpis.dashboard(PERIOD), "Panels and meetings", "Meetings held").value == 0


def test_share_of_decisions_shaped_by_lived_experience(panel, housing):
    for number in range(3):
        Decision.objects.create(title=f"Plain {number}", decided_on=D(2026, 8, 1), decided_by="leadership",
                                service=housing)
    Decision.objects.create(title="Shaped", decided_on=D(2026, 9, 30), decided_by="board",
                            shaped_by_panel=panel)
    Decision.objects.create(title="Later", decided_on=D(2026, 10, 1), decided_by="board",
                            shaped_by_panel=panel)
    board = kpis.dashboard(PERIOD)
    assert _figure(board, "Decisions and feedback", "Decisions logged").value == 4
    shaped = _figure(board, "Decisions and feedback", "Decisions shaped by lived experience")
    assert shaped.value == Decimal("25.0")
    only_housing = kpis.dashboard(PERIOD, housing)
    assert _figure(only_housing, "Decisions and feedback", "Decisions logged").value == 3


def test_feedback_answered_by_the_deadline_counts_as_on_time(panel):
    staff = StaffFactory()
    proposal = Proposal.objects.create(title="Opening hours", summary="...", owner=staff, panel=panel,
                                       response_deadline=D(2026, 8, 31))
    on_time, late, unanswered = (FeedbackPoint.objects.create(proposal=proposal, text=t)
                                 for t in ("on time", "late", "unanswered"))
    FeedbackResponse.objects.create(point=on_time, outcome="accepted", response="Done",
                                    responded_at=_at(D(2026, 8, 31), 17))
    FeedbackResponse.objects.create(point=late, outcome="accepted", response="Done",
                                    responded_at=_at(D(2026, 9, 1)))
    figure = _figure(kpis.dashboard(PERIOD), "Decisions and feedback", "Feedback answered on time")
    assert figure.value == Decimal("33.3")
    assert figure.note == "1 of 3 points due in the period"


def test_recruitment_involvement_uses_the_twelve_months_to_the_period_end(housing):
    partner = PartnerFactory()
    for number, involved in enumerate([True, True, True, False]):
        round_ = RecruitmentRound.objects.create(post_title=f"Adviser {number}", service=housing,
                                                 opens_on=D(2026, 1, 1), closes_on=D(2026, 3, 1))
        stage = RecruitmentStage.objects.create(round=round_, kind="interview")
        if involved:
            StageParticipant.objects.create(stage=stage, partner=partner)
    figure = _figure(kpis.dashboard(PERIOD), "Recruitment", "Recruitment rounds involving partners")
    assert figure.value == Decimal("75.0")
    assert figure.target == Decimal("85") and figure.meets_target is False
    assert figure.note.startswith("3 of 4 rounds")


def test_staff_time_is_totalled_by_category(panel):
    staff = StaffFactory()
    StaffTime.objects.create(user=staff, panel=panel, category="preparation", spent_on=D(2026, 7, 1),
                             hours=Decimal("1.5"))
    StaffTime.objects.create(user=staff, panel=panel, category="preparation", spent_on=D(2026, 9, 30),
                             hours=Decimal("2"))
    StaffTime.objects.create(user=staff, panel=panel, category="debriefing", spent_on=D(2026, 10, 1),
                             hours=Decimal("5"))
    totals = dict(kpis.dashboard(PERIOD).staff_time)
    assert totals["Preparation"] == Decimal("3.5")
    assert totals["Debriefing"] == 0


def test_services_table_shows_each_services_measures(panel, housing):
    Service.objects.create(name="Debt advice")
    _meeting(panel, D(2026, 8, 1), attended=Decimal("2"), no_show=None)
    rows = {row["service"].name: row for row in kpis.dashboard(PERIOD).services}
    assert rows["Housing"]["attendance"] == Decimal("50.0")
    assert rows["Housing"]["attendance_band"] == "behind"
    assert rows["Debt advice"]["attendance"] is None


def test_services_table_rows_say_each_figure_with_its_band(panel, housing):
    Service.objects.create(name="Debt <advice> & money")
    _meeting(panel, D(2026, 8, 1), attended=Decimal("2"), no_show=None)
    StaffTime.objects.create(panel=panel, spent_on=D(2026, 8, 1), hours=Decimal("1.25"),
                             category=StaffTime.Category.PREPARATION, user=StaffFactory())
    rows = kpis.dashboard(PERIOD).services_rows
    assert ('<tr><th scope="row">Debt &lt;advice&gt; &amp; money</th><td class="number">0</td>'
            '<td class="number band-none">no rounds</td><td class="number band-none">no meetings</td>'
            '<td class="number band-none">no decisions</td><td class="number">0</td></tr>') in rows
    assert ('<td class="number band-behind">50.0%</td><td class="number band-none">no decisions</td>'
            '<td class="number">1.3</td></tr>') in rows


@pytest.mark.parametrize("hours", ["0", "0.00", "3", "12.00", "1.25", "1.24", "34.04", "0.05", "7.5"])
def test_staff_hours_are_written_as_the_floatformat_filter_writes_them(hours):
    from django.template.defaultfilters import floatformat

    assert kpis.hours_shown(Decimal(hours)) == floatformat(Decimal(hours), "-1")


@pytest.mark.parametrize("scope", ["all services", "housing"])
def test_each_count_on_the_dashboard_links_to_the_records_it_counts(staff_client, world, panel, housing,
                                                                    scope):
    from participants.models import Partner
    from participants.models import StatusChange

    other = Panel.objects.create(name="Debt panel", kind=Panel.Kind.ADVISORY, purpose="Advice",
                                 service=Service.objects.create(name="Debt"), starts_on=D(2026, 1, 1))
    for meeting_panel, day in ((panel, D(2026, 7, 1)), (panel, D(2026, 9, 30)), (other, D(2026, 8, 1)),
                               (panel, D(2026, 10, 1))):
        _meeting(meeting_panel, day, attended=Decimal("1"))
    cancelled = _meeting(panel, D(2026, 8, 2))
    cancelled.status = Meeting.Status.CANCELLED
    cancelled.save()
    for day, service in ((D(2026, 7, 5), housing), (D(2026, 9, 30), None), (D(2026, 10, 2), housing)):
        Decision.objects.create(title=f"Decided {day}", decided_on=day, decided_by="board", service=service)
    for day, service in ((D(2026, 7, 1), housing), (D(2026, 8, 8), None), (D(2026, 6, 30), housing)):
        partner = PartnerFactory(status=Partner.Status.ACTIVE, service=service)
        StatusChange.objects.create(partner=partner, from_status="induction", to_status="active",
                                    changed_at=_at(day))

    board = kpis.dashboard(PERIOD, service=housing if scope == "housing" else None)
    counts = [("People", "Active partners"), ("People", "Newly active partners"),
              ("Panels and meetings", "Meetings held"), ("Decisions and feedback", "Decisions logged")]
    expected = {"Newly active partners": 1 if scope == "housing" else 2,
                "Meetings held": 2 if scope == "housing" else 3,
                "Decisions logged": 1 if scope == "housing" else 2}
    for section, label in counts:
        figure = _figure(board, section, label)
        assert figure.value == expected.get(label, figure.value), label
        listed = staff_client.get(figure.href)
        assert listed.status_code == 200, label
        assert listed.context["page_obj"].paginator.count == figure.value, label


def test_dashboard_queries_do_not_grow_with_the_data(staff_client, world, panel):
    url = reverse("coprod:dashboard") + "?period=last_year"

    def grow():
        for number in range(10):
            day = timezone.localdate() - datetime.timedelta(days=10 + number)
            _meeting(panel, day, attended=Decimal("1"), apologies=None)
            Decision.objects.create(title=f"D{number}", decided_on=day, decided_by="board",
                                    shaped_by_panel=panel)
            Service.objects.create(name=f"Service {number}")

    staff_client.get(url)  # the first visit reads the closed ladder round's counts; later ones, the cache
    assert_queries_bounded(staff_client, url, grow, most=40)


def test_dashboard_rejects_a_period_that_ends_before_it_starts(staff_client, world):
    response = staff_client.get(reverse("coprod:dashboard"), {"period": "custom", "start": "2026-05-02",
                                                              "end": "2026-05-01"})
    assert response.status_code == 200
    assert "must end on or after" in response.content.decode()


def test_governance_pdf_holds_the_dashboard_figures(trustee_client, world, panel,
                                                     django_capture_on_commit_callbacks):
    _meeting(panel, D(2026, 8, 1), attended=Decimal("2"), no_show=None, apologies=None)
    Decision.objects.create(title="New drop-in hours", decided_on=D(2026, 8, 2), decided_by="board",
                            shaped_by_panel=panel, is_public=True, how_shaped="The panel asked for evenings.")
    with django_capture_on_commit_callbacks(execute=True):
        response = trustee_client.post(reverse("coprod:governance_report_request"), {
            "period": "custom", "start": "2026-07-01", "end": "2026-09-30"})
    report = Report.objects.get(kind=Report.Kind.GOVERNANCE, requested_by=world.trustee)
    assert response.url == reverse("coprod:report_detail", args=[report.pk])
    assert report.status == Report.Status.DONE, report.error
    text = " ".join(pdf_text(report.file.read()).split())
    board = kpis.dashboard(PERIOD)
    attendance = _figure(board, "Panels and meetings", "Attendance rate").display
    assert attendance == "33.3%"
    assert attendance in text
    assert "New drop-in" in text and "The panel asked for" in text
    assert "Appendix: what the figures mean" in text
    # The trustee who asked is told it is ready, by name, on their channel (e-mail for trustees).
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [f"Tess <{world.trustee.email}>"]


def test_quarterly_report_is_made_once_on_the_chosen_day_and_trustees_are_told(
        world, django_capture_on_commit_callbacks):
    TrusteeFactory(email="second-trustee@example.test")
    Organisation.objects.filter(pk=Organisation.current().pk).update(quarterly_report_day=7)
    assert governance.quarterly_report_make(today=D(2026, 10, 6)) is None
    assert governance.quarterly_report_make(today=D(2026, 11, 7)) is None  # not a quarter's first month
    with django_capture_on_commit_callbacks(execute=True):
        report = governance.quarterly_report_make(today=D(2026, 10, 7))
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert Period.from_params(report.params).start == D(2026, 7, 1)
    assert sorted(mail.outbox[0].to) == ["second-trustee@example.test", "trustee@example.test"]
    assert governance.quarterly_report_make(today=D(2026, 10, 8)) is None, "only once a quarter"


def test_no_quarterly_report_when_switched_off(world):
    Organisation.objects.filter(pk=Organisation.current().pk).update(quarterly_report=False)
    assert governance.quarterly_report_make(today=D(2026, 10, 7)) is None


def test_reciprocity_figures_come_from_payments_in_the_period(world):
    from reciprocity.models import FundingSource

    source = FundingSource.objects.create(
        funder="Lottery", grant="Voices", kind="launch", amount=Decimal("1000"),
        starts_on=D(2026, 1, 1), ends_on=D(2026, 12, 31),
    )
    board = kpis.dashboard(PERIOD)
    row = next(row for row in board.reciprocity["budgets"] if row["source"] == str(source))
    assert row["spent"] == 0 and row["budget"] == Decimal("1000")
    paid = board.reciprocity["figures"][0]
    assert paid.label == "Paid to partners" and paid.value == 0
    assert board.reciprocity["by_type"] == []
