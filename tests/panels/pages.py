"""Permission-matrix rows for the panels app, and the records its pages need.

Each feature keeps its own block: its rows go into `PAGES`, and its records are made
by a function added to `POPULATE`. Partner-owned records belong to `world.partner`,
who sits on `world.panel`; `world.other_partner` is on no panel, so every panel,
meeting and paper URL answers them 404."""

from ..permissions import FORBIDDEN
from ..permissions import LOGIN
from ..permissions import NOT_FOUND
from ..permissions import OK
from ..permissions import PARTNERS_ONLY
from ..permissions import REDIRECT
from ..permissions import STAFF_ONLY
from ..permissions import Page

PAGES: list[Page] = []
POPULATE: list = []


def populate(world) -> None:
    for step in POPULATE:
        step(world)


# --- Panels, memberships, meetings, papers and attendance ---


def _populate_panels_and_meetings(world) -> None:
    from decimal import Decimal

    from ..participants.factories import PartnerFactory
    from .factories import AttendanceFactory
    from .factories import MeetingFactory
    from .factories import MeetingPaperFactory
    from .factories import MembershipFactory
    from .factories import PanelFactory

    staff = world.staff
    world.panel = PanelFactory(
        name="Housing challenge panel", service=world.service, created_by=staff,
        purpose="Reviews our housing advice plans before they are decided.",
        terms_of_reference="Meets monthly. Members are paid for their time and travel.",
    )
    # A third member whose access needs are recorded, to show how the register treats them.
    leslie = PartnerFactory(full_name="Leslie Lane", access_notes="Needs a break every hour.")
    world.membership = MembershipFactory(panel=world.panel, partner=world.partner)
    world.staff_membership = MembershipFactory(panel=world.panel, partner=None, user=staff,
                                               role="facilitator")
    world.leslie_membership = MembershipFactory(panel=world.panel, partner=leslie, role="co_chair")

    world.past_meeting = MeetingFactory(
        panel=world.panel, days=-14, title="Eviction leaflet review", created_by=staff,
        agenda="1. Welcome\n2. The draft leaflet\n3. Next steps",
        minutes="The panel asked for shorter sentences and a phone number on the front.",
    )
    past = world.past_meeting
    AttendanceFactory(meeting=past, partner=world.partner, status="attended", hours=Decimal("2"))
    AttendanceFactory(meeting=past, partner=leslie, status="apologies")
    AttendanceFactory(meeting=past, partner=None, user=staff, status="attended", hours=Decimal("2"))
    world.past_paper = MeetingPaperFactory(meeting=world.past_meeting, title="Draft eviction leaflet",
                                           uploaded_by=staff)

    world.meeting = MeetingFactory(panel=world.panel, days=7, title="Waiting-room changes", created_by=staff,
                                   agenda="1. Welcome\n2. The waiting-room plan")
    world.attendance = AttendanceFactory(meeting=world.meeting, partner=world.partner, status="invited")
    AttendanceFactory(meeting=world.meeting, partner=leslie, status="confirmed")
    AttendanceFactory(meeting=world.meeting, partner=None, user=staff, status="confirmed")
    world.paper = MeetingPaperFactory(meeting=world.meeting, title="Waiting-room plan", uploaded_by=staff)


POPULATE.append(_populate_panels_and_meetings)

STAFF_ACTION = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)
# The partner's own panel and meetings: the other partner is on no panel, so gets 404.
MEMBERS_PAGE = (LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN)
# Files members and staff download.
MEMBERS_AND_STAFF = (LOGIN, OK, NOT_FOUND, FORBIDDEN, OK)


def _panel(world) -> dict:
    return {"pk": world.panel.pk}


def _meeting(world) -> dict:
    return {"pk": world.meeting.pk}


def _past_meeting(world) -> dict:
    return {"pk": world.past_meeting.pk}


def _register_data(world) -> dict:
    """The past meeting's whole register as posted by its page: everyone marked as attended."""
    lines = list(world.past_meeting.attendance.order_by("pk"))
    data = {"form-TOTAL_FORMS": str(len(lines)), "form-INITIAL_FORMS": str(len(lines)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000"}
    for index, line in enumerate(lines):
        data |= {f"form-{index}-line": str(line.pk), f"form-{index}-status": "attended",
                 f"form-{index}-hours": "2"}
    return data


def _today(world) -> dict:
    from django.utils import timezone

    return {"left_on": timezone.localdate().isoformat()}


def _populate_call_list(world) -> None:
    from coprod.models import Notice

    # Leslie asked to be phoned: a reminder of the coming meeting waits on its call list.
    leslie = world.leslie_membership.partner
    world.call = Notice.objects.create(
        kind="meeting_reminder", channel=Notice.Channel.PHONE, status=Notice.Status.TO_CALL,
        partner=leslie, to="07700 900123", subject="Reminder: Waiting-room changes",
        body="Ring Leslie to remind them.", topic=f"meeting:{world.meeting.pk}")


POPULATE.append(_populate_call_list)

PAGES += [
    # Staff
    Page("panels:panel_list", STAFF_ONLY),
    Page("panels:panel_create", STAFF_ONLY),
    Page("panels:panel_detail", STAFF_ONLY, kwargs=_panel),
    Page("panels:panel_edit", STAFF_ONLY, kwargs=_panel),
    Page("panels:membership_add", STAFF_ONLY, kwargs=_panel),
    Page("panels:membership_end", STAFF_ACTION, kwargs=lambda w: {"pk": w.leslie_membership.pk},
         method="post", data=_today),
    Page("panels:meeting_create", STAFF_ONLY, kwargs=_panel),
    Page("panels:meeting_list", STAFF_ONLY),
    Page("panels:meeting_detail", STAFF_ONLY, kwargs=_meeting),
    Page("panels:meeting_detail", STAFF_ONLY, kwargs=_past_meeting),
    Page("panels:meeting_edit", STAFF_ONLY, kwargs=_meeting),
    Page("panels:meeting_cancel", STAFF_ACTION, kwargs=_meeting, method="post",
         data=lambda w: {"confirm": "1"}),
    Page("panels:attendance_update", STAFF_ACTION, kwargs=_past_meeting, method="post", data=_register_data),
    Page("panels:call_done", STAFF_ACTION, kwargs=lambda w: {"pk": w.call.pk}, method="post"),
    Page("panels:paper_add", STAFF_ONLY, kwargs=_meeting),
    Page("panels:paper_remove", STAFF_ACTION, kwargs=lambda w: {"pk": w.paper.pk}, method="post"),
    # Members (partners on the panel) and staff
    Page("panels:paper_download", MEMBERS_AND_STAFF, kwargs=lambda w: {"pk": w.paper.pk}, sweep=False),
    Page("panels:meeting_ics", MEMBERS_AND_STAFF, kwargs=_meeting, sweep=False),
    # Partner self-service
    Page("panels:my_meetings", PARTNERS_ONLY),
    Page("panels:my_meeting", MEMBERS_PAGE, kwargs=_meeting),
    Page("panels:my_meeting", MEMBERS_PAGE, kwargs=_past_meeting),
    Page("panels:my_meeting_respond", (LOGIN, REDIRECT, NOT_FOUND, FORBIDDEN, FORBIDDEN), kwargs=_meeting,
         method="post", data=lambda w: {"answer": "yes"}),
    Page("panels:my_panels", PARTNERS_ONLY),
    Page("panels:my_panel", MEMBERS_PAGE, kwargs=_panel),
]


# --- Proposals, decisions, staff time and recruitment ---


def _populate_proposals_decisions_recruitment(world) -> None:
    """A proposal with the partner's panel (world.panel) with one answered and one open
    point, a draft, decisions on the current ladder, staff time, and two recruitment
    rounds (one with world.partner on the interview panel, one without a partner)."""
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from ..ladder.factories import _current_ladder
    from .factories import DecisionFactory
    from .factories import FeedbackPointFactory
    from .factories import FeedbackResponseFactory
    from .factories import ProposalFactory
    from .factories import RecruitmentRoundFactory
    from .factories import RecruitmentStageFactory
    from .factories import StaffTimeFactory
    from .factories import StageParticipantFactory

    staff, today = world.staff, timezone.localdate()
    world.proposal = ProposalFactory(
        title="New drop-in opening hours", panel=world.panel, owner=staff, created_by=staff,
        summary="Move the Tuesday drop-in to Thursday evenings so people in work can come.",
    )
    world.proposal.document.save("opening-hours.pdf", ContentFile(b"%PDF-1.4\n% opening hours\n%%EOF\n"))
    world.answered_point = FeedbackPointFactory(
        proposal=world.proposal, raised_by=world.partner, recorded_by=world.partner.user,
        text="Thursday evenings clash with the food bank; people cannot do both.",
    )
    FeedbackResponseFactory(point=world.answered_point, outcome="declined", responded_by=staff,
                            response="We are keeping Thursday evenings.",
                            reason="It is the only evening the building is open late.")
    world.point = FeedbackPointFactory(proposal=world.proposal, recorded_by=staff,
                                       text="Say on the leaflet that children are welcome.")
    world.draft_proposal = ProposalFactory(title="Complaints leaflet", panel=world.panel, owner=staff,
                                           status="draft")

    rungs = list(_current_ladder().rungs.order_by("position"))  # browser tests start from a flushed database
    world.decision = DecisionFactory(
        title="Thursday evening drop-in", decided_by="leadership", service=world.service, rung=rungs[5],
        shaped_by_panel=world.panel, shaped_by_proposal=world.proposal, is_public=True,
        how_shaped="The panel asked for an evening session; it starts next month.", recorded_by=staff,
    )
    DecisionFactory(title="New case-management system", decided_by="board", rung=rungs[2],
                    implementation="in_progress", recorded_by=staff)
    action = world.ladder_linked_action  # shown on the panel's, the decision's and the round's pages
    action.panel, action.decision = world.panel, world.decision
    action.save(update_fields=["panel", "decision"])

    world.staff_time = StaffTimeFactory(user=staff, panel=world.panel, meeting=world.meeting,
                                        category="preparation", hours=Decimal("1.5"), spent_on=today,
                                        note="Easy-read version of the plan")
    StaffTimeFactory(user=staff, panel=world.panel, category="relationships", hours=Decimal("0.75"),
                     spent_on=today)

    world.recruitment_round = RecruitmentRoundFactory(post_title="Housing adviser", service=world.service,
                                                      created_by=staff)
    world.interview = RecruitmentStageFactory(round=world.recruitment_round, kind="interview",
                                              held_on=today - timedelta(days=12))
    world.stage_participant = StageParticipantFactory(stage=world.interview, partner=world.partner)
    StageParticipantFactory(stage=world.interview, partner=None, user=staff)
    RecruitmentStageFactory(round=world.recruitment_round, kind="task_design", cancelled=True)
    RecruitmentRoundFactory(post_title="Finance officer", opens_on=today - timedelta(days=120),
                            closes_on=today - timedelta(days=80))


POPULATE.append(_populate_proposals_decisions_recruitment)

STAFF_AND_TRUSTEES_READ = (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)


def _proposal(world) -> dict:
    return {"pk": world.proposal.pk}


def _round(world) -> dict:
    return {"pk": world.recruitment_round.pk}


PAGES += [
    # Proposals (staff)
    Page("panels:proposal_list", STAFF_ONLY),
    Page("panels:proposal_create", STAFF_ONLY),
    Page("panels:proposal_detail", STAFF_ONLY, kwargs=_proposal),
    Page("panels:proposal_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.draft_proposal.pk}),
    Page("panels:proposal_edit", STAFF_ONLY, kwargs=_proposal),
    Page("panels:proposal_send", STAFF_ACTION, kwargs=lambda w: {"pk": w.draft_proposal.pk}, method="post"),
    Page("panels:point_add", STAFF_ACTION, kwargs=_proposal, method="post",
         data=lambda w: {"text": "Put the new times on the website too."}),
    Page("panels:point_respond", STAFF_ONLY, kwargs=lambda w: {"pk": w.point.pk}),
    # Proposals: panel members and staff
    Page("panels:proposal_document", MEMBERS_AND_STAFF, kwargs=_proposal, sweep=False),
    # Proposals: partner self-service
    Page("panels:my_feedback", PARTNERS_ONLY),
    Page("panels:my_point_add", MEMBERS_PAGE, kwargs=_proposal),
    Page("panels:my_point_add", (LOGIN, REDIRECT, NOT_FOUND, FORBIDDEN, FORBIDDEN), kwargs=_proposal,
         method="post", data=lambda w: {"text": "Could the room have a quiet corner?"}),
    # Decision log: staff and trustees read it
    Page("panels:decision_list", STAFF_AND_TRUSTEES_READ),
    Page("panels:feedback_log", STAFF_AND_TRUSTEES_READ),
    Page("panels:decision_detail", STAFF_AND_TRUSTEES_READ, kwargs=lambda w: {"pk": w.decision.pk}),
    Page("panels:decision_create", STAFF_ONLY),
    Page("panels:decision_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.decision.pk}),
    # Protected staff time
    Page("panels:staff_time_list", STAFF_ONLY),
    Page("panels:staff_time_create", STAFF_ONLY),
    # Recruitment rounds
    Page("panels:recruitment_list", STAFF_ONLY),
    Page("panels:recruitment_create", STAFF_ONLY),
    Page("panels:involvement_target", STAFF_ONLY),
    Page("panels:recruitment_detail", STAFF_ONLY, kwargs=_round),
    Page("panels:recruitment_edit", STAFF_ONLY, kwargs=_round),
    Page("panels:recruitment_stage_add", STAFF_ACTION, kwargs=_round, method="post",
         data=lambda w: {"kind": "shortlisting"}),
    Page("panels:recruitment_stage_cancel", STAFF_ACTION, kwargs=lambda w: {"pk": w.interview.pk},
         method="post", data=lambda w: {"cancelled": "1"}),
    Page("panels:stage_participant_add", STAFF_ACTION, kwargs=lambda w: {"pk": w.interview.pk},
         method="post", data=lambda w: {"partner": w.other_partner.pk}),
    Page("panels:stage_participant_remove", STAFF_ACTION, kwargs=lambda w: {"pk": w.stage_participant.pk},
         method="post"),
]


# --- Keeping history: archived decisions, meetings that did not take place ---


def _populate_kept_history(world) -> None:
    """A decision archived as logged twice, a past meeting nobody recorded (it may be
    recorded as not held), and one already recorded as not taking place."""
    from panels import services

    from .factories import DecisionFactory
    from .factories import MeetingFactory
    from .factories import PanelFactory

    staff = world.staff
    world.archived_decision = DecisionFactory(title="Thursday evening drop-in (again)", recorded_by=staff)
    services.decision_archive(decision=world.archived_decision, reason="Logged twice: see the first entry.",
                              by=staff)
    # On a panel of their own, so the partner's pages show what they showed before.
    forum = PanelFactory(name="Members' forum", kind="forum", created_by=staff)
    world.unrecorded_meeting = MeetingFactory(panel=forum, days=-3, title="Planning", created_by=staff)
    world.not_held_meeting = MeetingFactory(panel=forum, days=-10, title="Summer social", created_by=staff)
    services.meeting_record_not_held(meeting=world.not_held_meeting, reason="The venue was closed.", by=staff)


POPULATE.append(_populate_kept_history)

PAGES += [
    Page("panels:decision_detail", STAFF_AND_TRUSTEES_READ, kwargs=lambda w: {"pk": w.archived_decision.pk}),
    Page("panels:decision_archive", STAFF_ONLY, kwargs=lambda w: {"pk": w.decision.pk}),
    Page("panels:decision_archive", STAFF_ACTION, kwargs=lambda w: {"pk": w.decision.pk}, method="post",
         data=lambda w: {"reason": "Logged by mistake."}),
    Page("panels:decision_restore", STAFF_ACTION, kwargs=lambda w: {"pk": w.archived_decision.pk},
         method="post"),
    Page("panels:meeting_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.not_held_meeting.pk}),
    Page("panels:meeting_not_held", STAFF_ONLY, kwargs=lambda w: {"pk": w.unrecorded_meeting.pk}),
    Page("panels:meeting_not_held", STAFF_ACTION, kwargs=lambda w: {"pk": w.unrecorded_meeting.pk},
         method="post", data=lambda w: {"reason": "Nobody could come."}),
]
