"""Demo partners of the demo organisation (see coprod/demo/): about twenty-five
lived-experience partners with varied statuses, services, access needs, areas of
lived experience, status histories, link workers and payment preferences.

Idempotent: partners are keyed on their full name, and a partner's details and
history are only written when the record is first created.
"""

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from coprod.demo import _user
from coprod.models import Service
from coprod.registry import demo_steps
from participants.demo import benchmark
from participants.models import AccessNeed
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Course
from participants.models import Invitation
from participants.models import LivedExperienceArea
from participants.models import Partner
from participants.models import StatusChange
from participants.models import TrainingRecord
from participants.rules import ERASE_PERMISSION
from participants.services import ERASURE_REQUEST_NOTE
from participants.services import partner_erase

HOUSING = "Housing and homelessness advice"
DEBT = "Debt and money advice"
BENEFITS = "Welfare benefits"
IMMIGRATION = "Immigration and asylum"

AREAS = ["Homelessness", "Debt", "Addiction recovery", "Mental health", "Domestic abuse", "Immigration",
         "Disability", "Care leaver", "Leaving prison"]

# Staff who see partners' lived experience, access needs and benefit flag.
SENSITIVE_DATA_STAFF = ["staff@example.org", "j.okafor@example.org"]

# Logins for these partners (the others have no login; some have no e-mail either).
WITH_LOGIN = {"partner@example.org", "l.novak@example.net", "m.farah@example.net", "b.walsh@example.net"}

# The journey to each status, and how far apart the steps were (days).
JOURNEYS = {
    "enquiry": ["enquiry"],
    "induction": ["enquiry", "induction"],
    "active": ["enquiry", "induction", "active"],
    "paused": ["enquiry", "induction", "active", "paused"],
    "left": ["enquiry", "induction", "active", "left"],
}
NOTES = {
    "induction": "Came to the welcome session",
    "active": "Induction finished",
    "paused": "Taking a break for health reasons; happy to be contacted in the spring",
    "left": "Moved out of the area",
}

# email, full name, preferred name, pronouns, status, service, link worker, months since they first
# got in touch, phone, preferred contact, access needs, interpreter language, lived experience,
# payment preference, payments checked against benefit rules, strengths.
PARTNERS = [
    ("partner@example.org", "Sarah Thompson", "Sam", "she/her", "active", HOUSING, "staff@example.org", 30,
     "07700 900101", "email", ["Large print", "Papers in advance"], "", ["Homelessness", "Mental health"],
     "bank_transfer", True, "Spent two years in temporary accommodation and knows what waiting for a "
     "council decision feels like. Calm and clear when chairing."),
    ("", "Kwame Asante", "", "he/him", "active", BENEFITS, "s.begum@example.org", 26, "07700 900102", "phone",
     ["Step-free access"], "", ["Disability", "Debt"], "cash", True,
     "Won his own benefit appeal; explains the process to others in plain words."),
    ("l.novak@example.net", "Lucja Novak", "Lucy", "she/her", "induction", IMMIGRATION,
     "d.mensah@example.org", 3, "07700 900103", "text", ["Interpreter"], "Polish", ["Immigration"],
     "voucher", False, "Helps her neighbours with letters from the Home Office."),
    ("", "Derek Hall", "Del", "he/him", "paused", DEBT, "p.lindqvist@example.org", 22, "", "post",
     ["Hearing loop"], "", ["Debt", "Addiction recovery"], "cash", True,
     "Straight talker about bailiffs and what actually helps."),
    ("m.farah@example.net", "Maryan Farah", "", "she/her", "enquiry", HOUSING, "j.okafor@example.org", 1,
     "07700 900105", "email", ["Interpreter", "Childcare cover"], "Somali",
     ["Homelessness", "Domestic abuse"], "bank_transfer", True,
     "Organises a women's group at the community centre."),
    ("t.oconnor@example.net", "Tomás O'Connor", "Tom", "he/him", "active", HOUSING, "j.okafor@example.org",
     20, "07700 900106", "email", [], "", ["Homelessness", "Addiction recovery"], "bank_transfer", False,
     "Peer mentor at the night shelter."),
    ("", "Grace Adeyemi", "", "she/her", "active", BENEFITS, "s.begum@example.org", 18, "07700 900107",
     "text", ["Carer cover"], "", ["Disability", "Mental health"], "voucher", True,
     "Carer for her son; sharp eye for forms that do not work."),
    ("a.rahman@example.net", "Aisha Rahman", "", "she/her", "active", IMMIGRATION, "d.mensah@example.org",
     16, "", "email", ["Papers in advance"], "", ["Immigration", "Domestic abuse"], "bank_transfer", False,
     "Trained interpreter; good at spotting jargon."),
    ("j.wright@example.net", "Jamie Wright", "", "they/them", "active", DEBT, "p.lindqvist@example.org", 14,
     "07700 900109", "email", ["Quiet space"], "", ["Debt", "Mental health", "Care leaver"], "bank_transfer",
     True, "Designs easy-to-read leaflets."),
    ("", "Patrick Doyle", "Paddy", "he/him", "left", HOUSING, "j.okafor@example.org", 34, "", "post", [], "",
     ["Homelessness"], "declines", False, "Twenty years of knowing every hostel in the city."),
    ("e.kowalczyk@example.net", "Ewa Kowalczyk", "", "she/her", "active", DEBT, "p.lindqvist@example.org", 12,
     "07700 900111", "email", ["Interpreter"], "Polish", ["Debt"], "bank_transfer", False,
     "Bookkeeper; reads a budget at a glance."),
    ("s.mitchell@example.net", "Shauna Mitchell", "", "she/her", "induction", HOUSING, "staff@example.org", 2,
     "07700 900112", "text", ["Childcare cover"], "", ["Domestic abuse", "Homelessness"], "voucher", True,
     "Set up a tenants' group on her estate."),
    ("", "Winston Clarke", "", "he/him", "active", BENEFITS, "s.begum@example.org", 24, "07700 900113",
     "phone", ["Large print", "Step-free access"], "", ["Disability"], "cash", True,
     "Retired bus driver; patient listener."),
    ("l.nasser@example.net", "Leila Nasser", "", "she/her", "active", IMMIGRATION, "d.mensah@example.org", 10,
     "07700 900114", "email", ["Interpreter"], "Arabic", ["Immigration"], "bank_transfer", False,
     "Teacher before she came to the UK; good at running workshops."),
    ("c.evans@example.net", "Connor Evans", "", "he/him", "active", DEBT, "p.lindqvist@example.org", 9,
     "07700 900115", "email", [], "", ["Care leaver", "Debt"], "bank_transfer", True,
     "Speaks up for young people leaving care."),
    ("", "Margaret Byrne", "Peggy", "she/her", "paused", BENEFITS, "s.begum@example.org", 28, "", "post",
     ["Hearing loop", "Large print"], "", ["Disability"], "voucher", True,
     "Knows the history of every change to disability benefits."),
    ("d.okoro@example.net", "David Okoro", "Dave", "he/him", "active", HOUSING, "j.okafor@example.org", 15,
     "", "email", ["BSL interpreter"], "", ["Homelessness", "Disability"], "bank_transfer", False,
     "Deaf community advocate."),
    ("r.patel@example.net", "Riya Patel", "", "she/her", "enquiry", BENEFITS, "s.begum@example.org", 0,
     "07700 900118", "email", [], "", ["Mental health"], "bank_transfer", False,
     "Student nurse interested in how services listen."),
    ("", "Stuart McLeod", "Stu", "he/him", "active", DEBT, "p.lindqvist@example.org", 19, "07700 900119",
     "phone", ["Easy read"], "", ["Addiction recovery", "Debt"], "cash", True,
     "Five years in recovery; runs a football group."),
    ("h.ali@example.net", "Hassan Ali", "", "he/him", "active", IMMIGRATION, "d.mensah@example.org", 11,
     "07700 900120", "text", ["Interpreter"], "Dari", ["Immigration", "Homelessness"], "voucher", True,
     "Helps new arrivals find their way around the city."),
    ("k.jones@example.net", "Kerry Jones", "", "she/her", "left", DEBT, "p.lindqvist@example.org", 32,
     "07700 900121", "email", [], "", ["Debt", "Domestic abuse"], "bank_transfer", False,
     "Helped design the debt advice triage."),
    ("b.walsh@example.net", "Bernadette Walsh", "Bernie", "she/her", "active", HOUSING, "staff@example.org",
     21, "07700 900122", "email", ["Step-free access"], "", ["Homelessness", "Addiction recovery"],
     "bank_transfer", True, "Chairs the housing challenge panel with warmth and rigour."),
    ("", "Yusuf Ibrahim", "", "he/him", "induction", IMMIGRATION, "d.mensah@example.org", 2, "07700 900123",
     "text", ["Interpreter"], "Somali", ["Immigration"], "voucher", True,
     "Youth worker at the mosque."),
    ("l.green@example.net", "Lauren Green", "", "she/her", "active", BENEFITS, "s.begum@example.org", 8,
     "07700 900124", "email", ["Quiet space", "Papers in advance"], "", ["Mental health", "Care leaver"],
     "bank_transfer", True, "Writes the partners' newsletter."),
    ("r.foster@example.net", "Ryan Foster", "", "he/him", "paused", HOUSING, "j.okafor@example.org", 13, "",
     "email", [], "", ["Addiction recovery", "Leaving prison"], "bank_transfer", False,
     "Knows what leaving prison with nowhere to go is like."),
]

DEMO_PARTNER_DETAILS = {
    "address": "Flat 4, 12 Riverside Road\nRiverside RV1 2AB",
    "skills": "Chairing meetings, interview panels, reading policies and saying what they mean",
    "interests": "Recruitment panels, housing policy, training new partners",
    "availability": "Weekday afternoons; not in school holidays",
    "access_notes": "A break every hour, please, and papers a week ahead.",
}


def _set_history(partner: Partner, *, by, when) -> None:
    partner._history_user = by
    partner._history_date = when


@transaction.atomic
def seed() -> None:
    """Top up the demo partners; needs the demo organisation (coprod.demo.seed_organisation)."""
    User = get_user_model()
    permission = Permission.objects.get(codename="view_sensitive_partner_data",
                                        content_type__app_label="participants")
    for user in User.objects.filter(email__in=SENSITIVE_DATA_STAFF):
        user.user_permissions.add(permission)

    services = {service.name: service for service in Service.objects.all()}
    staff = {user.email: user for user in User.objects.filter(is_staff_member=True)}
    needs = {need.name: need for need in AccessNeed.objects.all()}
    areas = {name: LivedExperienceArea.objects.get_or_create(name=name)[0] for name in AREAS}
    now = timezone.now()

    for (email, full_name, preferred, pronouns, status, service, link_worker, months, phone, contact,
         access_needs, interpreter, lived, payment, benefit_check, strengths) in PARTNERS:
        joined = now - timedelta(days=30 * months + 5)
        worker = staff[link_worker]
        partner = Partner.objects.filter(full_name=full_name).first()
        if partner is None:
            partner = Partner(
                full_name=full_name, preferred_name=preferred, pronouns=pronouns, email=email, phone=phone,
                preferred_contact=contact, interpreter_language=interpreter, strengths=strengths,
                status=status, service=services[service], link_worker=worker, payment_preference=payment,
                benefit_check=benefit_check, created=joined,
                user=_user(email, full_name) if email in WITH_LOGIN else None,
            )
            if email == "partner@example.org":
                for field, value in DEMO_PARTNER_DETAILS.items():
                    setattr(partner, field, value)
            _set_history(partner, by=worker, when=joined)
            partner.save()
            partner.skip_history_when_saving = True
            partner.access_needs.set([needs[name] for name in access_needs])
            partner.lived_experience.set([areas[name] for name in lived])
            del partner.skip_history_when_saving
            _set_history(partner, by=worker, when=joined + timedelta(minutes=5))
            partner.save(update_fields=["full_name"])  # records the tags with who added them
            if email == "partner@example.org":
                # A later change, so the demo record's audit trail shows more than its creation.
                partner.availability = "Weekday afternoons and some evenings; not in school holidays"
                partner.skip_history_when_saving = True
                partner.access_needs.add(needs["Quiet space"])
                del partner.skip_history_when_saving
                _set_history(partner, by=staff["staff@example.org"], when=now - timedelta(days=40))
                partner.save(update_fields=["availability"])
        if not partner.status_changes.exists():
            steps = JOURNEYS[partner.status]
            gap = (now - partner.created) / (len(steps) + 1)
            previous = ""
            for number, step in enumerate(steps):
                StatusChange.objects.create(
                    partner=partner, from_status=previous, to_status=step, changed_by=worker,
                    changed_at=partner.created + gap * number, note=NOTES.get(step, "First got in touch"),
                )
                previous = step


# --- Data protection ---
# Staff allowed to erase partners' personal data (the participants.delete_partner permission).
ERASE_DATA_STAFF = ["staff@example.org"]
# A former partner whose personal data was erased, to show what is kept afterwards.
ERASED_PARTNER = {
    "full_name": "Gary Lyons", "preferred_name": "Gaz", "pronouns": "he/him", "email": "g.lyons@example.net",
    "phone": "07700 900130", "status": "left", "service": HOUSING, "link_worker": "j.okafor@example.org",
    "months": 40, "strengths": "Sat on the first housing panel.",
}
# A partner who has asked us, through their own page, to delete their information.
ERASURE_REQUESTED_BY = "Maryan Farah"


@transaction.atomic
def seed_data_protection() -> None:
    """Who may erase, one erased partner and one open request; needs `seed()` first."""
    User = get_user_model()
    app_label, codename = ERASE_PERMISSION.split(".")
    permission = Permission.objects.get(codename=codename, content_type__app_label=app_label)
    for user in User.objects.filter(email__in=ERASE_DATA_STAFF):
        user.user_permissions.add(permission)
    eraser = User.objects.get(email=ERASE_DATA_STAFF[0])
    now = timezone.now()

    if not Partner.objects.filter(erased_at__isnull=False).exists():
        details = dict(ERASED_PARTNER)
        worker = User.objects.get(email=details.pop("link_worker"))
        joined = now - timedelta(days=30 * details.pop("months"))
        service = Service.objects.get(name=details.pop("service"))
        partner = Partner(service=service, link_worker=worker, created=joined, **details)
        _set_history(partner, by=worker, when=joined)
        partner.save()
        StatusChange.objects.create(partner=partner, from_status="", to_status="active", changed_by=worker,
                                    changed_at=joined, note="First got in touch")
        StatusChange.objects.create(partner=partner, from_status="active", to_status="left",
                                    changed_by=worker, changed_at=now - timedelta(days=200),
                                    note="Moved away to be near family")
        TrainingRecord.objects.create(partner=partner, course=Course.objects.get(name="Induction"),
                                      completed_on=(joined + timedelta(days=20)).date(), recorded_by=worker)
        partner_erase(partner=partner, by=eraser, confirm_name=partner.full_name)

    requester = Partner.objects.filter(full_name=ERASURE_REQUESTED_BY, erased_at__isnull=True).first()
    if requester is not None:
        StatusChange.objects.get_or_create(
            partner=requester, note=ERASURE_REQUEST_NOTE,
            defaults={"from_status": requester.status, "to_status": requester.status,
                      "changed_by": requester.user, "changed_at": now - timedelta(days=3)},
        )


# --- Consent and training ---
# Most partners agreed to their data being kept and to being contacted; some to
# quotes and photos; one withdrew quotes. The photo wording changed two months ago,
# so agreements to the first words no longer count. Training completions with some
# expired or due; the demo partner's set is complete. Staff safeguarding too.

PHOTOS_V2 = ("We may take photos at meetings and events and use them in our newsletters, reports and on "
             "our website. We will ask you first each time, and you can say no on the day.")
QUOTES_WITHDRAWN_BY = "Stuart McLeod"
# Staff members' safeguarding: days since completed (None: never done).
STAFF_SAFEGUARDING = {"staff@example.org": 200, "j.okafor@example.org": 420, "p.lindqvist@example.org": 710,
                      "s.begum@example.org": 760, "d.mensah@example.org": None}


@transaction.atomic
def seed_consent_and_training() -> None:
    """Consents and training records of the demo partners and staff; needs `seed()` first."""
    User = get_user_model()
    now = timezone.now()
    today = timezone.localdate()
    staff = User.objects.get(email="staff@example.org")
    photos_v1 = ConsentStatement.objects.get(topic="photos", version=1)
    photos_v2, _ = ConsentStatement.objects.get_or_create(
        topic="photos", version=2,
        defaults={"wording": PHOTOS_V2, "effective_from": today - timedelta(days=60)},
    )
    # The first wordings were in use before the earliest demo partner joined.
    first_joined = timezone.localtime(Partner.objects.order_by("created").first().created)
    ConsentStatement.objects.filter(version=1, effective_from__gt=first_joined.date()).update(
        effective_from=first_joined.date())
    latest = {statement.topic: statement for statement in ConsentStatement.objects.latest()}
    courses = {course.name: course for course in Course.objects.all()}

    def agree(partner, statement, when, withdrawn=None):
        who = partner.user or partner.link_worker or staff
        Consent.objects.get_or_create(partner=partner, statement=statement, defaults={
            "agreed_at": when, "recorded_by": who, "withdrawn_at": withdrawn,
            "withdrawn_by": who if withdrawn else None,
        })

    def completed(course_name, when, **person):
        course = courses[course_name]
        TrainingRecord.objects.get_or_create(course=course, **person, defaults={
            "completed_on": when, "expires_on": course.expiry_for(when),
            "recorded_by": staff,
        })

    partners = Partner.objects.filter(erased_at__isnull=True).order_by("created", "pk")
    for number, partner in enumerate(partners):
        joined = partner.created
        demo = partner.user_id is not None and partner.user.email == "partner@example.org"
        agree(partner, latest["data"], joined + timedelta(days=1))
        if partner.status != Partner.Status.LEFT:
            agree(partner, latest["contact"], joined + timedelta(days=1))
        if partner.full_name == QUOTES_WITHDRAWN_BY:
            agree(partner, latest["quotes"], joined + timedelta(days=20), withdrawn=now - timedelta(days=45))
        elif demo or number % 3 == 0:
            agree(partner, latest["quotes"], joined + timedelta(days=20))
        if demo:
            agree(partner, photos_v2, now - timedelta(days=50))
        elif number % 4 == 1:
            agree(partner, photos_v1, joined + timedelta(days=20))  # not yet agreed to the new words

        if partner.status == Partner.Status.ENQUIRY:
            continue
        start = timezone.localtime(joined).date()
        completed("Induction", start + timedelta(days=30), partner=partner)
        if partner.status == Partner.Status.INDUCTION:
            continue
        # Safeguarding (24 months): most current, some expired, a few expiring within a month.
        age = 180 if demo else {0: 200, 1: 760, 2: 400, 3: 715, 4: 100}[number % 5]
        completed("Safeguarding", max(today - timedelta(days=age), start + timedelta(days=30)),
                  partner=partner)
        if demo or number % 3 == 2:
            completed("Recruitment panel training", start + timedelta(days=90), partner=partner)
        if demo or number % 4 == 0:
            completed("Confidentiality", today - timedelta(days=300), partner=partner)

    for email, days in STAFF_SAFEGUARDING.items():
        user = User.objects.filter(email=email).first()
        if user is not None and days is not None:
            completed("Safeguarding", today - timedelta(days=days), user=user)


# --- Invitations ---
# One partner has an invitation waiting, one let theirs run out, one accepted hers
# months ago, and a staff invitation sent to a mistyped address was revoked.

INVITATIONS = [
    # full name, e-mail, role, partner record (full name) or None, days since sent, days valid, state
    ("Tomás O'Connor", "t.oconnor@example.net", "partner", "Tomás O'Connor", 2, 14, "pending"),
    ("Aisha Rahman", "a.rahman@example.net", "partner", "Aisha Rahman", 20, 14, "expired"),
    ("Lucja Novak", "l.novak@example.net", "partner", "Lucja Novak", 95, 14, "accepted"),
    ("Kieran Ward", "k.ward@example.og", "staff", None, 10, 14, "revoked"),
]


@transaction.atomic
def seed_invitations() -> None:
    """Invitations in each state, sent by the demo staff member; needs `seed()` first."""
    staff = get_user_model().objects.get(email="staff@example.org")
    now = timezone.now()
    for full_name, email, role, partner_name, days_ago, days_valid, state in INVITATIONS:
        if Invitation.objects.filter(email=email, role=role).exists():
            continue
        partner = Partner.objects.filter(full_name=partner_name).select_related("user").first()
        if partner_name and (partner is None or (state == "accepted") != (partner.user_id is not None)):
            continue  # the partner record is not as this invitation needs it
        sent = now - timedelta(days=days_ago)
        invitation = Invitation(
            email=email, full_name=full_name, role=role, partner=partner, token=secrets.token_urlsafe(32),
            created_by=staff, created_at=sent, sent_at=sent, send_count=1,
            expires_at=sent + timedelta(days=days_valid),
        )
        if state == "accepted":
            invitation.accepted_at = sent + timedelta(days=1)
            invitation.accepted_user = partner.user
        elif state == "revoked":
            invitation.revoked_at = sent + timedelta(hours=2)
            invitation.revoked_by = staff
        invitation._history_user = staff
        invitation.save()


def register() -> None:
    """The partners' demo steps (called from `ParticipantsConfig.ready()`)."""
    benchmark.register()
    demo_steps.register("participants.partners", seed, order=20)
    demo_steps.register("participants.invitations", seed_invitations, order=21)
    demo_steps.register("participants.data_protection", seed_data_protection, order=22)
    demo_steps.register("participants.consent_and_training", seed_consent_and_training, order=23)
