"""Demo proposals, decisions, staff time and recruitment rounds for the demo
organisation (see coprod/demo/; panels and meetings: panels/demo/).

- a proposal the challenge panel has looked at, every point answered (accepted,
  partly accepted, declined with a reason), and a second one with an overdue point
  still waiting for an answer; a draft not yet sent;
- a dozen decisions over the last year on different rungs of the current ladder,
  some shaped by a panel or a proposal, public and internal;
- protected staff time over the last few months;
- recruitment rounds in the last 12 months: most with a partner on a stage, one
  without, one whose only partner sat on a stage that was cancelled, and an older
  round that no longer counts.

Idempotent: everything is keyed on natural keys (titles, names, dates), so a second
run adds nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coprod.models import Ladder
from coprod.models import Service
from panels.models import Decision
from panels.models import FeedbackPoint
from panels.models import FeedbackResponse
from panels.models import Membership
from panels.models import Panel
from panels.models import Proposal
from panels.models import RecruitmentRound
from panels.models import RecruitmentStage
from panels.models import StaffTime
from panels.models import StageParticipant
from participants.models import Partner

HOUSING = "Housing and homelessness advice"
DEBT = "Debt and money advice"
BENEFITS = "Welfare benefits"
IMMIGRATION = "Immigration and asylum"

# The challenge panel seeded with the panels demo, created here if that has not run.
CHALLENGE_PANEL = "Housing advice challenge panel"
CHALLENGE_PANEL_MEMBERS = ["Sarah Thompson", "Tomás O'Connor", "Kwame Asante", "Bernadette Walsh"]

# Proposal title, summary, owner, days until (negative: since) the response deadline, status, created
# days ago, and its points: (partner who made it or None for the panel, text, answer or None). An answer
# is (outcome, what we did, reason, due in days or None).
PROPOSALS = [
    ("Evening advice sessions for people in work",
     "Open the housing advice drop-in on Thursday evenings, 5pm to 8pm, so people in work can get "
     "advice without losing wages. The Tuesday morning session would move to the evening.",
     "j.okafor@example.org", -20, "responded", 60, [
         ("Sarah Thompson", "People should be able to book a slot by text message, not only by phone: "
          "many of us have no credit for calls.",
          ("accepted", "You can now book an evening slot by text on 07700 900500; we reply the same day.",
           "", -10)),
         ("Tomás O'Connor", "The waiting area is in full view of the street. People do not want "
          "neighbours to see them waiting for housing advice.",
          ("partly", "We have moved the evening waiting area to the back room, away from the window.",
           "The front room is the only step-free space, so anyone who needs step-free access will still "
           "wait there; we have added a screen.", -5)),
         ("Kwame Asante", "Run the evening sessions at the library on the Riverside estate rather than "
          "at the main office, so people do not need the bus.",
          ("declined", "The sessions stay at the main office. We now pay bus fares for anyone coming to "
           "an evening session.",
           "The library has no private room, so we could not keep advice confidential there.", None)),
         (None, "Offer a call-back when the evening session is full, instead of turning people away.",
          ("accepted", "When a session is full, the receptionist takes a number and an adviser calls "
           "back within two working days.", "", -12)),
     ]),
    ("Changes to how we close housing cases",
     "Close a housing case after 28 days without contact instead of 56, and send a letter before "
     "closing it.",
     "j.okafor@example.org", -6, "with_panel", 40, [
         ("Sarah Thompson", "28 days is too short for someone in temporary accommodation who moves "
          "rooms and does not get their post.",
          ("partly", "We will send a text as well as a letter, and wait 42 days rather than 28.",
           "Keeping cases open for 56 days meant some people waited longer for a first appointment.", 30)),
         ("Bernadette Walsh", "The closing letter should say plainly that people can come back at any "
          "time without starting again.", None),
     ]),
    ("Easy-read complaints leaflet",
     "A new easy-read leaflet explaining how to complain and what happens next.",
     "staff@example.org", 30, "draft", 3, []),
]

# Title, days ago, decided by, service (or None), rung position on the current ladder (or None),
# shaped by panel (True: the challenge panel) and/or proposal title, how it was shaped, implementation,
# public.
DECISIONS = [
    ("Thursday evening housing advice sessions", 14, "leadership", HOUSING, 6, True,
     "Evening advice sessions for people in work",
     "The panel changed how people book (by text), where they wait and what happens when a session is "
     "full; bus fares are now paid.", "in_progress", True),
    ("Bus fares paid for evening advice sessions", 12, "service", HOUSING, 5, True,
     "Evening advice sessions for people in work",
     "Came from the panel's point about travelling to the main office.", "done", True),
    ("Partners on every interview panel for advice posts", 300, "board", None, 7, True, "",
     "The challenge panel asked for it; partners wrote the interview questions with us.", "done", True),
    ("Plain-English template for all client letters", 250, "leadership", None, 6, True, "",
     "Partners rewrote the standard letters with the communications team.", "done", True),
    ("New case-management system", 220, "board", None, 3, False, "", "", "in_progress", False),
    ("Debt advice triage by phone", 190, "service", DEBT, 4, False, "",
     "", "done", False),
    ("Peer support at benefit tribunal hearings", 160, "service", BENEFITS, 7, True, "",
     "Designed and run with partners who have been through tribunals themselves.", "in_progress", True),
    ("Interpreters booked for every first appointment", 130, "leadership", IMMIGRATION, 5, True, "",
     "Partners told us how often people were turned away for lack of an interpreter.", "done", True),
    ("Office opening hours unchanged over the summer", 100, "leadership", None, 3, False, "",
     "", "done", False),
    ("Reserves policy 2025", 80, "board", None, None, False, "", "", "done", False),
    ("Welcome pack for new partners rewritten", 45, "panel", None, 7, True, "",
     "Written by the panel from start to finish.", "done", True),
    ("Closing housing cases after 42 days without contact", 5, "service", HOUSING, 4, True,
     "Changes to how we close housing cases",
     "The panel's points lengthened the wait and added a text message before closing.", "planned", False),
]

# Staff e-mail, days ago, category, hours, note, and the challenge panel's meeting it was for (by
# title; "" for none).
STAFF_TIME = [
    ("staff@example.org", 70, "relationships", "1.5", "Coffee with new members before their first meeting",
     ""),
    ("j.okafor@example.org", 48, "preparation", "3", "Easy-read version of the evening sessions proposal",
     "Evening advice sessions: the proposal"),
    ("j.okafor@example.org", 44, "debriefing", "1", "Debrief after the evening sessions discussion",
     "Evening advice sessions: the proposal"),
    ("staff@example.org", 40, "communication", "0.75", "Phone calls about travel to the next meeting", ""),
    ("j.okafor@example.org", 15, "preparation", "2.5", "Papers on closing housing cases",
     "Closing housing cases"),
    ("staff@example.org", 28, "relationships", "2", "Home visit to a member who had been unwell", ""),
    ("staff@example.org", 21, "communication", "1", "Texts and calls after the meeting", ""),
    ("j.okafor@example.org", 11, "debriefing", "1.25", "One-to-one debrief with the chair",
     "Closing housing cases"),
    ("staff@example.org", 7, "preparation", "2", "Large-print agenda and papers",
     "Case closure letters: first draft"),
    ("staff@example.org", 2, "communication", "0.5", "Reminder calls for the next meeting", ""),
]

# Post, service, opened days ago, closed days ago, notes, stages: (kind, held days ago, cancelled,
# partners, staff e-mails).
ROUNDS = [
    ("Housing adviser", HOUSING, 330, 290, "", [
        ("shortlisting", 305, False, [], ["j.okafor@example.org"]),
        ("interview", 295, False, ["Sarah Thompson"], ["j.okafor@example.org", "staff@example.org"]),
    ]),
    ("Debt caseworker", DEBT, 260, 225, "", [
        ("task_design", 250, False, ["Jamie Wright"], ["p.lindqvist@example.org"]),
        ("interview", 230, False, [], ["p.lindqvist@example.org"]),
    ]),
    ("Benefits tribunal representative", BENEFITS, 200, 170, "", [
        ("shortlisting", 185, False, ["Winston Clarke"], ["s.begum@example.org"]),
        ("interview", 175, False, ["Winston Clarke", "Grace Adeyemi"], ["s.begum@example.org"]),
        ("partner_panel", 176, False, ["Stuart McLeod", "Grace Adeyemi"], []),
    ]),
    ("Immigration supervisor", IMMIGRATION, 150, 110, "", [
        ("task_design", 140, False, ["Leila Nasser"], ["d.mensah@example.org"]),
        ("interview", 115, False, ["Hassan Ali"], ["d.mensah@example.org", "staff@example.org"]),
    ]),
    ("Receptionist (evenings)", HOUSING, 90, 60, "Recruited quickly to staff the new evening sessions.", [
        ("interview", 65, False, [], ["j.okafor@example.org", "staff@example.org"]),
    ]),
    ("Finance officer", None, 75, 40, "The partner panel was cancelled when two members were ill; "
     "it was not rearranged.", [
        ("interview", 45, False, [], ["staff@example.org"]),
        ("partner_panel", 46, True, ["Connor Evans"], []),
    ]),
    ("Welfare benefits adviser", BENEFITS, 45, 12, "", [
        ("shortlisting", 25, False, ["Kwame Asante"], ["s.begum@example.org"]),
        ("interview", 15, False, ["Kwame Asante", "Sarah Thompson"], ["s.begum@example.org"]),
    ]),
    ("Volunteer coordinator", None, 120, 85, "", [
        ("task_design", 110, False, ["Bernadette Walsh"], ["staff@example.org"]),
        ("interview", 90, False, ["Bernadette Walsh"], ["staff@example.org"]),
    ]),
    # Older than 12 months: no longer counted in the rolling rate.
    ("Co-production lead", None, 480, 420, "", [
        ("interview", 425, False, ["Sarah Thompson"], ["staff@example.org"]),
    ]),
]


def _challenge_panel(today) -> Panel:
    panel, created = Panel.objects.get_or_create(
        name=CHALLENGE_PANEL,
        defaults={"kind": Panel.Kind.CHALLENGE, "service": Service.objects.filter(name=HOUSING).first(),
                  "purpose": "Partners with experience of housing problems challenge our plans before "
                             "they are decided.",
                  "starts_on": today - timedelta(days=400)},
    )
    if created:
        for name in CHALLENGE_PANEL_MEMBERS:
            partner = Partner.objects.filter(full_name=name).first()
            if partner is not None:
                Membership.objects.create(panel=panel, partner=partner, joined_on=panel.starts_on)
    return panel


@transaction.atomic
def seed() -> None:
    today = timezone.localdate()
    now = timezone.now()
    users = {user.email: user for user in get_user_model().objects.filter(is_staff_member=True)}
    partners = {partner.full_name: partner for partner in Partner.objects.all()}
    services = {service.name: service for service in Service.objects.all()}
    panel = _challenge_panel(today)

    proposals = {}
    for title, summary, owner, deadline, status, created, points in PROPOSALS:
        proposal, made = Proposal.objects.get_or_create(title=title, defaults={
            "summary": summary, "owner": users[owner], "panel": panel, "status": status,
            "response_deadline": today + timedelta(days=deadline),
            "created_at": now - timedelta(days=created), "created_by": users[owner],
        })
        proposals[title] = proposal
        if not made:
            continue
        for index, (partner, text, answer) in enumerate(points):
            point = FeedbackPoint.objects.create(
                proposal=proposal, text=text, raised_by=partners.get(partner), recorded_by=users[owner],
                recorded_at=now - timedelta(days=created - 14) + timedelta(minutes=index),
            )
            if answer:
                outcome, response, reason, due = answer
                FeedbackResponse.objects.create(
                    point=point, outcome=outcome, response=response, reason=reason,
                    due_on=today + timedelta(days=due) if due is not None else None,
                    responded_by=users[owner], responded_at=now - timedelta(days=created - 30),
                )

    ladder = Ladder.current()
    rungs = {rung.position: rung for rung in ladder.rungs.all()} if ladder else {}
    for (title, days_ago, decided_by, service, rung, by_panel, proposal, how, implementation,
         public) in DECISIONS:
        Decision.objects.get_or_create(title=title, defaults={
            "decided_on": today - timedelta(days=days_ago), "decided_by": decided_by,
            "service": services.get(service), "rung": rungs.get(rung),
            "shaped_by_panel": panel if by_panel else None, "shaped_by_proposal": proposals.get(proposal),
            "how_shaped": how, "implementation": implementation, "is_public": public,
            "recorded_by": users["staff@example.org"],
        })

    meetings = {meeting.title: meeting for meeting in panel.meetings.all()}
    for email, days_ago, category, hours, note, meeting in STAFF_TIME:
        StaffTime.objects.get_or_create(
            user=users[email], panel=panel, spent_on=today - timedelta(days=days_ago), category=category,
            defaults={"hours": Decimal(hours), "note": note, "meeting": meetings.get(meeting)},
        )

    for post, service, opened, closed, notes, stages in ROUNDS:
        round_, made = RecruitmentRound.objects.get_or_create(post_title=post, defaults={
            "service": services.get(service), "opens_on": today - timedelta(days=opened),
            "closes_on": today - timedelta(days=closed), "notes": notes,
            "created_by": users["staff@example.org"],
        })
        if not made:
            continue
        for kind, held, cancelled, stage_partners, stage_staff in stages:
            stage = RecruitmentStage.objects.create(round=round_, kind=kind, cancelled=cancelled,
                                                    held_on=today - timedelta(days=held))
            for name in stage_partners:
                if name in partners:
                    StageParticipant.objects.create(stage=stage, partner=partners[name])
            for email in stage_staff:
                StageParticipant.objects.create(stage=stage, user=users[email])
