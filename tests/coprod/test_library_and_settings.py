"""The resource library and the organisation settings page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coprod import services
from coprod.models import Organisation
from coprod.models import Resource

from ..helpers import PNG
from ..helpers import assert_queries_bounded
from ..participants.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _pdf(name="guide.pdf", content=b"%PDF-1.4 a guide"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _add(client, **overrides):
    data = {"title": "Role description: panel member", "kind": "role_description", "description": "",
            "file": _pdf(), "for_partners": "on"}
    data.update(overrides)
    return client.post(reverse("coprod:resource_create"), data)


def test_staff_add_a_document_with_new_tags_and_partners_find_it(client_for, world):
    staff_client, partner_client = client_for("staff"), client_for("partner")
    response = _add(staff_client, new_tags="Recruitment, Induction")
    assert response.status_code == 302
    resource = Resource.objects.get(title="Role description: panel member")
    assert sorted(tag.name for tag in resource.tags.all()) == ["Induction", "Recruitment"]
    page = partner_client.get(reverse("coprod:resource_list")).content.decode()
    assert "Role description: panel member" in page
    assert "Terms of reference template" not in page, "staff-only documents stay hidden from partners"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream"),
         "Please upload one of these kinds of file"),
        (SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
         "not really a PDF file"),
        (SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"), "empty"),
    ],
    ids=["wrong-type", "disguised", "empty"],
)
def test_a_bad_file_is_refused_with_a_message_and_nothing_saved(staff_client, world, upload, message):
    before = Resource.objects.count()
    response = _add(staff_client, file=upload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Resource.objects.count() == before


def test_a_document_without_a_title_is_refused(staff_client, world):
    before = Resource.objects.count()
    response = _add(staff_client, title="")
    assert "This field is required" in response.content.decode()
    assert Resource.objects.count() == before


def test_a_hostile_file_name_is_made_safe(staff_client, world):
    _add(staff_client, title="Odd", file=_pdf(name="../../etc/pass wd;rm -rf.pdf"))
    stored = Resource.objects.get(title="Odd").file.name
    assert stored.startswith("library/")
    assert ".." not in stored and ";" not in stored and " " not in stored
    assert stored.endswith(".pdf")


def test_the_downloaded_document_keeps_its_readable_name(staff_client, world):
    _add(staff_client, title="Guide", file=_pdf(name="Expenses guide.pdf"))
    guide = Resource.objects.get(title="Guide")
    response = staff_client.get(reverse("coprod:resource_download", args=[guide.pk]))
    assert 'filename="Expenses_guide.pdf"' in response["Content-Disposition"]


def test_filters_narrow_the_library(staff_client, world):
    url = reverse("coprod:resource_list")
    page = staff_client.get(url, {"kind": "welcome_pack"}).content.decode()
    assert "Welcome pack for new partners" in page and "Terms of reference template" not in page
    page = staff_client.get(url, {"q": "terms"}).content.decode()
    assert "Terms of reference template" in page and "Welcome pack for new partners" not in page


def test_removing_a_document_deletes_it(staff_client, world):
    response = staff_client.post(reverse("coprod:resource_delete", args=[world.staff_guide.pk]))
    assert response.status_code == 302
    assert not Resource.objects.filter(pk=world.staff_guide.pk).exists()


def test_library_runs_the_same_queries_however_many_documents(staff_client, world):
    def grow():
        for number in range(30):
            resource = Resource.objects.create(title=f"Doc {number}", kind="other", file="library/x.pdf")
            resource.tags.add(*world.welcome_pack.tags.all())

    assert_queries_bounded(staff_client, reverse("coprod:resource_list"), grow, most=12)


def test_staff_change_the_organisation_name_and_targets(staff_client, world):
    response = staff_client.post(reverse("coprod:organisation_settings"), {
        "name": "Riverside Law Centre", "description": "", "recruitment_involvement_target": "90",
        "attendance_target": "80", "feedback_on_time_target": "95", "days_to_pay_target": "10",
        "quarterly_report": "on", "quarterly_report_day": "5",
    })
    assert response.status_code == 302
    organisation = Organisation.current()
    assert organisation.name == "Riverside Law Centre"
    assert organisation.recruitment_involvement_target == Decimal("90")
    assert organisation.history.first().history_user == world.staff


def test_targets_outside_0_to_100_are_refused_and_nothing_changes(staff_client, world):
    response = staff_client.post(reverse("coprod:organisation_settings"), {
        "name": "Changed", "recruitment_involvement_target": "120", "attendance_target": "80",
        "feedback_on_time_target": "95", "days_to_pay_target": "10", "quarterly_report_day": "40",
    })
    page = response.content.decode()
    assert "less than or equal to 100" in page and "less than or equal to 28" in page
    assert Organisation.current().name != "Changed"


def test_a_logo_that_is_not_an_image_is_refused(staff_client, world):
    response = staff_client.post(reverse("coprod:organisation_settings"), {
        "name": "X", "recruitment_involvement_target": "85", "attendance_target": "75",
        "feedback_on_time_target": "90", "days_to_pay_target": "14", "quarterly_report_day": "7",
        "logo": SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
    })
    assert response.status_code == 200
    assert Organisation.current().name != "X"


def test_the_logo_is_served_to_everyone(client, world):
    response = client.get(reverse("coprod:organisation_logo"))
    assert b"".join(response.streaming_content) == PNG


def test_staff_without_the_settings_permission_cannot_change_settings(client, world):
    client.force_login(StaffFactory())
    assert client.get(reverse("coprod:organisation_settings")).status_code == 403


@pytest.mark.parametrize("field", ["title", "description"])
def test_a_document_with_hidden_control_characters_is_refused(staff_client, world, field):
    before = Resource.objects.count()
    response = _add(staff_client, **{field: "Welcome\x07 pack"})
    assert response.status_code == 200
    assert "hidden control characters" in response.content.decode()
    assert Resource.objects.count() == before


def test_the_organisation_settings_service_refuses_staff_without_the_permission(world):
    organisation = Organisation.current()
    with pytest.raises(PermissionDenied):
        services.organisation_update(organisation=organisation, data={"name": "Renamed"}, by=StaffFactory())
    organisation.refresh_from_db()
    assert organisation.name != "Renamed"
