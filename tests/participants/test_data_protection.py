"""Data protection: the export of everything held about a partner, and erasure."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coprod import registry
from coprod.models import Report
from coprod.roles import partner_for
from participants import data_protection
from participants import services
from participants.models import AccessNeed
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Course
from participants.models import Invitation
from participants.models import LivedExperienceArea
from participants.models import Partner
from participants.models import StatusChange
from participants.models import TrainingRecord

from ..helpers import assert_queries_bounded
from ..helpers import pdf_text
from .factories import PASSWORD
from .factories import PartnerFactory
from .factories import StaffFactory
from .factories import UserFactory

pytestmark = pytest.mark.django_db

# Details that only this partner has, so a search for them anywhere finds only their data.
DETAILS = {
    "full_name": "Zebedee Quartermain",
    "preferred_name": "Zebbo",
    "pronouns": "he/him",
    "phone": "07700 900461",
    "address": "14 Larkspur Terrace, Riverside",
    "interpreter_language": "Tigrinya",
    "access_notes": "Needs a break every forty minutes",
    "strengths": "Knows the Larkspur eviction process inside out",
    "skills": "Chairing Larkspur tenants' meetings",
    "interests": "The Larkspur housing panel",
    "availability": "Tuesday mornings after the Larkspur market",
}
EMAIL = "zebedee.quartermain@example.test"


def _grant(user, codename: str) -> None:
    permission = Permission.objects.get(codename=codename, content_type__app_label="participants")
    user.user_permissions.add(permission)


@pytest.fixture
def eraser():
    """A staff member allowed to erase partners' data."""
    user = StaffFactory(email="dpo@example.test", full_name="Dana Protector")
    _grant(user, "delete_partner")
    return user


def full_partner(staff, *, suffix: str = "", records: int = 1) -> Partner:
    """A partner with one (or `records`) of every kind of record the participants app keeps."""
    user = UserFactory(email=f"login{suffix}.{EMAIL}", full_name=DETAILS["full_name"] + suffix)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    partner = Partner(user=user, email=f"{suffix}{EMAIL}", benefit_check=True, link_worker=staff,
                      **{key: value + suffix for key, value in DETAILS.items()})
    partner._history_user = staff
    partner.save()
    partner.access_needs.add(AccessNeed.objects.get(name="Large print"))
    partner.lived_experience.add(LivedExperienceArea.objects.create(name=f"Eviction{suffix}"))
    partner.phone = "07700 900999" + suffix
    partner._history_user = staff
    partner.save(update_fields=["phone"])
    statement = ConsentStatement.objects.get(topic="contact", version=1)
    courses = list(Course.objects.all())
    for n in range(records):
        StatusChange.objects.create(partner=partner, from_status="enquiry", to_status="active",
                                    changed_by=staff, note=f"Met Zebbo at the Larkspur café{suffix} {n}")
        Consent.objects.create(partner=partner, statement=statement, recorded_by=user)
        TrainingRecord.objects.create(partner=partner, course=courses[n % len(courses)], recorded_by=staff,
                                      completed_on=timezone.localdate() - timedelta(days=n))
        Invitation.objects.create(
            email=partner.email, full_name=partner.full_name, role=Invitation.Role.PARTNER, partner=partner,
            token=f"token-{suffix}-{n}", created_by=staff, expires_at=timezone.now() + timedelta(days=3),
        )
        Report.objects.create(kind=Report.Kind.CERTIFICATE, title=f"Certificate for {partner.full_name}",
                              partner=partner, requested_by=staff)
    return partner


def _sections(partner, **kwargs) -> dict:
    return data_protection.partner_export(partner, **kwargs)["sections"]


# --- Export ---------------------------------------------------------------------------


def test_export_contains_every_related_record_type(world):
    partner = full_partner(world.staff)
    sections = _sections(partner)

    profile = sections["Profile"]
    assert profile["full_name"] == "Zebedee Quartermain"
    assert profile["email"] == EMAIL
    assert profile["address"] == DETAILS["address"]
    assert profile["access_needs"] == ["Large print"]
    assert profile["lived_experience"] == ["Eviction"]
    assert profile["access_notes"] == DETAILS["access_notes"]
    assert profile["benefit_check"] is True
    assert profile["link_worker"] == world.staff.full_name
    assert [c["note"] for c in sections["Status history"]] == ["Met Zebbo at the Larkspur café 0"]
    consent = sections["Consents"][0]
    assert consent["topic"] == "Being contacted"
    assert consent["version"] == 1
    assert consent["wording"].startswith("We may contact you")
    assert consent["in_force"] is True
    assert sections["Training"][0]["course"] == Course.objects.first().name
    invitation = sections["Invitations"][0]
    assert invitation["email"] == EMAIL
    assert "token" not in invitation, "the invitation token is a credential and is never exported"
    login = sections["Login account"]
    assert login["email"] == f"login.{EMAIL}"
    assert login["last_login"] is not None and login["date_joined"] is not None
    assert login["email_addresses"] == [{"email": f"login.{EMAIL}", "verified": True, "primary": True}]
    assert sections["Personal documents"][0]["title"] == "Certificate for Zebedee Quartermain"

    history = sections["Changes to the record"]
    assert history[0]["what"] == "Created"
    assert history[0]["by"] == world.staff.full_name
    assert history[0]["changes"]["full_name"] == {"from": None, "to": "Zebedee Quartermain"}
    changes = [entry["changes"] for entry in history]
    assert {"from": [], "to": ["Large print"]} in [change.get("access_needs") for change in changes]
    assert {"from": [], "to": ["Eviction"]} in [change.get("lived_experience") for change in changes]
    assert history[-1]["changes"]["phone"] == {"from": "07700 900461", "to": "07700 900999"}


def test_export_of_one_partner_never_includes_another_partners_data(world):
    mine = full_partner(world.staff)
    theirs = full_partner(world.staff, suffix="-other")
    text = json.dumps(data_protection.partner_export(mine), default=str)
    assert "Zebedee Quartermain-other" not in text
    assert f"-other{EMAIL}" not in text
    assert "07700 900999-other" not in text
    assert "Eviction-other" not in text
    assert "Zebedee Quartermain" in text
    assert theirs.pk != mine.pk


def test_export_runs_the_same_number_of_queries_however_much_is_held(world):
    small = full_partner(world.staff, suffix="-a", records=1)
    large = full_partner(world.staff, suffix="-b", records=10)
    for n in range(10):
        large.preferred_name = f"Zeb {n}"
        large._history_user = world.staff
        large.save(update_fields=["preferred_name"])
    with CaptureQueriesContext(connection) as few:
        data_protection.partner_export(small)
    with CaptureQueriesContext(connection) as many:
        export = data_protection.partner_export(large)
    assert len(export["sections"]["Consents"]) == 10
    assert len(few) == len(many) <= 25  # one query per section, "Reminders and notices" included


def test_staff_without_the_sensitive_permission_get_an_export_without_sensitive_fields(world, client):
    world.staff.user_permissions.clear()
    partner = full_partner(world.staff)
    client.force_login(world.staff)
    body = client.get(reverse("participants:partner_export_json", args=[partner.pk])).json()
    assert body["withheld"] == Partner.SENSITIVE_FIELDS
    assert "access_notes" not in body["sections"]["Profile"]
    assert DETAILS["access_notes"] not in json.dumps(body)
    assert "Eviction" not in json.dumps(body)
    page = client.get(reverse("participants:partner_export", args=[partner.pk]))
    assert "you do not have permission to see sensitive partner data" in page.content.decode()

    _grant(world.staff, "view_sensitive_partner_data")
    client.force_login(world.staff)
    body = client.get(reverse("participants:partner_export_json", args=[partner.pk])).json()
    assert body["withheld"] == []
    assert body["sections"]["Profile"]["access_notes"] == DETAILS["access_notes"]


def test_staff_download_the_export_as_a_json_attachment(world, staff_client):
    partner = full_partner(world.staff)
    response = staff_client.get(reverse("participants:partner_export_json", args=[partner.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="partner-{partner.pk}-data.json"'
    assert "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["partner_id"] == partner.pk
    # The participants app's sections come first; other apps add theirs after.
    assert list(body["sections"])[:8] == ["Profile", "Status history", "Consents", "Training", "Invitations",
                                      "Login account", "Personal documents", "Changes to the record"]


def test_staff_export_page_shows_every_section_with_its_records(world, staff_client):
    partner = full_partner(world.staff)
    page = staff_client.get(reverse("participants:partner_export", args=[partner.pk])).content.decode()
    for text in ["Everything we hold about Zebedee Quartermain", "Met Zebbo at the Larkspur café 0",
                 "Being contacted", "Certificate for Zebedee Quartermain", "Download JSON", "Make a PDF"]:
        assert text in page


def test_partner_sees_and_downloads_only_their_own_information(world, partner_client):
    page = partner_client.get(reverse("participants:my_data")).content.decode()
    assert world.partner.full_name in page
    assert world.other_partner.full_name not in page
    response = partner_client.get(reverse("participants:my_data_json"))
    assert response["Content-Disposition"] == 'attachment; filename="my-information.json"'
    body = response.json()
    assert body["partner_id"] == world.partner.pk
    assert world.other_partner.full_name not in response.content.decode()


def test_staff_pdf_export_holds_the_partners_name_and_every_section(world, staff_client, settings, tmp_path,
                                                                  django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    world.staff.user_permissions.clear()
    partner = full_partner(world.staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("participants:partner_export_pdf", args=[partner.pk]))
    report = Report.objects.get(kind=Report.Kind.DATA_EXPORT, partner=partner)
    assert response.url == reverse("coprod:report_detail", args=[report.pk])
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(report.file.read())
    for expected in ["Everything we hold about Zebedee Quartermain", "Profile", "Status history", "Consents",
                     "Training", "Invitations", "Login account", "Changes to the record",
                     "Met Zebbo at the Larkspur café 0"]:
        assert expected in text
    assert "Needs a break every forty minutes" not in text, "sensitive fields need the permission"


def test_partner_makes_a_pdf_of_their_own_information_that_another_partner_cannot_open(
    world, client_for, settings, tmp_path, django_capture_on_commit_callbacks
):
    partner_client, other_partner_client = client_for("partner"), client_for("other_partner")
    settings.MEDIA_ROOT = tmp_path
    world.partner.access_notes = "Prefers afternoon meetings"
    world.partner.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client.post(reverse("participants:my_data_pdf"))
    report = Report.objects.get(kind=Report.Kind.DATA_EXPORT)
    assert report.partner == world.partner
    assert response.url == reverse("coprod:report_detail", args=[report.pk])
    text = pdf_text(partner_client.get(reverse("coprod:report_download", args=[report.pk])).getvalue())
    assert world.partner.full_name in text
    assert "Prefers afternoon meetings" in text, "a partner's own copy is complete"
    assert other_partner_client.get(reverse("coprod:report_detail", args=[report.pk])).status_code == 404


# --- Erasure --------------------------------------------------------------------------


def _everything_in_the_database() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def test_erasure_leaves_no_personal_data_anywhere(world, eraser, settings, tmp_path,
                                                  django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    partner = full_partner(world.staff, records=2)
    report = partner.reports.first()
    report.file.save("certificate.pdf", ContentFile(b"%PDF-1.4 Zebedee"))
    file_name = report.file.name
    user = partner.user
    before = _everything_in_the_database()
    assert "Quartermain" in before and "900461" in before

    with django_capture_on_commit_callbacks(execute=True):
        services.partner_erase(partner=partner, by=eraser, confirm_name="Zebedee Quartermain")

    after = _everything_in_the_database()
    for value in [*DETAILS.values(), EMAIL, "07700 900999", "Met Zebbo", "Larkspur", "Quartermain"]:
        assert value not in after, f"{value!r} is still in the database"
    partner.refresh_from_db()
    assert partner.full_name == f"Erased partner {partner.pk}"
    assert partner.is_erased and partner.erased_by == eraser
    assert partner.status == Partner.Status.LEFT
    assert not partner.access_needs.exists() and not partner.lived_experience.exists()
    assert partner.benefit_check is False and partner.user is None
    user.refresh_from_db()
    assert user.email == f"erased-{partner.pk}@invalid" and not user.is_active
    assert not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Consent.objects.filter(partner=partner).exists()
    assert not Invitation.objects.filter(partner=partner).exists()
    assert not Report.objects.filter(partner=partner).exists()
    assert not default_storage.exists(file_name), "the certificate's PDF file is deleted too"

    # Kept: training (course and dates), status dates, and the record of the erasure.
    assert TrainingRecord.objects.filter(partner=partner).count() == 2
    assert StatusChange.objects.filter(partner=partner, to_status="active").count() == 2
    erasure = StatusChange.objects.get(partner=partner, note=services.ERASED_NOTE)
    assert erasure.changed_by == eraser and erasure.to_status == Partner.Status.LEFT
    versions = list(Partner.history.filter(id=partner.pk))
    assert len(versions) == 1, "only the anonymised version, written by the erasure, survives"
    assert versions[0].history_user == eraser
    assert versions[0].history_change_reason == services.ERASED_NOTE


ERASER_CALLS: list = []


def record_eraser_call(partner, by) -> None:
    ERASER_CALLS.append((partner.pk, partner.full_name, by.pk))


def test_erasure_runs_every_apps_eraser_before_anonymising_the_record(world, eraser, monkeypatch):
    ERASER_CALLS.clear()
    erasers = registry.Registry("data-protection erasers")
    erasers.register("test", record_eraser_call)
    monkeypatch.setattr(registry, "data_erasers", erasers)
    services.partner_erase(partner=world.partner, by=eraser, confirm_name=world.partner.full_name)
    assert ERASER_CALLS == [(world.partner.pk, "Pat Partner", eraser.pk)]


def test_wrong_confirmation_name_is_refused_and_nothing_is_changed(world, eraser, client):
    client.force_login(eraser)
    url = reverse("participants:partner_erase", args=[world.partner.pk])
    versions = Partner.history.filter(id=world.partner.pk).count()
    response = client.post(url, {"confirm_name": "Pat Partnerr"})
    assert response.status_code == 200
    assert "That is not their full name" in response.content.decode()
    world.partner.refresh_from_db()
    assert world.partner.full_name == "Pat Partner" and not world.partner.is_erased
    assert Partner.history.filter(id=world.partner.pk).count() == versions
    response = client.post(url, {"confirm_name": ""})
    assert "This field is required" in response.content.decode()
    assert not Partner.objects.get(pk=world.partner.pk).is_erased


def test_confirmation_ignores_case_and_extra_spaces(world, eraser, client):
    client.force_login(eraser)
    response = client.post(reverse("participants:partner_erase", args=[world.partner.pk]),
                           {"confirm_name": "  pat   PARTNER "})
    assert response.url == reverse("participants:partner_detail", args=[world.partner.pk])
    assert Partner.objects.get(pk=world.partner.pk).is_erased


def test_erasing_twice_is_refused(world, eraser, client):
    name = world.partner.full_name
    services.partner_erase(partner=world.partner, by=eraser, confirm_name=name)
    with pytest.raises(ValidationError, match="already erased"):
        services.partner_erase(partner=world.partner, by=eraser,
                               confirm_name=f"Erased partner {world.partner.pk}")
    client.force_login(eraser)
    url = reverse("participants:partner_erase", args=[world.partner.pk])
    page = client.get(url).content.decode()
    assert "already erased" in page and 'name="confirm_name"' not in page
    response = client.post(url, {"confirm_name": f"Erased partner {world.partner.pk}"})
    assert "already erased" in response.content.decode()
    assert StatusChange.objects.filter(partner=world.partner, note=services.ERASED_NOTE).count() == 1


def test_staff_without_the_delete_permission_cannot_erase(world, staff_client):
    world.staff.user_permissions.clear()
    url = reverse("participants:partner_erase", args=[world.partner.pk])
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url, {"confirm_name": world.partner.full_name}).status_code == 403
    assert not Partner.objects.get(pk=world.partner.pk).is_erased
    page = staff_client.get(reverse("participants:partner_detail", args=[world.partner.pk])).content.decode()
    assert reverse("participants:partner_export", args=[world.partner.pk]) in page
    assert url not in page


def test_the_erasure_page_says_what_is_removed_and_what_is_kept(world, staff_client):
    page = staff_client.get(reverse("participants:partner_erase", args=[world.partner.pk])).content.decode()
    assert "What is removed" in page and "What is kept, and why" in page
    assert "financial records must be kept for six years" in page
    assert "Type their full name to confirm" in page
    detail = staff_client.get(reverse("participants:partner_detail", args=[world.partner.pk]))
    assert reverse("participants:partner_erase", args=[world.partner.pk]) in detail.content.decode()


def test_erased_partner_can_no_longer_sign_in(world, eraser, partner_client):
    user = world.partner.user
    assert partner_client.get(reverse("participants:my_data")).status_code == 200
    services.partner_erase(partner=world.partner, by=eraser, confirm_name=world.partner.full_name)
    user.refresh_from_db()
    response = partner_client.get(reverse("participants:my_data"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not partner_client.login(email=user.email, password=PASSWORD)
    assert partner_for(user) is None


def test_a_login_that_is_also_staff_is_kept_when_the_partner_is_erased(world, eraser):
    colleague = StaffFactory(email="colleague@example.test", full_name="Chris Colleague")
    partner = PartnerFactory(full_name="Chris Colleague", user=colleague, email=colleague.email)
    services.partner_erase(partner=partner, by=eraser, confirm_name="Chris Colleague")
    colleague.refresh_from_db()
    assert colleague.is_active and colleague.email == "colleague@example.test"
    assert Partner.objects.get(pk=partner.pk).user is None


# --- A partner asks us to delete their information ------------------------------------


def test_partner_request_to_delete_is_recorded_and_staff_who_can_erase_are_told(
    world, eraser, partner_client, django_capture_on_commit_callbacks
):
    Consent.objects.filter(partner=world.partner, statement__topic="contact").delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client.post(reverse("participants:my_data_erasure_request"),
                                       {"confirm": "on", "message": "Please ring me first."})
    assert response.url == reverse("participants:my_data")
    request = StatusChange.objects.get(partner=world.partner, note=services.ERASURE_REQUEST_NOTE)
    assert request.changed_by == world.partner.user
    assert request.from_status == request.to_status == Partner.objects.get(pk=world.partner.pk).status
    assert len(mail.outbox) == 1, "no copy to the partner: they have not agreed to be contacted"
    assert eraser.email in mail.outbox[0].to
    assert "Please ring me first." in mail.outbox[0].body
    assert reverse("participants:partner_erase", args=[world.partner.pk]) in mail.outbox[0].body
    assert not Partner.objects.get(pk=world.partner.pk).is_erased, "staff carry it out"
    page = partner_client.get(reverse("participants:my_data")).content.decode()
    assert "You asked us to delete your information on" in page


def test_partner_who_agreed_to_be_contacted_gets_a_copy_of_their_request(
    world, eraser, partner_client, django_capture_on_commit_callbacks
):
    Consent.objects.create(partner=world.partner, recorded_by=world.partner.user,
                           statement=ConsentStatement.objects.get(topic="contact", version=1))
    with django_capture_on_commit_callbacks(execute=True):
        partner_client.post(reverse("participants:my_data_erasure_request"), {"confirm": "on"})
    copies = [message for message in mail.outbox if message.to == [world.partner.email]]
    assert len(copies) == 1
    assert "six years" in copies[0].body


def test_request_to_delete_without_ticking_the_box_is_refused(world, partner_client,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = partner_client.post(reverse("participants:my_data_erasure_request"),
                                       {"message": "x" * 20})
    assert response.status_code == 200
    assert "Tick the box to tell us you want your information deleted." in response.content.decode()
    assert not StatusChange.objects.filter(note=services.ERASURE_REQUEST_NOTE).exists()
    assert mail.outbox == []


def test_request_to_delete_with_an_overlong_message_is_refused(world, partner_client):
    response = partner_client.post(reverse("participants:my_data_erasure_request"),
                                   {"confirm": "on", "message": "x" * 1001})
    assert response.status_code == 200
    assert "at most 1000 characters" in response.content.decode()
    assert not StatusChange.objects.filter(note=services.ERASURE_REQUEST_NOTE).exists()


def test_request_goes_to_every_staff_member_when_nobody_may_erase(world, partner_client,
                                                                  django_capture_on_commit_callbacks):
    world.staff.user_permissions.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partner_client.post(reverse("participants:my_data_erasure_request"), {"confirm": "on"})
    assert world.staff.email in mail.outbox[0].to


def test_export_pages_run_a_bounded_number_of_queries(world, staff_client, partner_client):
    partner = full_partner(world.staff, suffix="-q")
    statement = ConsentStatement.objects.get(topic="contact", version=1)

    def grow(target):
        def add():
            for n in range(10):
                StatusChange.objects.create(partner=target, from_status="active", to_status="paused",
                                            changed_by=world.staff, note=f"Break {n}")
                Consent.objects.create(partner=target, statement=statement, recorded_by=world.staff)
                target.pronouns = f"they/them {n}"
                target._history_user = world.staff
                target.save(update_fields=["pronouns"])
        return add

    assert_queries_bounded(staff_client, reverse("participants:partner_export", args=[partner.pk]),
                           grow(partner), most=40)
    assert_queries_bounded(partner_client, reverse("participants:my_data"), grow(world.partner), most=40)
