"""factory_boy factories for panels, memberships, meetings, papers, attendance, proposals,
decisions, staff time and recruitment."""

import datetime

import factory
from django.utils import timezone

from ..coprod.factories import day_from_today
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory


def _at(days: int, hour: int = 10):
    """An aware datetime `days` from today (negative: in the past) at `hour` o'clock, local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class PanelFactory(factory.django.DjangoModelFactory):
    """A running challenge panel that started 90 days ago, with no end date."""

    class Meta:
        model = "panels.Panel"

    name = factory.Sequence(lambda n: f"Panel {n}")
    kind = "challenge"
    purpose = "Reviews draft proposals before they are decided."
    starts_on = day_from_today(-90)
    status = "active"


class MembershipFactory(factory.django.DjangoModelFactory):
    """A partner on a panel since 30 days ago; pass `partner=None, user=<staff>` for staff."""

    class Meta:
        model = "panels.Membership"

    panel = factory.SubFactory(PanelFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = "member"
    joined_on = day_from_today(-30)


class MeetingFactory(factory.django.DjangoModelFactory):
    """An in-person two-hour meeting a week from now (`days=-7` for one a week ago)."""

    class Meta:
        model = "panels.Meeting"
        exclude = ["days"]

    days = 7
    panel = factory.SubFactory(PanelFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyAttribute(lambda o: _at(o.days, 10))
    ends_at = factory.LazyAttribute(lambda o: _at(o.days, 12))
    format = "in_person"
    venue = "Riverside Community Centre, Room 2"
    access_information = "Step-free entrance on Mill Lane; hearing loop in Room 2."


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A partner invited to a meeting."""

    class Meta:
        model = "panels.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    partner = factory.SubFactory(PartnerFactory)
    status = "invited"


class MeetingPaperFactory(factory.django.DjangoModelFactory):
    """A small PDF paper stored under MEDIA_ROOT."""

    class Meta:
        model = "panels.MeetingPaper"

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Paper {n}")
    file = factory.django.FileField(filename="paper.pdf", data=b"%PDF-1.4\n% a test paper\n%%EOF\n")


# --- Proposals, decisions, staff time and recruitment ---


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal sent to a challenge panel, answers due in a fortnight (pass `status="draft"`
    for one not sent yet)."""

    class Meta:
        model = "panels.Proposal"

    title = factory.Sequence(lambda n: f"Proposal {n}")
    summary = "Change the opening hours of the drop-in advice session."
    owner = factory.SubFactory(StaffFactory)
    panel = factory.SubFactory(PanelFactory)
    response_deadline = day_from_today(14)
    status = "with_panel"


class FeedbackPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.FeedbackPoint"

    proposal = factory.SubFactory(ProposalFactory)
    text = factory.Sequence(lambda n: f"Point {n}: open later on Thursdays so people who work can come.")


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.FeedbackResponse"

    point = factory.SubFactory(FeedbackPointFactory)
    outcome = "accepted"
    response = "We will open until 7pm on Thursdays from next month."


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision taken by the leadership team a week ago, not placed on the ladder."""

    class Meta:
        model = "panels.Decision"

    title = factory.Sequence(lambda n: f"Decision {n}")
    decided_on = day_from_today(-7)
    decided_by = "leadership"


class StaffTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.StaffTime"

    user = factory.SubFactory(StaffFactory)
    panel = factory.SubFactory(PanelFactory)
    category = "preparation"
    spent_on = day_from_today()
    hours = 2


class RecruitmentRoundFactory(factory.django.DjangoModelFactory):
    """A round that opened 60 days ago and closed 10 days ago, with no stages."""

    class Meta:
        model = "panels.RecruitmentRound"

    post_title = factory.Sequence(lambda n: f"Adviser {n}")
    opens_on = day_from_today(-60)
    closes_on = day_from_today(-10)


class RecruitmentStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.RecruitmentStage"

    round = factory.SubFactory(RecruitmentRoundFactory)
    kind = "interview"


class StageParticipantFactory(factory.django.DjangoModelFactory):
    """A partner on a stage; pass `partner=None, user=<staff>` for staff."""

    class Meta:
        model = "panels.StageParticipant"

    stage = factory.SubFactory(RecruitmentStageFactory)
    partner = factory.SubFactory(PartnerFactory)
