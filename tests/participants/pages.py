"""Permission-matrix rows for the participants app, and the records its pages need.

Each feature keeps its own block: its rows go into `PAGES`, and its records are made
by a function added to `POPULATE` (owned by `world.partner` where they belong to a
partner, so `other_partner` must get 404)."""

from ..permissions import EVERYONE
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


# --- Data protection ---


def _populate_data_protection(world) -> None:
    from datetime import timedelta

    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from participants.models import Consent
    from participants.models import ConsentStatement
    from participants.models import Course
    from participants.models import Invitation
    from participants.models import StatusChange
    from participants.models import TrainingRecord

    # Erasure needs this permission on top of the staff role.
    world.staff.user_permissions.add(Permission.objects.get(codename="delete_partner",
                                                            content_type__app_label="participants"))
    partner = world.partner
    StatusChange.objects.create(partner=partner, from_status="induction", to_status="active",
                                changed_by=world.staff, note="Finished induction")
    Consent.objects.create(partner=partner, recorded_by=partner.user,
                           statement=ConsentStatement.objects.get_or_create(
                               topic="data", version=1, defaults={"wording": "We keep your details."})[0])
    # get_or_create: browser tests run on a flushed database, without the shipped lists.
    TrainingRecord.objects.create(partner=partner, course=Course.objects.get_or_create(name="Induction")[0],
                                  completed_on=timezone.localdate(), recorded_by=world.staff)
    Invitation.objects.create(
        email=partner.user.email, full_name=partner.full_name, role=Invitation.Role.PARTNER, partner=partner,
        token="data-protection-invitation", created_by=world.staff, accepted_at=timezone.now(),
        accepted_user=partner.user, expires_at=timezone.now() + timedelta(days=14),
    )


POPULATE.append(_populate_data_protection)

# Partner's own actions: every partner acts on their own record, so both partners get there.
OWN_ACTION = (LOGIN, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN)
STAFF_ACTION = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)

PAGES += [
    Page("participants:my_data", PARTNERS_ONLY),
    Page("participants:my_data_json", PARTNERS_ONLY, sweep=False),
    Page("participants:my_data_pdf", OWN_ACTION, method="post"),
    Page("participants:my_data_erasure_request", OWN_ACTION, method="post", data=lambda w: {"confirm": "on"}),
    Page("participants:partner_export", STAFF_ONLY, kwargs=lambda w: {"pk": w.partner.pk}),
    Page("participants:partner_export_json", STAFF_ONLY, kwargs=lambda w: {"pk": w.partner.pk}, sweep=False),
    Page("participants:partner_export_pdf", STAFF_ACTION, kwargs=lambda w: {"pk": w.partner.pk},
         method="post"),
    Page("participants:partner_erase", STAFF_ONLY, kwargs=lambda w: {"pk": w.partner.pk}),
    Page("participants:partner_erase", STAFF_ACTION, kwargs=lambda w: {"pk": w.partner.pk}, method="post",
         data=lambda w: {"confirm_name": w.partner.full_name}),
]


# --- Invitations ---

GONE = 410  # expired, revoked or used links: a page saying what to do, nothing created
INVITATION_ACTION = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)


def _populate_invitations(world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from .factories import InvitationFactory
    from .factories import PartnerFactory
    from .factories import PartnerInvitationFactory

    now = timezone.now()
    newcomer = PartnerFactory(full_name="Nia Newcomer", email="nia@example.test", status="induction")
    world.invitation = PartnerInvitationFactory(
        partner=newcomer, email=newcomer.email, full_name=newcomer.full_name, created_by=world.staff,
    )
    world.invitation_expired = InvitationFactory(
        full_name="Eve Expired", email="eve@example.test", created_by=world.staff,
        created_at=now - timedelta(days=20), expires_at=now - timedelta(days=6),
    )
    world.invitation_revoked = InvitationFactory(
        full_name="Rob Revoked", email="rob@example.test", role="staff", created_by=world.staff,
        revoked_at=now, revoked_by=world.staff,
    )
    world.invitation_accepted = InvitationFactory(
        full_name=world.trustee.full_name, email=world.trustee.email, created_by=world.staff,
        accepted_at=now, accepted_user=world.trustee,
    )


POPULATE.append(_populate_invitations)


def _token(attribute: str):
    return lambda world: {"token": getattr(world, attribute).token}


PAGES += [
    Page("participants:invitation_list", STAFF_ONLY),
    Page("participants:invitation_create", STAFF_ONLY),
    Page("participants:invitation_resend", INVITATION_ACTION, kwargs=lambda w: {"pk": w.invitation.pk},
         method="post"),
    Page("participants:invitation_revoke", INVITATION_ACTION, kwargs=lambda w: {"pk": w.invitation.pk},
         method="post"),
    # Anyone holding the link opens it; signed-in people who are not the invitee are told so.
    Page("participants:invitation_accept", EVERYONE, kwargs=_token("invitation")),
    Page("participants:invitation_accept", (REDIRECT, OK, OK, OK, OK), kwargs=_token("invitation"),
         method="post", data=lambda w: {"how": "code"}),
    Page("participants:invitation_accept", (GONE,) * 5, kwargs=_token("invitation_expired"), sweep=False),
    Page("participants:invitation_accept", (GONE,) * 5, kwargs=_token("invitation_revoked"), sweep=False),
    Page("participants:invitation_accept", (NOT_FOUND,) * 5, kwargs=lambda w: {"token": "no-such-invitation"},
         sweep=False),
]


# --- Partner records (staff) ---


def _populate_partner_records(world) -> None:
    from django.contrib.auth.models import Permission

    from participants import services
    from participants.models import AccessNeed
    from participants.models import LivedExperienceArea

    # The world's staff member may see sensitive data, so the sweep audits those sections too.
    world.staff.user_permissions.add(Permission.objects.get(
        codename="view_sensitive_partner_data", content_type__app_label="participants"))
    world.staff = type(world.staff).objects.get(pk=world.staff.pk)  # drop the cached permissions
    world.access_need = AccessNeed.objects.get_or_create(name="Large print")[0]  # browser tests flush data
    world.area = LivedExperienceArea.objects.create(name="Homelessness")
    services.partner_update(partner=world.partner, by=world.staff, data={
        "preferred_name": "Pat", "pronouns": "they/them", "phone": "07700 900123",
        "strengths": "Knows the housing system from the inside.", "link_worker": world.staff,
        "access_needs": [world.access_need], "interpreter_language": "Polish",
        "lived_experience": [world.area], "benefit_check": True,
    })
    services.partner_change_status(partner=world.partner, status="paused", note="Taking a break",
                                   by=world.staff)


POPULATE.append(_populate_partner_records)

STAFF_POST = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)


def _partner(world) -> dict:
    return {"pk": world.partner.pk}


PAGES += [
    Page("participants:partner_list", STAFF_ONLY),
    Page("participants:partner_create", STAFF_ONLY),
    # Suggestions while staff type in a partner field: a fragment of a page, not a page.
    Page("participants:partner_suggest", STAFF_ONLY, sweep=False),
    Page("participants:partner_detail", STAFF_ONLY, kwargs=_partner),
    Page("participants:partner_edit", STAFF_ONLY, kwargs=_partner),
    Page("participants:partner_status", STAFF_POST, kwargs=_partner, method="post",
         data=lambda w: {"status": "active" if w.partner.status != "active" else "paused", "note": ""}),
    Page("participants:access_need_list", STAFF_ONLY),
    Page("participants:access_need_create", STAFF_ONLY),
    Page("participants:access_need_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.access_need.pk}),
    Page("participants:area_list", STAFF_ONLY),
    Page("participants:area_create", STAFF_ONLY),
    Page("participants:area_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.area.pk}),
]


# --- Consent and training ---

CONSENT_OWN_POST = (LOGIN, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN)  # each partner acts on their own record
CONSENT_STAFF_POST = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)


def _populate_consent_and_training(world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from participants.models import Consent
    from participants.models import ConsentStatement
    from participants.models import Course
    from participants.models import TrainingRecord

    from .factories import PartnerFactory
    from .factories import StaffFactory

    # get_or_create: a transactional test (the browser sweep) empties the lists the migrations ship.
    def statement(topic: str) -> ConsentStatement:
        return ConsentStatement.objects.get_or_create(
            topic=topic, version=1, defaults={"wording": f"The first wording about {topic}."})[0]

    today = timezone.localdate()
    world.consent_quotes = Consent.objects.create(
        partner=world.partner, recorded_by=world.partner.user, statement=statement("quotes"),
    )
    # The other partner agreed to the first photo wording, which has since changed.
    Consent.objects.create(partner=world.other_partner, recorded_by=world.staff,
                           statement=statement("photos"))
    statement("data")
    world.photos_v2 = ConsentStatement.objects.create(
        topic="photos", version=2, wording="We may take photos at meetings and events and use them in "
                                           "our newsletters, reports and on our website.")
    world.contact_statement = statement("contact")
    world.course = Course.objects.get_or_create(name="Safeguarding", defaults={
        "valid_for_months": 24, "required_for_partners": True, "required_for_staff": True})[0]
    world.training_record = TrainingRecord.objects.create(
        course=world.course, partner=world.partner, completed_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=20), recorded_by=world.staff,
    )
    TrainingRecord.objects.create(course=world.course, user=world.staff, recorded_by=world.staff,
                                  completed_on=today - timedelta(days=800),
                                  expires_on=today - timedelta(days=70))
    PartnerFactory(full_name="Dana Due", service=world.service)
    StaffFactory(full_name="Stan Untrained", email="stan@example.test")


POPULATE.append(_populate_consent_and_training)

PAGES += [
    # The partner's own pages
    Page("participants:my_details", PARTNERS_ONLY),
    Page("participants:my_details_edit", PARTNERS_ONLY),
    Page("participants:my_reminders", PARTNERS_ONLY),
    Page("participants:my_details_edit", CONSENT_OWN_POST, method="post",
         data=lambda w: {"preferred_contact": "phone", "phone": "07700 900123"}),
    Page("participants:my_consent", PARTNERS_ONLY),
    Page("participants:consent_give", CONSENT_OWN_POST, kwargs=lambda w: {"pk": w.contact_statement.pk},
         method="post"),
    Page("participants:consent_withdraw", (LOGIN, REDIRECT, NOT_FOUND, FORBIDDEN, FORBIDDEN),
         kwargs=lambda w: {"pk": w.consent_quotes.pk}, method="post"),
    Page("participants:my_training", PARTNERS_ONLY),
    # Staff: consent
    Page("participants:consent_statement_list", STAFF_ONLY),
    Page("participants:consent_statement_create", STAFF_ONLY),
    Page("participants:consent_statement_create", CONSENT_STAFF_POST, method="post",
         data=lambda w: {"topic": "quotes", "wording": "We may quote you in reports and on our website, "
                                                      "without your name."}),
    Page("participants:consent_statement_welsh", STAFF_ONLY, kwargs=lambda w: {"pk": w.contact_statement.pk}),
    Page("participants:consent_statement_welsh", CONSENT_STAFF_POST,
         kwargs=lambda w: {"pk": w.contact_statement.pk}, method="post",
         data=lambda w: {"wording_cy": "Cawn gysylltu â chi am gyfarfodydd."}),
    Page("participants:partner_consent", STAFF_ONLY, kwargs=lambda w: {"pk": w.partner.pk}),
    Page("participants:partner_consent", CONSENT_STAFF_POST, kwargs=lambda w: {"pk": w.partner.pk},
         method="post", data=lambda w: {"action": "give", "statement": w.contact_statement.pk}),
    # Staff: training
    Page("participants:course_list", STAFF_ONLY),
    Page("participants:course_create", STAFF_ONLY),
    Page("participants:course_create", CONSENT_STAFF_POST, method="post",
         data=lambda w: {"name": "Chairing meetings", "valid_for_months": "12"}),
    Page("participants:course_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.course.pk}),
    Page("participants:course_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.course.pk}),
    Page("participants:course_edit", CONSENT_STAFF_POST, kwargs=lambda w: {"pk": w.course.pk}, method="post",
         data=lambda w: {"name": "Safeguarding", "valid_for_months": "36", "required_for_partners": "on"}),
    Page("participants:training_record_create", STAFF_ONLY),
    Page("participants:training_record_create", CONSENT_STAFF_POST, method="post",
         data=lambda w: {"course": w.course.pk, "partner": w.other_partner.pk, "completed_on": "2025-01-15"}),
    Page("participants:training_record_delete", STAFF_ONLY, kwargs=lambda w: {"pk": w.training_record.pk}),
    Page("participants:training_record_delete", CONSENT_STAFF_POST,
         kwargs=lambda w: {"pk": w.training_record.pk}, method="post"),
    Page("participants:training_due", STAFF_ONLY),
]


# --- Spreadsheet imports (staff) ---


def _populate_imports(world) -> None:
    from django.core.files.base import ContentFile

    from participants.models import ImportBatch

    world.import_mapped = ImportBatch.objects.create(
        kind="partners", filename="partners.csv", headers=["Name", "Email"],
        mapping={"Name": "full_name", "Email": "email"}, status="mapped", row_count=1, created_by=world.staff)
    world.import_mapped.file.save("partners.csv", ContentFile(b"Name,Email\nIvy Import,ivy@example.test\n"))
    world.import_done = ImportBatch.objects.create(
        kind="partners", filename="earlier.csv", status="done", created_count=1, created_by=world.staff,
        people=[world.other_partner.pk])


POPULATE.append(_populate_imports)
# A button staff press: anyone else is refused before anything happens.
STAFF_POST = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)

PAGES += [
    Page("participants:import_list", STAFF_ONLY),
    Page("participants:import_columns", STAFF_ONLY, kwargs=lambda w: {"pk": w.import_mapped.pk}),
    Page("participants:import_preview", STAFF_ONLY, kwargs=lambda w: {"pk": w.import_mapped.pk}),
    Page("participants:import_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.import_done.pk}),
    Page("participants:import_cancel", STAFF_POST, kwargs=lambda w: {"pk": w.import_mapped.pk},
         method="post"),
    Page("participants:import_invite", STAFF_POST, kwargs=lambda w: {"pk": w.import_done.pk}, method="post",
         data=lambda w: {"people": [w.other_partner.pk]}),
]
