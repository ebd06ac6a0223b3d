"""Who may open a report is decided by what it holds, the same way on the list, the page,
the download and "Try again": a partner's full data export never reaches staff without
the sensitive-data permission, and an open ladder round's results never reach trustees."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from coprod import reports
from coprod.models import Report
from participants import services as participant_services
from participants.models import AccessNeed
from participants.models import LivedExperienceArea

from ..helpers import pdf_text
from ..participants.factories import PartnerFactory
from ..participants.factories import SensitiveStaffFactory
from ..participants.factories import StaffFactory

pytestmark = pytest.mark.django_db

ACCESS_NOTES = "Sits near the door in case of a panic attack"
INTERPRETER = "Tigrinya"
NEED = "British Sign Language"
AREA = "Leaving prison"
BENEFIT_LABEL = "Payments checked against benefit rules"
SENSITIVE = (ACCESS_NOTES, INTERPRETER, NEED, AREA, BENEFIT_LABEL)


@pytest.fixture
def sensitive_partner(world):
    """world.partner with every sensitive field filled in with words found nowhere else."""
    participant_services.partner_update(partner=world.partner, by=SensitiveStaffFactory(), data={
        "access_needs": [AccessNeed.objects.get_or_create(name=NEED)[0]],
        "lived_experience": [LivedExperienceArea.objects.get_or_create(name=AREA)[0]],
        "interpreter_language": INTERPRETER, "access_notes": ACCESS_NOTES, "benefit_check": True,
    })
    return world.partner


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plain_staff():
    """A member of staff with no permission at all: not allowed to see sensitive data."""
    return StaffFactory(email="plain@example.test", full_name="Perry Plain")


def _client(client, user):
    client.force_login(user)
    return client


def _text(response) -> str:
    """The PDF's words, each run of spaces and line breaks made one space."""
    return " ".join(pdf_text(b"".join(response.streaming_content)).split())


def test_staff_without_the_permission_cannot_download_the_export_a_partner_made_of_themselves(
    world, sensitive_partner, media, partner_client, plain_staff, client, django_capture_on_commit_callbacks,
):
    """The leak as reported: /reports/N/download/ of a partner's own export, fetched by any
    member of staff, handed them access needs, lived experience and the benefit flag."""
    with django_capture_on_commit_callbacks(execute=True):
        partner_client.post(reverse("participants:my_data_pdf"))
    report = Report.objects.get(kind=Report.Kind.DATA_EXPORT, partner=sensitive_partner)
    assert report.status == Report.Status.DONE, report.error
    text = _text(partner_client.get(reverse("coprod:report_download", args=[report.pk])))
    assert all(marker in text for marker in SENSITIVE), "the partner's own copy is complete"

    staff = _client(client, plain_staff)
    download = staff.get(reverse("coprod:report_download", args=[report.pk]))
    assert download.status_code == 404
    assert not any(marker.encode() in download.content for marker in SENSITIVE)
    assert staff.get(reverse("coprod:report_detail", args=[report.pk])).status_code == 404
    assert staff.post(reverse("coprod:report_retry", args=[report.pk])).status_code == 404


def test_a_full_export_made_by_permitted_staff_is_theirs_and_the_partners_not_every_colleagues(
    world, sensitive_partner, media, staff_client, partner_client, other_partner_client, trustee_client,
    plain_staff, client, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("participants:partner_export_pdf", args=[sensitive_partner.pk]))
    report = Report.objects.get(kind=Report.Kind.DATA_EXPORT, partner=sensitive_partner)
    assert report.includes_sensitive_data
    url = reverse("coprod:report_download", args=[report.pk])
    assert all(marker in _text(staff_client.get(url)) for marker in SENSITIVE)
    assert partner_client.get(url).status_code == 200
    for outsider in (_client(client, plain_staff), other_partner_client, trustee_client):
        assert outsider.get(url).status_code == 404


def test_staff_without_the_permission_asking_for_an_export_get_a_new_one_without_sensitive_fields(
    world, sensitive_partner, media, partner_client, plain_staff, client, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        partner_client.post(reverse("participants:my_data_pdf"))
    full = Report.objects.get(kind=Report.Kind.DATA_EXPORT)
    staff = _client(client, plain_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("participants:partner_export_pdf", args=[sensitive_partner.pk]))
    made = Report.objects.exclude(pk=full.pk).get(kind=Report.Kind.DATA_EXPORT)
    assert response.url == reverse("coprod:report_detail", args=[made.pk])
    assert not made.includes_sensitive_data
    assert made.requested_by == plain_staff
    text = _text(staff.get(reverse("coprod:report_download", args=[made.pk])))
    assert sensitive_partner.full_name in text
    assert "left out of this copy" in text
    assert not [marker for marker in SENSITIVE if marker in text]
    # The copy without them is the partner's too, and any member of staff may open it.
    assert partner_client.get(reverse("coprod:report_download", args=[made.pk])).status_code == 200


def test_a_staff_member_who_is_the_partner_gets_their_own_full_copy(world, sensitive_partner, plain_staff):
    sensitive_partner.user.is_staff_member = True
    sensitive_partner.user.save(update_fields=["is_staff_member"])
    report = participant_services.partner_export_pdf_request(partner=sensitive_partner,
                                                             by=sensitive_partner.user)
    assert report.includes_sensitive_data
    assert report.title == "Everything we hold about you"
    assert not Report.objects.visible_to(plain_staff).filter(pk=report.pk).exists()


def test_only_the_partner_and_staff_can_ask_for_an_export(world):
    before = Report.objects.count()
    with pytest.raises(PermissionDenied):
        participant_services.partner_export_pdf_request(partner=world.partner, by=world.other_partner.user)
    with pytest.raises(PermissionDenied):
        participant_services.partner_export_pdf_request(partner=world.partner, by=world.trustee)
    assert Report.objects.count() == before


def _report(kind, **fields) -> Report:
    fields.setdefault("title", f"A {kind}")
    return Report.objects.create(kind=kind, status=Report.Status.DONE, **fields)


def test_what_a_report_holds_decides_who_sees_it(world, plain_staff):
    Report.objects.all().delete()  # only the reports made here
    partner = world.partner
    full = _report(Report.Kind.DATA_EXPORT, partner=partner, includes_sensitive_data=True)
    withheld = _report(Report.Kind.DATA_EXPORT, partner=partner)
    certificate = _report(Report.Kind.CERTIFICATE, partner=partner)
    statement = _report(Report.Kind.STATEMENT, partner=partner)
    governance = _report(Report.Kind.GOVERNANCE)
    published = _report(Report.Kind.LADDER_ROUND)
    live = _report(Report.Kind.LADDER_ROUND, staff_only=True)
    everything = {full, withheld, certificate, statement, governance, published, live}
    finance = StaffFactory(email="finance@example.test")
    finance.user_permissions.add(*Permission.objects.filter(codename__in=["approve_claim", "pay_claim"]))

    def seen(user) -> set:
        return set(Report.objects.visible_to(user))

    assert seen(world.staff) == everything, "world.staff may see sensitive data"
    assert seen(plain_staff) == everything - {full}
    assert seen(finance) == everything - {full}
    assert seen(world.trustee) == {governance, published}
    assert seen(world.partner.user) == {full, withheld, certificate, statement}
    assert seen(world.other_partner.user) == set()
    world.trustee.is_staff_member = True  # a trustee who is also staff sees what staff see
    assert seen(world.trustee) == everything - {full}


def test_a_report_is_requested_holding_sensitive_data_unless_it_says_otherwise(world):
    export = reports.report_request(kind=Report.Kind.DATA_EXPORT, title="x", by=world.staff,
                                    partner=world.partner)
    assert export.includes_sensitive_data, "a data export is taken to hold them unless told"
    governance = reports.report_request(kind=Report.Kind.GOVERNANCE, title="y", by=world.trustee)
    assert not governance.includes_sensitive_data and not governance.staff_only


def test_a_partners_document_cannot_be_requested_without_saying_whose_it_is(world):
    before = Report.objects.count()
    with pytest.raises(ValueError, match="about one partner"):
        reports.report_request(kind=Report.Kind.CERTIFICATE, title="Certificate", by=world.staff)
    assert Report.objects.count() == before


def test_a_pdf_of_an_open_ladder_round_is_for_staff_until_the_round_closes(
    world, media, staff_client, trustee_client, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("ladder:round_report", args=[world.ladder_open.pk]))
        staff_client.post(reverse("ladder:round_report", args=[world.ladder_closed.pk]))
    live = Report.objects.get(params__round=world.ladder_open.pk)
    published = Report.objects.get(params__round=world.ladder_closed.pk)
    assert live.staff_only and not published.staff_only
    assert "still open: results so far" in _text(staff_client.get(reverse("coprod:report_download",
                                                                          args=[live.pk])))
    assert trustee_client.get(reverse("coprod:report_download", args=[live.pk])).status_code == 404
    assert trustee_client.get(reverse("coprod:report_detail", args=[live.pk])).status_code == 404
    assert trustee_client.get(reverse("coprod:report_download", args=[published.pk])).status_code == 200
    listed = trustee_client.get(reverse("coprod:report_list")).content.decode()
    assert reverse("coprod:report_detail", args=[published.pk]) in listed
    assert reverse("coprod:report_detail", args=[live.pk]) not in listed


def test_the_report_list_shows_staff_without_the_permission_no_full_export(world, plain_staff, client):
    full = _report(Report.Kind.DATA_EXPORT, partner=world.partner, includes_sensitive_data=True)
    governance = _report(Report.Kind.GOVERNANCE)
    page = _client(client, plain_staff).get(reverse("coprod:report_list")).content.decode()
    assert reverse("coprod:report_detail", args=[governance.pk]) in page
    assert reverse("coprod:report_detail", args=[full.pk]) not in page


def test_a_partners_documents_page_lists_only_their_own(world, partner_client):
    mine = _report(Report.Kind.CERTIFICATE, partner=world.partner, title="My certificate")
    theirs = _report(Report.Kind.CERTIFICATE, partner=world.other_partner, title="Their certificate")
    page = partner_client.get(reverse("reciprocity:my_recognition")).content.decode()
    assert reverse("coprod:report_detail", args=[mine.pk]) in page
    assert reverse("coprod:report_detail", args=[theirs.pk]) not in page


def test_a_report_download_is_never_kept_in_a_cache(world, partner_client):
    response = partner_client.get(reverse("coprod:report_download", args=[world.certificate.pk]))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_new_partner_export_without_sensitive_fields_names_its_partner_for_staff(world, plain_staff):
    other = PartnerFactory(full_name="Quinn Quayside")
    report = participant_services.partner_export_pdf_request(partner=other, by=plain_staff)
    assert report.title == "Everything we hold about Quinn Quayside"
    assert report.partner == other and not report.includes_sensitive_data
