"""The panels app's part of the benchmark (see coprod/demo/benchmark.py): panels with their
meetings, registers, proposals, decisions, staff time and recruitment in every batch, and the
panel, meeting and decision lists and the partner's meetings."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from coprod.demo.benchmark import PARTNER_PANELS
from coprod.demo.benchmark import Batch
from coprod.demo.benchmark import Page
from coprod.demo.benchmark import World
from coprod.demo.benchmark import add_page
from coprod.demo.benchmark import at
from coprod.demo.benchmark import days_ago
from coprod.demo.benchmark import growers
from coprod.demo.benchmark import part
from coprod.demo.benchmark import setups
from panels.models import Attendance
from panels.models import Decision
from panels.models import FeedbackPoint
from panels.models import FeedbackResponse
from panels.models import Meeting
from panels.models import Membership
from panels.models import Panel
from panels.models import Proposal
from panels.models import RecruitmentRound
from panels.models import RecruitmentStage
from panels.models import StaffTime
from panels.models import StageParticipant


def _setup(world: World) -> None:
    world.panels = 0  # panels built so far: the benchmark's partner sits on the first PARTNER_PANELS


def _panels_data(world: World, batch: Batch) -> None:
    """One panel for every five partners, each with two meetings held and one to come, the
    registers, a proposal with feedback for each challenge panel, staff time, decisions and
    recruitment rounds. Adds to the batch the panels, the attended register lines as (partner,
    meeting, hours), and the decisions."""
    size, services, staff, partners, number = (batch.size, batch.services, batch.staff, batch.partners,
                                               batch.number)

    # Challenge panels first, so even the smallest batch has one to send proposals to.
    kinds = [Panel.Kind.CHALLENGE] + [kind for kind in Panel.Kind.values if kind != Panel.Kind.CHALLENGE]
    panels = Panel.objects.bulk_create([
        Panel(name=f"Panel {number}-{i}", kind=kinds[i % len(kinds)], purpose="Benchmark panel.",
              service=services[i % len(services)], area=world.areas[i % len(world.areas)],
              starts_on=days_ago(400), created_by=world.staff)
        for i in range(part(size, 5))
    ])
    # The benchmark's partner sits on the organisation's first PARTNER_PANELS panels, as a typical
    # partner does: their own records stay the same however large the organisation grows.
    members = {panel.pk: [world.partner] if world.panels + i < PARTNER_PANELS else []
               for i, panel in enumerate(panels)}
    for i, partner in enumerate(partners):
        members[panels[i % len(panels)].pk].append(partner)
    Membership.objects.bulk_create(
        [Membership(panel=panel, partner=partner, joined_on=days_ago(365))
         for panel in panels for partner in members[panel.pk]]
        + [Membership(panel=panel, user=staff[i % len(staff)], role=Membership.Role.FACILITATOR,
                      joined_on=days_ago(365)) for i, panel in enumerate(panels)]
    )

    meetings = Meeting.objects.bulk_create([
        Meeting(panel=panel, title=f"{panel.name} meeting {days}", starts_at=at(days, 10),
                ends_at=at(days, 12), venue="Community centre", created_by=world.staff)
        for i, panel in enumerate(panels)
        for days in (-(10 + (i * 7) % 150), -(170 + (i * 11) % 150), 7 + i % 60)
    ])
    today = timezone.localdate()
    attended, lines = [], []
    for meeting in meetings:
        held = meeting.starts_at.date() < today
        for j, partner in enumerate(members[meeting.panel_id]):
            status = Attendance.Status.INVITED
            if held:
                status = Attendance.Status.APOLOGIES if j % 5 == 4 else Attendance.Status.ATTENDED
            hours = Decimal("2.00") if status == Attendance.Status.ATTENDED else None
            lines.append(Attendance(meeting=meeting, partner=partner, status=status, hours=hours))
            if hours:
                attended.append((partner, meeting, hours))
    Attendance.objects.bulk_create(lines)

    challenge = [panel for panel in panels if panel.kind == Panel.Kind.CHALLENGE]
    proposals = Proposal.objects.bulk_create([
        Proposal(title=f"Proposal {number}-{i}", summary="Change the opening hours.", owner=world.staff,
                 panel=panel, response_deadline=days_ago(-14 + i % 40), status=Proposal.Status.WITH_PANEL,
                 created_at=timezone.now() - timedelta(days=60), created_by=world.staff)
        for i, panel in enumerate(challenge)
    ])
    points = FeedbackPoint.objects.bulk_create([
        FeedbackPoint(proposal=proposal, text=f"Point {n}: open later on Thursdays.",
                      raised_by=members[proposal.panel_id][n], recorded_by=world.staff)
        for proposal in proposals for n in range(min(2, len(members[proposal.panel_id])))
    ])
    FeedbackResponse.objects.bulk_create([
        FeedbackResponse(point=point, outcome=FeedbackResponse.Outcome.ACCEPTED,
                         response="We will open until 7pm.", responded_by=world.staff)
        for point in points[::2]
    ])

    decided_by = Decision.DecidedBy.values
    decisions = Decision.objects.bulk_create([
        Decision(title=f"Decision {number}-{i}", decided_on=days_ago(1 + (i * 3) % 330),
                 decided_by=decided_by[i % len(decided_by)], service=services[i % len(services)],
                 rung=world.rungs[i % len(world.rungs)],
                 shaped_by_panel=panels[i % len(panels)] if i % 2 == 0 else None,
                 shaped_by_proposal=proposals[i % len(proposals)] if proposals and i % 3 == 0 else None,
                 how_shaped="The panel asked for evening sessions." if i % 2 == 0 else "",
                 is_public=i % 3 == 0, recorded_by=world.staff)
        for i in range(part(size, 2))
    ])

    categories = StaffTime.Category.values
    StaffTime.objects.bulk_create([
        StaffTime(user=staff[i % len(staff)], panel=panel, category=categories[i % len(categories)],
                  spent_on=days_ago(i % 300), hours=Decimal("1.50"))
        for i, panel in enumerate(panels)
    ])

    rounds = RecruitmentRound.objects.bulk_create([
        RecruitmentRound(post_title=f"Adviser {number}-{i}", service=services[i % len(services)],
                         opens_on=days_ago(90 + i % 200), closes_on=days_ago(30 + i % 200),
                         created_by=world.staff)
        for i in range(part(size, 10))
    ])
    stages = RecruitmentStage.objects.bulk_create([
        RecruitmentStage(round=round_, kind=kind, held_on=round_.closes_on)
        for round_ in rounds for kind in (RecruitmentStage.Kind.SHORTLISTING, RecruitmentStage.Kind.INTERVIEW)
    ])
    StageParticipant.objects.bulk_create(
        [StageParticipant(stage=stage, partner=partners[i % len(partners)])
         for i, stage in enumerate(stages) if i % 4 != 3]
        + [StageParticipant(stage=stage, user=staff[i % len(staff)]) for i, stage in enumerate(stages)]
    )
    world.panels += len(panels)
    batch.panels, batch.attended, batch.decisions = panels, attended, decisions



def register() -> None:
    setups.register("panels", _setup, order=40)
    growers.register("panels", _panels_data, order=40)
    add_page(40, Page("staff: panel list", "staff", lambda world: reverse("panels:panel_list")))
    add_page(50, Page("staff: meeting list", "staff", lambda world: reverse("panels:meeting_list")))
    add_page(60, Page("staff: decision log", "staff", lambda world: reverse("panels:decision_list")))
    add_page(120, Page("partner: meetings", "partner", lambda world: reverse("panels:my_meetings"),
                       own=True))
