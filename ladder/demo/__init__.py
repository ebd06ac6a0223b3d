"""Demo ladder rounds: three organisation-wide self-assessments over eighteen months,
all closed, showing progress in recruitment and co-design and a clear gap in
governance (staff place us well above where partners do); a few actions, one
overdue; and an open round for the housing service that the demo partner
(partner@example.org) is invited to, with one area answered.

Idempotent: rounds are keyed on their titles, respondents on (round, person),
answers on (respondent, area), actions on their description. Dates are set
relative to the day the demo is first loaded.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coprod.models import Service
from coprod.registry import demo_steps
from ladder.defaults import AREAS
from ladder.defaults import TLAP
from ladder.defaults import install_defaults
from ladder.demo import benchmark
from ladder.models import Action
from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Respondent
from ladder.models import Response
from ladder.models import Round
from ladder.models import Rung
from panels.models import Decision
from panels.models import Panel
from participants.models import Partner

GOVERNANCE, RECRUITMENT, CO_DESIGN, CO_PLANNING, CO_DELIVERY, KNOWLEDGE, INFLUENCING = [a[0] for a in AREAS]

STAFF = ["staff@example.org", "j.okafor@example.org", "p.lindqvist@example.org", "s.begum@example.org",
         "d.mensah@example.org"]

# Partners answer with their link worker when they have no login.
ROUNDS = [
    # title, days before today it closed, partners, staff medians per area, partner medians per area
    ("First ladder self-assessment", 540,
     ["Sarah Thompson", "Kwame Asante", "Derek Hall", "Tomás O'Connor", "Winston Clarke", "Margaret Byrne"],
     [4, 3, 3, 3, 3, 2, 2], [3, 3, 2, 2, 3, 2, 2]),
    ("Second ladder self-assessment", 270,
     ["Sarah Thompson", "Kwame Asante", "Tomás O'Connor", "Grace Adeyemi", "Winston Clarke", "Stuart McLeod",
      "Aisha Rahman"],
     [5, 4, 4, 3, 4, 3, 3], [3, 4, 4, 3, 4, 3, 2]),
    ("Third ladder self-assessment", 30,
     ["Sarah Thompson", "Kwame Asante", "Tomás O'Connor", "Grace Adeyemi", "Aisha Rahman", "Jamie Wright",
      "David Okoro", "Ewa Kowalczyk"],
     [6, 6, 5, 4, 5, 4, 3], [3, 6, 5, 4, 5, 4, 3]),
]
# Spread around each median that keeps the median where it is.
STAFF_OFFSETS = [0, -1, 1, 0, 0]
PARTNER_OFFSETS = [0, 1, -1, 0, 0, 1, -1, 0]

# What the first staff member and the first two partners said, per area: (evidence, next step).
COMMENTS = {
    GOVERNANCE: {
        "staff": ("Two partners now sit on the board's quality committee and we report co-production to "
                  "trustees every quarter.", "Add a partner seat on the finance and risk committee."),
        "partners": [
            ("We are invited to the committee, but the papers come the night before and the decisions "
             "feel made already.", "Send papers a week ahead and let partners put items on the agenda."),
            ("Nobody has told us what the board did with what we said last time.",
             "Report back after each board meeting on what changed because of us."),
        ],
    },
    RECRUITMENT: {
        "staff": ("Partners sat on every interview panel for advisers this year.",
                  "Ask partners to help write the job descriptions too."),
        "partners": [
            ("I helped design the interview task and my scores counted the same as the manager's.",
             "Train more of us so it is not always the same two people."),
            ("We shortlisted together and talked it through as equals.",
             "Pay partners for the shortlisting time as well as the interviews."),
        ],
    },
    CO_DESIGN: {
        "staff": ("The housing triage form was redesigned in workshops with partners.",
                  "Use the same workshops for the new website."),
        "partners": [
            ("The new form uses our words now, not legal words.",
             "Test letters with us before they are sent out."),
            ("We were asked early, before anything was drawn up.",
             "Hold the workshops in the evening too, for people who work."),
        ],
    },
    CO_PLANNING: {
        "staff": ("Partners commented on the draft business plan.",
                  "Hold a planning day with partners before the budget is set."),
        "partners": [
            ("We saw the plan when it was nearly finished.",
             "Involve us before the budget is decided, not after."),
            ("It was explained well, but the priorities were already set.",
             "Let partners suggest one priority each year."),
        ],
    },
    CO_DELIVERY: {
        "staff": ("Partners co-run the Tuesday welcome session at the drop-in.",
                  "Pay partners to co-deliver the volunteer induction."),
        "partners": [
            ("I run the welcome table with a volunteer adviser every Tuesday.",
             "Let partners co-deliver the training for new staff."),
            ("People open up more when someone who has been there says hello first.",
             "Start a peer support session on Thursdays as well."),
        ],
    },
    KNOWLEDGE: {
        "staff": ("Partners helped choose the questions for our client survey.",
                  "Agree the outcome measures with partners."),
        "partners": [
            ("We were asked what to measure, but never saw the results.",
             "Share the survey results with us and ask what they mean."),
            ("The survey questions are much clearer since we helped.",
             "Train a few of us to run interviews for the evaluation."),
        ],
    },
    INFLUENCING: {
        "staff": ("A partner spoke at the council's homelessness forum.",
                  "Take partners to meetings with commissioners."),
        "partners": [
            ("Staff go to the council meetings; we hear about them later.",
             "Bring two partners to the next commissioning meeting."),
            ("Our stories are used in reports to the council, but we are not in the room.",
             "Let us present our own stories to the council."),
        ],
    },
}

ACTIONS = [
    # description, area, owner, due (days from today), status, round title, (linked panel, linked decision)
    ("Send committee papers to partner members a week ahead, in large print when asked.", GOVERNANCE,
     "staff@example.org", -14, Action.Status.IN_PROGRESS, "Third ladder self-assessment", ("", "")),
    ("Train four more partners to sit on interview panels.", RECRUITMENT, "j.okafor@example.org", 60,
     Action.Status.NOT_STARTED, "Third ladder self-assessment",
     ("", "Partners on every interview panel for advice posts")),
    ("Bring two partners to the council's homelessness commissioning meeting.", INFLUENCING,
     "s.begum@example.org", 30, Action.Status.IN_PROGRESS, "Third ladder self-assessment", ("", "")),
    ("Co-design the new housing triage form in workshops with partners.", CO_DESIGN, "j.okafor@example.org",
     -180, Action.Status.DONE, "Second ladder self-assessment", ("Housing advice challenge panel", "")),
]

OPEN_ROUND = "Housing advice check-in"


def _partner(full_name: str) -> Partner:
    partner, _ = Partner.objects.get_or_create(full_name=full_name,
                                               defaults={"status": Partner.Status.ACTIVE})
    return partner


def _respondent(round_: Round, *, user=None, partner=None, by=None) -> Respondent:
    group = Respondent.Group.PARTNER if partner else Respondent.Group.STAFF
    respondent, _ = Respondent.objects.get_or_create(
        round=round_, user=user, partner=partner,
        defaults={"group": group, "invited_by": by, "invited_at": round_.created_at},
    )
    return respondent


def _answer(respondent: Respondent, area: Area, rung: Rung, *, when, comment=("", ""), entered_by) -> None:
    on_behalf = respondent.is_partner and respondent.partner.user_id != getattr(entered_by, "pk", None)
    Response.objects.get_or_create(respondent=respondent, area=area, defaults={
        "rung": rung, "evidence": comment[0], "next_step": comment[1], "entered_by": entered_by,
        "on_behalf": on_behalf, "created_at": when, "updated_at": when,
    })


def _clamp(value: int, rungs: int) -> int:
    return max(1, min(rungs, value))


@transaction.atomic
def seed() -> None:
    install_defaults(Ladder, Rung, Area)
    ladder = Ladder.objects.get(name=TLAP)
    rungs = {rung.position: rung for rung in ladder.rungs.all()}
    areas = [Area.objects.get(name=name) for name, _ in AREAS]
    users = {u.email: u for u in get_user_model().objects.filter(email__in=STAFF)}
    staff = [users[email] for email in STAFF if email in users]
    lead = users.get("staff@example.org")
    now = timezone.now()
    today = timezone.localdate()

    for title, days_ago, partner_names, staff_medians, partner_medians in ROUNDS:
        closes_on = today - timedelta(days=days_ago)
        round_, created = Round.objects.get_or_create(title=title, defaults={
            "ladder": ladder, "closes_on": closes_on, "status": Round.Status.CLOSED, "created_by": lead,
            "created_at": now - timedelta(days=days_ago + 35),
            "opened_at": now - timedelta(days=days_ago + 28),
            "closed_at": now - timedelta(days=days_ago - 1), "closed_by": lead,
        })
        if created:
            round_.areas.set(areas)
        answered_at = round_.opened_at + timedelta(days=7)
        for index, user in enumerate(staff):
            respondent = _respondent(round_, user=user, by=lead)
            for area, median in zip(areas, staff_medians, strict=True):
                comment = COMMENTS[area.name]["staff"] if index == 0 else ("", "")
                position = _clamp(median + STAFF_OFFSETS[index % len(STAFF_OFFSETS)], len(rungs))
                _answer(respondent, area, rungs[position], when=answered_at, comment=comment, entered_by=user)
        for index, name in enumerate(partner_names):
            partner = _partner(name)
            respondent = _respondent(round_, partner=partner, by=lead)
            entered_by = partner.user or partner.link_worker or lead
            for area, median in zip(areas, partner_medians, strict=True):
                comment = COMMENTS[area.name]["partners"][index] if index < 2 else ("", "")
                position = _clamp(median + PARTNER_OFFSETS[index % len(PARTNER_OFFSETS)], len(rungs))
                _answer(respondent, area, rungs[position], when=answered_at, comment=comment,
                        entered_by=entered_by)

    rounds = {r.title: r for r in Round.objects.filter(title__in=[r[0] for r in ROUNDS])}
    for description, area_name, owner, due_in, status, round_title, _links in ACTIONS:
        round_ = rounds[round_title]
        Action.objects.get_or_create(description=description, defaults={
            "area": Area.objects.get(name=area_name), "owner": users.get(owner), "status": status,
            "due_on": today + timedelta(days=due_in), "round": round_,
            "created_by": lead, "created_at": round_.closed_at or now,
        })

    _seed_open_round(ladder=ladder, rungs=rungs, users=users, lead=lead, now=now, today=today)


def _seed_open_round(*, ladder, rungs, users, lead, now, today) -> None:
    housing = Service.objects.filter(name="Housing and homelessness advice").first()
    round_, created = Round.objects.get_or_create(title=OPEN_ROUND, defaults={
        "ladder": ladder, "service": housing, "closes_on": today + timedelta(days=21),
        "status": Round.Status.OPEN, "created_by": lead, "created_at": now - timedelta(days=3),
        "opened_at": now - timedelta(days=2),
    })
    areas = list(Area.objects.filter(name__in=[CO_DESIGN, CO_DELIVERY, RECRUITMENT]))
    if created:
        round_.areas.set(areas)
    for email in ["staff@example.org", "j.okafor@example.org"]:
        if email in users:
            _respondent(round_, user=users[email], by=lead)
    for name in ["Sarah Thompson", "Tomás O'Connor", "David Okoro"]:
        _respondent(round_, partner=_partner(name), by=lead)
    sam = Respondent.objects.filter(round=round_, partner__full_name="Sarah Thompson").select_related(
        "partner__user").first()
    co_design = next(a for a in areas if a.name == CO_DESIGN)
    _answer(sam, co_design, rungs[5], when=now - timedelta(days=1), entered_by=sam.partner.user or lead,
            comment=("The new triage form uses our words now, but we were not asked about the waiting room.",
                     "Ask the housing panel before changing how people are seen."))


@transaction.atomic
def link_actions() -> None:
    """Link the demo actions to the demo panels and decisions; run after those are seeded."""
    for description, *_, (panel_name, decision_title) in ACTIONS:
        Action.objects.filter(description=description, panel=None, decision=None).update(
            panel=Panel.objects.filter(name=panel_name).first() if panel_name else None,
            decision=Decision.objects.filter(title=decision_title).first() if decision_title else None,
        )


def register() -> None:
    """The ladder's demo steps (called from `LadderConfig.ready()`): the rounds before the
    panels, the actions' links to panels and decisions after them."""
    benchmark.register()
    demo_steps.register("ladder.rounds", seed, order=30)
    demo_steps.register("ladder.actions", link_actions, order=50)
