"""Demo panels and meetings for the demo organisation (see coprod/demo/; proposals,
decisions, staff time and recruitment: panels/demo/decisions.py).

- the housing advice challenge panel, chaired by the demo partner (partner@example.org),
  with past meetings (attendance recorded: attended with hours, apologies, a no-show;
  minutes; papers) and meetings coming up (invited, confirmed, declined);
- a time-limited advisory group on the benefits website, with its own meetings;
- a working group that finished, closed, with one meeting on record.

Idempotent: panels are keyed on their names, memberships on panel and person,
meetings on panel and title, register lines on meeting and person, papers on meeting
and title; a second run adds nothing. Meeting dates are set relative to the day of
the first run.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from coprod.models import Area
from coprod.models import Service
from coprod.registry import demo_steps
from panels.models import Attendance
from panels.models import Meeting
from panels.models import MeetingPaper
from panels.models import Membership
from panels.models import Panel
from participants.models import Partner

from . import benchmark
from . import decisions

HOUSING = "Housing and homelessness advice"
BENEFITS = "Welfare benefits"
CENTRE = "Riverside Community Law Centre, 14 Mill Lane, Riverside. Meeting room 1 (ground floor)."
CENTRE_ACCESS = ("Step-free entrance on Mill Lane with a ramp; accessible toilet next to the meeting room; "
                 "hearing loop in meeting room 1; a quiet room is free on request. Bus 12 and 40 stop "
                 "outside. Two blue-badge parking spaces at the back.")
ONLINE = ("Video call on the link we send the day before, or by phone: 0330 088 1234, meeting ID 481 "
          "226 9051. Captions are switched on.")

# name, kind, service, co-production area, started (days ago), ends (days from today, or None),
# status, purpose, terms of reference, members: (partner full name or staff e-mail, role, joined days ago).
PANELS = [
    ("Housing advice challenge panel", "challenge", HOUSING, "Co-design", 400, None, "active",
     "Partners with experience of housing problems challenge our plans before they are decided.",
     "The panel looks at draft changes to our housing advice service before managers decide.\n\n"
     "It meets about once a month for two hours, in person with a way to join online. Papers are sent "
     "at least a week before, in large print on request.\n\n"
     "Every point the panel makes gets a written answer within the deadline we set, saying what we did "
     "or why not (you said, we did).\n\n"
     "Partners are paid for each meeting and for an hour of reading time, plus travel and childcare "
     "or carer costs.",
     [("Sarah Thompson", "chair", 400), ("Tomás O'Connor", "member", 400), ("Kwame Asante", "member", 380),
      ("Bernadette Walsh", "member", 300), ("j.okafor@example.org", "facilitator", 400),
      ("staff@example.org", "member", 200)]),
    ("Benefits website advisory group", "advisory", BENEFITS, "Co-design", 120, 90, "active",
     "A time-limited group that shapes our new benefits pages and online enquiry form with us.",
     "The group meets four to six times until the new pages go live, then closes.\n\n"
     "Members test drafts of the pages and the form, and tell us what is confusing or missing. We "
     "change the pages and show the group what changed at the next meeting.\n\n"
     "Meetings are online or hybrid; we lend a tablet and data to anyone who needs one.",
     [("Grace Adeyemi", "co_chair", 120), ("Aisha Rahman", "member", 120), ("Jamie Wright", "member", 120),
      ("Lauren Green", "member", 90), ("Winston Clarke", "member", 120),
      ("s.begum@example.org", "co_chair", 120)]),
    ("Welcome pack working group", "working_group", HOUSING, "Co-delivery", 200, -60, "closed",
     "Rewrote the welcome pack for new partners with people who had just joined.",
     "Met three times to rewrite the welcome pack; finished when the new pack was printed.",
     [("Bernadette Walsh", "member", 200), ("David Okoro", "member", 200),
      ("staff@example.org", "facilitator", 200)]),
]

# panel, title, days from today (negative: past), start hour and minute, length in minutes, format,
# agenda, minutes, register: {person: (status, hours or None)}, papers: [(title, kind)].
MEETINGS = [
    ("Housing advice challenge panel", "Evening advice sessions: first look", -75, (17, 30), 120, "hybrid",
     "1. Welcome and introductions\n2. The idea: evening advice sessions on Thursdays\n3. What would make "
     "you come, or stop you coming?\n4. Next steps and payment forms",
     "Present: Sam (chair), Tom, Bernie, Joseph (facilitator).\nApologies: Kwame.\n\n"
     "Joseph explained the proposal for Thursday evening sessions. The panel supported the idea but "
     "asked how people would book: many people have no credit for calls, so booking by text is needed. "
     "Tom raised the waiting area being in view of the street.\n\n"
     "Actions: Joseph to bring a written proposal with booking options to the next meeting.",
     {"Sarah Thompson": ("attended", Decimal("3.00")), "Tomás O'Connor": ("attended", Decimal("2.00")),
      "Kwame Asante": ("apologies", None), "Bernadette Walsh": ("attended", Decimal("2.00")),
      "j.okafor@example.org": ("attended", Decimal("2.00"))},
     [("Evening sessions: the idea in brief", "pdf"), ("Agenda", "txt")]),
    ("Housing advice challenge panel", "Evening advice sessions: the proposal", -45, (10, 0), 120,
     "in_person",
     "1. Welcome\n2. Notes of the last meeting\n3. The written proposal: evening sessions\n4. Points for "
     "the organisation to answer",
     "Present: Sam (chair), Tom, Kwame, Joseph, Amira.\nDid not attend: Bernie.\n\n"
     "The panel went through the written proposal and made four points: booking by text, a private "
     "waiting area, sessions at the estate library, and a call-back when a session is full. Joseph "
     "will answer each point in writing by the deadline.",
     {"Sarah Thompson": ("attended", Decimal("2.50")), "Tomás O'Connor": ("attended", Decimal("2.00")),
      "Kwame Asante": ("attended", Decimal("2.00")), "Bernadette Walsh": ("no_show", None),
      "j.okafor@example.org": ("attended", Decimal("2.00")),
      "staff@example.org": ("attended", Decimal("2.00"))},
     [("Proposal: evening advice sessions", "pdf")]),
    ("Housing advice challenge panel", "Closing housing cases", -12, (10, 0), 120, "in_person",
     "1. Welcome\n2. You said, we did: answers on evening sessions\n3. New proposal: closing cases after "
     "28 days\n4. Any other business",
     "Present: Sam (chair), Kwame, Bernie, Joseph.\nApologies: Tom, Amira.\n\n"
     "Joseph went through the answers to the panel's points on evening sessions. The panel was pleased "
     "that booking by text is now live. On closing cases after 28 days, the panel was worried that "
     "people in crisis miss letters, and asked for a text message before a case is closed.",
     {"Sarah Thompson": ("attended", Decimal("2.00")), "Tomás O'Connor": ("apologies", None),
      "Kwame Asante": ("attended", Decimal("2.00")), "Bernadette Walsh": ("attended", Decimal("2.00")),
      "j.okafor@example.org": ("attended", Decimal("2.00")), "staff@example.org": ("apologies", None)},
     [("Proposal: closing housing cases", "pdf")]),
    ("Housing advice challenge panel", "Case closure letters: first draft", 9, (10, 0), 120, "hybrid",
     "1. Welcome\n2. Notes of the last meeting\n3. The draft letter and text message before a case is "
     "closed\n4. Plain English check: what would you change?\n5. Dates for next year",
     "",
     {"Sarah Thompson": ("invited", None), "Tomás O'Connor": ("confirmed", None),
      "Kwame Asante": ("invited", None), "Bernadette Walsh": ("declined", None),
      "j.okafor@example.org": ("confirmed", None), "staff@example.org": ("confirmed", None)},
     [("Draft case closure letter", "pdf"), ("Agenda", "txt")]),
    ("Housing advice challenge panel", "The panel's year: what changed because of you", 37, (14, 0), 150,
     "in_person",
     "1. Welcome\n2. A year of you said, we did\n3. How the panel works: what to keep, what to change\n"
     "4. Lunch together (from 1pm, before the meeting)",
     "", {}, []),
    ("Benefits website advisory group", "What makes a benefits website work", -50, (14, 0), 90, "online",
     "1. Introductions\n2. Websites you find easy, and ones you give up on\n3. What people need to find "
     "first",
     "Present: Grace and Shirin (co-chairs), Aisha, Jamie, Winston.\n\nThe group agreed three things "
     "people need first: am I entitled, what do I need to bring, and how to get help today. Jargon "
     "like 'mandatory reconsideration' must be explained on the page.",
     {"Grace Adeyemi": ("attended", Decimal("1.50")), "Aisha Rahman": ("attended", Decimal("1.50")),
      "Jamie Wright": ("attended", Decimal("1.50")), "Winston Clarke": ("attended", Decimal("1.50")),
      "s.begum@example.org": ("attended", Decimal("1.50"))},
     [("Notes on the current website", "txt")]),
    ("Benefits website advisory group", "Testing the online enquiry form", -20, (14, 0), 90, "hybrid",
     "1. Welcome\n2. Try the form on your own phone\n3. What stopped you, what helped",
     "Present: Grace (co-chair), Aisha, Lauren, Shirin (co-chair).\nApologies: Winston.\nDid not "
     "attend: Jamie.\n\nEveryone finished the form, but three people were stuck on the date of birth "
     "field and two did not know what 'reference number' meant. The form will be changed before the "
     "next meeting.",
     {"Grace Adeyemi": ("attended", Decimal("1.50")), "Aisha Rahman": ("attended", Decimal("1.50")),
      "Jamie Wright": ("no_show", None), "Lauren Green": ("attended", Decimal("1.50")),
      "Winston Clarke": ("apologies", None), "s.begum@example.org": ("attended", Decimal("1.50"))},
     []),
    ("Benefits website advisory group", "Reviewing the new benefits pages", 14, (14, 0), 90, "online",
     "1. Welcome\n2. What changed since last time\n3. The new pages, one by one",
     "",
     {"Grace Adeyemi": ("confirmed", None), "Aisha Rahman": ("invited", None),
      "Jamie Wright": ("invited", None), "Lauren Green": ("confirmed", None),
      "Winston Clarke": ("declined", None), "s.begum@example.org": ("confirmed", None)},
     [("Screenshots of the new pages", "pdf")]),
    ("Welcome pack working group", "Welcome pack: final read-through", -90, (11, 0), 120, "in_person",
     "1. The printed proof\n2. Last changes\n3. Thank you lunch",
     "Present: Bernie, Dave, Amira.\n\nThe group signed off the new welcome pack. It will be given to "
     "every new partner from next month.",
     {"Bernadette Walsh": ("attended", Decimal("2.00")), "David Okoro": ("attended", Decimal("2.00")),
      "staff@example.org": ("attended", Decimal("2.00"))},
     []),
]


def _person(key: str, *, users: dict, partners: dict) -> dict | None:
    """The staff member (by e-mail) or partner (by full name) as Membership/Attendance fields;
    None when the demo organisation has no such person (left out, or erased)."""
    person = users.get(key) if "@" in key else partners.get(key)
    if person is None:
        return None
    return {"user": person} if "@" in key else {"partner": person}


def _paper_file(title: str, kind: str, meeting: Meeting) -> ContentFile:
    if kind == "txt":
        text = f"{meeting.panel.name}\n{meeting.title}\n\n{meeting.agenda}\n"
        return ContentFile(text.encode(), name="agenda.txt")
    from weasyprint import HTML  # loaded on first use: it takes a second to start

    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in (meeting.agenda or "").splitlines())
    html = (f"<html><body style='font-family: sans-serif; font-size: 14pt'><h1>{escape(title)}</h1>"
            f"<p><strong>{escape(meeting.panel.name)}</strong>, {escape(meeting.title)}</p>"
            f"<p>This is a short paper for the meeting. Large-print and easy-read copies are available "
            f"on request.</p>{paragraphs}</body></html>")
    slug = "".join(c if c.isalnum() else "_" for c in title.lower()).strip("_")[:50]
    return ContentFile(HTML(string=html).write_pdf(), name=f"{slug}.pdf")


@transaction.atomic
def seed() -> None:
    """Top up the demo panels and meetings; needs the demo partners (participants/demo/)."""
    User = get_user_model()
    users = {user.email: user for user in User.objects.filter(is_staff_member=True)}
    partners = {partner.full_name: partner for partner in Partner.objects.filter(erased_at__isnull=True)}
    services = {service.name: service for service in Service.objects.all()}
    areas = {area.name: area for area in Area.objects.all()}
    lead = users.get("staff@example.org")
    today = timezone.localdate()

    panels = {}
    for (name, kind, service, area, started, ends, status, purpose, terms, members) in PANELS:
        panel, created = Panel.objects.get_or_create(name=name, defaults={
            "kind": kind, "service": services.get(service), "area": areas.get(area),
            "starts_on": today - datetime.timedelta(days=started),
            "ends_on": None if ends is None else today + datetime.timedelta(days=ends),
            "status": status, "purpose": purpose, "terms_of_reference": terms, "created_by": lead,
        })
        if not panel.terms_of_reference:  # a panel made by another demo step before this one ran
            panel.terms_of_reference, panel.area = terms, panel.area or areas.get(area)
            panel.save(update_fields=["terms_of_reference", "area"])
        panels[name] = panel
        for key, role, joined in members:
            person = _person(key, users=users, partners=partners)
            if person is None:
                continue
            membership = Membership.objects.filter(panel=panel, left_on__isnull=True, **person).first()
            if membership is None:
                joined_on = max(panel.starts_on, today - datetime.timedelta(days=joined))
                Membership.objects.create(panel=panel, role=role, joined_on=joined_on, **person)
            elif membership.role != role and membership.role == Membership.Role.MEMBER:
                membership.role = role
                membership.save(update_fields=["role"])

    for (panel_name, title, days, (hour, minute), minutes_long, meeting_format, agenda, notes, register,
         papers) in MEETINGS:
        panel = panels[panel_name]
        day = today + datetime.timedelta(days=days)
        starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        meeting, created = Meeting.objects.get_or_create(panel=panel, title=title, defaults={
            "starts_at": starts_at, "ends_at": starts_at + datetime.timedelta(minutes=minutes_long),
            "format": meeting_format, "agenda": agenda, "minutes": notes, "created_by": lead,
            "venue": "" if meeting_format == Meeting.Format.ONLINE else CENTRE,
            "access_information": CENTRE_ACCESS if meeting_format != Meeting.Format.ONLINE else
            "Captions on; we can add a British Sign Language interpreter if you ask a week before.",
            "online_joining": "" if meeting_format == Meeting.Format.IN_PERSON else ONLINE,
        })
        # Everyone on the panel is on the register; the table above says what happened.
        people = register or {
            membership.user.email if membership.user_id else membership.partner.full_name: ("invited", None)
            for membership in panel.memberships.current().select_related("partner", "user")
        }
        for key, (status, hours) in people.items():
            person = _person(key, users=users, partners=partners)
            if person is None:
                continue
            Attendance.objects.get_or_create(meeting=meeting, **person,
                                             defaults={"status": status, "hours": hours, "updated_by": lead,
                                                       "updated_at": min(starts_at, timezone.now())})
        for paper_title, kind in papers:
            if not meeting.papers.filter(title=paper_title).exists():
                paper = MeetingPaper(meeting=meeting, title=paper_title, uploaded_by=lead,
                                     uploaded_at=min(starts_at - datetime.timedelta(days=7), timezone.now()))
                content = _paper_file(paper_title, kind, meeting)
                paper.file.save(content.name, content, save=False)
                paper.save()


def register() -> None:
    """The panels' demo steps (called from `PanelsConfig.ready()`)."""
    benchmark.register()
    demo_steps.register("panels.panels", seed, order=40)
    demo_steps.register("panels.decisions", decisions.seed, order=41)
