"""Staff keep partner records: create and edit them, change status, search and filter
the list; sensitive data stays with the staff allowed to see it; every change is audited."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from coprod.models import Organisation
from participants import services
from participants.models import AccessNeed
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Course
from participants.models import LivedExperienceArea
from participants.models import Partner
from participants.models import StatusChange
from participants.models import TrainingRecord

from ..coprod.factories import ServiceFactory
from ..helpers import assert_queries_bounded
from .factories import LivedExperienceAreaFactory
from .factories import PartnerFactory
from .factories import SensitiveStaffFactory
from .factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_staff():
    """Staff without the sensitive-data permission."""
    return StaffFactory(full_name="Pia Plain")


@pytest.fixture
def sensitive_staff():
    return SensitiveStaffFactory(full_name="Sid Sensitive")


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client
    return sign_in


def _agree_to_contact(partner):
    statement = ConsentStatement.objects.filter(topic="contact").order_by("-version").first()
    return Consent.objects.create(partner=partner, statement=statement)


# --- Creating and editing ---------------------------------------------------


def test_staff_add_a_partner_with_only_a_full_name(signed_in, plain_staff):
    response = signed_in(plain_staff).post(reverse("participants:partner_create"), {
        "full_name": "Rosa Quinn", "preferred_contact": "phone", "phone": "07700 900555",
        "payment_preference": "voucher", "status": "enquiry",
    })
    partner = Partner.objects.get(full_name="Rosa Quinn")
    assert response.url == reverse("participants:partner_detail", args=[partner.pk])
    assert partner.email == "" and partner.user is None
    first = partner.status_changes.get()
    assert (first.from_status, first.to_status, first.changed_by) == ("", "enquiry", plain_staff)
    assert partner.history.get().history_user == plain_staff


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"full_name": "  "}, "full_name", "Enter their full name"),
    ({"full_name": "Rosa Quinn", "email": "rosa-at-example"}, "email", "Enter a valid email address"),
    ({"full_name": "Rosa Quinn", "phone": "call me maybe"}, "phone", "Enter a phone number using numbers"),
    ({"full_name": "Rosa Quinn", "preferred_contact": "post"}, "preferred_contact",
     "They prefer post, but there is no postal address"),
    ({"full_name": "Rosa Quinn", "preferred_contact": "text"}, "preferred_contact",
     "They prefer text message, but there is no phone number"),
])
def test_add_partner_form_rejects_bad_input_and_saves_nothing(signed_in, plain_staff, data, field, message):
    before = Partner.objects.count()
    base = {"preferred_contact": "email", "email": "rosa@example.test", "payment_preference": "cash",
            "status": "enquiry"}
    response = signed_in(plain_staff).post(reverse("participants:partner_create"), {**base, **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "The details were not saved" in response.content.decode()
    assert Partner.objects.count() == before


def test_another_partners_email_address_is_refused_whatever_its_case(signed_in, plain_staff):
    PartnerFactory(full_name="Olive Owner", email="shared@example.test")
    partner = PartnerFactory(full_name="Nat New", email="")
    response = signed_in(plain_staff).post(reverse("participants:partner_edit", args=[partner.pk]), {
        "full_name": "Nat New", "email": "Shared@Example.test", "preferred_contact": "email",
        "payment_preference": "cash",
    })
    assert response.status_code == 200
    assert "Olive Owner already has this e-mail address" in response.content.decode()
    partner.refresh_from_db()
    assert partner.email == ""
    assert partner.history.count() == 1


def test_editing_a_partner_records_who_changed_what(signed_in, plain_staff):
    partner = PartnerFactory(full_name="Nat New", email="", preferred_contact="post", address="1 High St")
    response = signed_in(plain_staff).post(reverse("participants:partner_edit", args=[partner.pk]), {
        "full_name": "Nat New", "preferred_name": "Nattie", "phone": "07700 900999",
        "preferred_contact": "text", "address": "1 High St", "payment_preference": "bank_transfer",
    })
    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.preferred_name, partner.phone, partner.preferred_contact) == (
        "Nattie", "07700 900999", "text")
    latest = partner.history.latest()
    assert latest.history_user == plain_staff
    page = signed_in(plain_staff).get(reverse("participants:partner_detail", args=[partner.pk]))
    changes = page.context["changes"]
    assert changes[0].who == plain_staff
    assert {field.name for field in changes[0].fields} == {"preferred_name", "phone", "preferred_contact"}
    assert "Text message" in page.content.decode()


def test_saving_an_unchanged_form_writes_no_history(signed_in, plain_staff):
    partner = PartnerFactory(full_name="Nat New", email="nat@example.test")
    before = partner.history.count()
    response = signed_in(plain_staff).post(reverse("participants:partner_edit", args=[partner.pk]), {
        "full_name": "Nat New", "email": "nat@example.test", "preferred_contact": "email",
        "payment_preference": "bank_transfer",
    }, follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert partner.history.count() == before


def test_an_erased_partner_cannot_be_edited(plain_staff):
    partner = PartnerFactory(erased_at=timezone.now())
    with pytest.raises(Exception, match="erased"):
        services.partner_update(partner=partner, data={"phone": "07700 900111"}, by=plain_staff)


# --- Sensitive data ---------------------------------------------------------


@pytest.fixture
def sensitive_partner(sensitive_staff):
    partner = PartnerFactory(full_name="Vera Vulnerable", email="vera@example.test")
    services.partner_update(partner=partner, by=sensitive_staff, data={
        "access_needs": [AccessNeed.objects.get(name="Hearing loop")],
        "interpreter_language": "Tigrinya", "access_notes": "Needs a lift to the first floor",
        "lived_experience": [LivedExperienceAreaFactory(name="Domestic abuse")], "benefit_check": True,
    })
    return partner


SENSITIVE_WORDS = ["Hearing loop", "Tigrinya", "Needs a lift", "Domestic abuse", "benefit rules"]


def test_staff_without_the_permission_never_see_sensitive_data(signed_in, plain_staff, sensitive_partner):
    client = signed_in(plain_staff)
    detail = client.get(reverse("participants:partner_detail", args=[sensitive_partner.pk])).content.decode()
    listing = client.get(reverse("participants:partner_list")).content.decode()
    edit = client.get(reverse("participants:partner_edit", args=[sensitive_partner.pk])).content.decode()
    for word in SENSITIVE_WORDS:
        assert word not in detail, word
        assert word not in edit, word
    assert "Hearing loop" not in listing and "Domestic abuse" not in listing
    assert 'name="access_need"' not in listing and 'name="lived_experience"' not in listing
    assert 'name="access_needs"' not in edit and 'name="benefit_check"' not in edit


def test_staff_with_the_permission_see_sensitive_data(signed_in, sensitive_staff, sensitive_partner):
    client = signed_in(sensitive_staff)
    detail = client.get(reverse("participants:partner_detail", args=[sensitive_partner.pk])).content.decode()
    for word in SENSITIVE_WORDS:
        assert word in detail, word
    listing = client.get(reverse("participants:partner_list")).content.decode()
    assert "Hearing loop" in listing and 'name="lived_experience"' in listing


def test_sensitive_filters_are_ignored_without_the_permission(signed_in, plain_staff, sensitive_partner):
    PartnerFactory(full_name="Other Person")
    area = LivedExperienceArea.objects.get(name="Domestic abuse")
    response = signed_in(plain_staff).get(reverse("participants:partner_list"),
                                          {"lived_experience": area.pk})
    assert response.context["page_obj"].paginator.count == 2


def test_posting_sensitive_fields_without_the_permission_changes_nothing(
        signed_in, plain_staff, sensitive_partner):
    before = sensitive_partner.history.count()
    signed_in(plain_staff).post(reverse("participants:partner_edit", args=[sensitive_partner.pk]), {
        "full_name": "Vera Vulnerable", "email": "vera@example.test", "preferred_contact": "email",
        "payment_preference": "bank_transfer", "access_needs": [], "interpreter_language": "",
        "lived_experience": [], "benefit_check": "",
    })
    sensitive_partner.refresh_from_db()
    assert sensitive_partner.interpreter_language == "Tigrinya" and sensitive_partner.benefit_check
    assert sensitive_partner.access_needs.count() == 1 and sensitive_partner.lived_experience.count() == 1
    assert sensitive_partner.history.count() == before


def test_the_service_refuses_sensitive_changes_from_staff_without_the_permission(plain_staff):
    partner = PartnerFactory()
    with pytest.raises(PermissionDenied):
        services.partner_update(partner=partner, data={"benefit_check": True}, by=plain_staff)
    partner.refresh_from_db()
    assert partner.benefit_check is False


def test_a_sensitive_change_is_one_audit_record_naming_who_made_it(signed_in, sensitive_staff):
    partner = PartnerFactory(full_name="Ali Audit", email="ali@example.test")
    large_print = AccessNeed.objects.get(name="Large print")
    recovery = LivedExperienceAreaFactory(name="Addiction recovery")
    before = partner.history.count()
    signed_in(sensitive_staff).post(reverse("participants:partner_edit", args=[partner.pk]), {
        "full_name": "Ali Audit", "email": "ali@example.test", "preferred_contact": "email",
        "payment_preference": "bank_transfer", "access_needs": [large_print.pk],
        "lived_experience": [recovery.pk], "benefit_check": "on",
    })
    assert partner.history.count() == before + 1
    record = partner.history.latest()
    assert record.history_user == sensitive_staff
    assert record.benefit_check is True
    assert [row.accessneed for row in record.access_needs.all()] == [large_print]
    assert [row.livedexperiencearea for row in record.lived_experience.all()] == [recovery]


def test_sensitive_changes_show_in_the_trail_only_to_permission_holders(
        signed_in, client, sensitive_staff, plain_staff, sensitive_partner):
    url = reverse("participants:partner_detail", args=[sensitive_partner.pk])
    client.force_login(sensitive_staff)
    shown = client.get(url)
    fields = {field.name for change in shown.context["changes"] for field in change.fields}
    assert {"access_needs", "interpreter_language", "lived_experience", "benefit_check"} <= fields
    assert "(empty) → Hearing loop" in shown.content.decode()
    client.force_login(plain_staff)
    hidden = client.get(url)
    assert not [field for change in hidden.context["changes"] for field in change.fields if field.sensitive]
    assert "Tigrinya" not in hidden.content.decode()


# --- Status -----------------------------------------------------------------


def test_changing_status_records_who_when_and_the_note(
        signed_in, plain_staff, django_capture_on_commit_callbacks):
    partner = PartnerFactory(status="induction")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(plain_staff).post(reverse("participants:partner_status", args=[partner.pk]),
                                               {"status": "active", "note": "Finished induction"})
    assert response.status_code == 302
    change = StatusChange.objects.get(partner=partner)
    assert (change.from_status, change.to_status, change.changed_by, change.note) == (
        "induction", "active", plain_staff, "Finished induction")
    assert abs((timezone.now() - change.changed_at).total_seconds()) < 60
    partner.refresh_from_db()
    assert partner.status == "active"
    assert partner.history.latest().history_user == plain_staff
    page = signed_in(plain_staff).get(reverse("participants:partner_detail", args=[partner.pk]))
    assert "Finished induction" in page.content.decode()


def test_status_change_emails_a_partner_who_agreed_to_contact(
        signed_in, plain_staff, django_capture_on_commit_callbacks):
    partner = PartnerFactory(full_name="Carla Contact", preferred_name="Carly", email="carla@example.test",
                             status="active", link_worker=plain_staff)
    _agree_to_contact(partner)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(plain_staff).post(reverse("participants:partner_status", args=[partner.pk]),
                                    {"status": "paused", "note": "Private reason"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carla@example.test"]
    assert "paused" in message.subject
    assert "Dear Carly" in message.body and "on pause" in message.body
    assert "Pia Plain" in message.body
    assert "Private reason" not in message.body


@pytest.mark.parametrize("situation", ["no_consent", "withdrawn", "no_email"])
def test_no_status_email_without_consent_or_an_address(
        signed_in, plain_staff, django_capture_on_commit_callbacks, situation):
    partner = PartnerFactory(email="" if situation == "no_email" else "quiet@example.test", status="active")
    if situation in ("withdrawn", "no_email"):
        consent = _agree_to_contact(partner)
        if situation == "withdrawn":
            consent.withdrawn_at = timezone.now()
            consent.save()
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(plain_staff).post(reverse("participants:partner_status", args=[partner.pk]),
                                    {"status": "left"})
    assert StatusChange.objects.filter(partner=partner, to_status="left").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(("data", "message"), [
    ({"status": "active"}, "Their status is already Active"),
    ({"status": "retired"}, "Select a valid choice"),
    ({"status": "paused", "note": "x" * 301}, "300 characters or fewer"),
])
def test_a_bad_status_change_is_refused_with_a_message(signed_in, plain_staff, data, message):
    partner = PartnerFactory(status="active")
    response = signed_in(plain_staff).post(reverse("participants:partner_status", args=[partner.pk]), data,
                                           follow=True)
    assert message in response.content.decode()
    assert not StatusChange.objects.filter(partner=partner).exists()
    partner.refresh_from_db()
    assert partner.status == "active"


def test_the_status_form_offers_only_a_real_change(signed_in, plain_staff):
    partner = PartnerFactory(status="paused")
    page = signed_in(plain_staff).get(reverse("participants:partner_detail", args=[partner.pk]))
    choices = [value for value, _ in page.context["status_form"].fields["status"].choices]
    assert "paused" not in choices and "active" in choices


# --- The list ---------------------------------------------------------------


def test_search_finds_by_name_preferred_name_and_email(signed_in, plain_staff):
    PartnerFactory(full_name="Margaret Byrne", preferred_name="Peggy", email="mb@example.test")
    PartnerFactory(full_name="Someone Else", email="else@example.test")
    client = signed_in(plain_staff)
    url = reverse("participants:partner_list")
    for query in ["byrne", "PEGGY", "mb@example"]:
        names = [p.full_name for p in client.get(url, {"q": query}).context["page_obj"]]
        assert names == ["Margaret Byrne"], query


def test_filters_by_status_service_access_need_area_and_training(signed_in, sensitive_staff):
    Course.objects.update(required_for_partners=False)
    induction = Course.objects.get(name="Induction")
    induction.required_for_partners = True
    induction.save()
    housing, debt = ServiceFactory(name="Housing"), ServiceFactory(name="Debt")
    loop = AccessNeed.objects.get(name="Hearing loop")
    area = LivedExperienceAreaFactory(name="Care leaver")
    due = PartnerFactory(full_name="Dee Due", status="active", service=housing)
    due.access_needs.add(loop)
    trained = PartnerFactory(full_name="Tia Trained", status="paused", service=debt)
    trained.lived_experience.add(area)
    TrainingRecord.objects.create(course=induction, partner=trained, completed_on=timezone.localdate())
    PartnerFactory(full_name="Lee Left", status="left", service=housing)
    client = signed_in(sensitive_staff)
    url = reverse("participants:partner_list")

    def names(**params):
        return sorted(p.full_name for p in client.get(url, params).context["page_obj"])

    assert names(status="paused") == ["Tia Trained"]
    assert names(service=housing.pk) == ["Dee Due", "Lee Left"]
    assert names(access_need=loop.pk) == ["Dee Due"]
    assert names(lived_experience=area.pk) == ["Tia Trained"]
    assert names(training="due") == ["Dee Due"]
    assert names(training="up_to_date") == ["Lee Left", "Tia Trained"]
    assert names(service=housing.pk, status="active") == ["Dee Due"]
    page = client.get(url).content.decode()
    assert page.count("Training due") == 2  # the filter's option, and Dee's badge


def test_the_list_shows_25_partners_a_page(signed_in, plain_staff):
    PartnerFactory.create_batch(30)
    client = signed_in(plain_staff)
    url = reverse("participants:partner_list")
    assert len(client.get(url).context["page_obj"]) == 25
    second = client.get(url, {"page": 2, "status": "active"})
    assert len(second.context["page_obj"]) == 5
    assert "status=active&amp;page=1" in second.content.decode(), "the filters are kept across pages"


def test_partner_list_runs_the_same_queries_for_10_and_100_partners(signed_in, sensitive_staff):
    services_ = [ServiceFactory(name=f"Service {n}") for n in range(3)]
    needs = list(AccessNeed.objects.all()[:3])
    workers = [StaffFactory() for _ in range(3)]

    def make(count: int) -> None:
        for n in range(count):
            partner = PartnerFactory(service=services_[n % 3], link_worker=workers[n % 3],
                                     email=f"p{Partner.objects.count()}@example.test")
            partner.access_needs.add(needs[n % 3])
            TrainingRecord.objects.create(course=Course.objects.get(name="Induction"), partner=partner,
                                          completed_on=timezone.localdate())

    make(10)
    Organisation.current()  # created on first use; not part of what the page costs
    client = signed_in(sensitive_staff)
    assert_queries_bounded(client, reverse("participants:partner_list") + "?status=active",
                           lambda: make(90), most=16)


def test_staff_home_links_partner_counts_to_the_filtered_list(signed_in, plain_staff):
    PartnerFactory(status="paused")
    page = signed_in(plain_staff).get(reverse("coprod:staff_home")).content.decode()
    assert f'href="{reverse("participants:partner_list")}?status=paused"' in page


# --- Access needs and areas of lived experience ---------------------------------


def test_staff_add_and_rename_an_access_need(signed_in, plain_staff):
    client = signed_in(plain_staff)
    client.post(reverse("participants:access_need_create"), {"name": "Wheelchair space", "order": 20})
    need = AccessNeed.objects.get(name="Wheelchair space")
    client.post(reverse("participants:access_need_edit", args=[need.pk]),
                {"name": "Wheelchair space at the table", "description": "Room at the table", "order": 3})
    need.refresh_from_db()
    assert (need.name, need.description, need.order) == (
        "Wheelchair space at the table", "Room at the table", 3)


@pytest.mark.parametrize(("name", "message"), [
    ("", "This field is required"),
    ("large PRINT", "There is already an access need called"),
])
def test_access_need_form_rejects_bad_names(signed_in, plain_staff, name, message):
    before = AccessNeed.objects.count()
    response = signed_in(plain_staff).post(reverse("participants:access_need_create"),
                                           {"name": name, "order": 0})
    assert message in response.content.decode()
    assert AccessNeed.objects.count() == before


def test_staff_add_and_rename_an_area_of_lived_experience(signed_in, plain_staff):
    client = signed_in(plain_staff)
    client.post(reverse("participants:area_create"), {"name": "Gambling"})
    area = LivedExperienceArea.objects.get(name="Gambling")
    client.post(reverse("participants:area_edit", args=[area.pk]), {"name": "Gambling harm"})
    area.refresh_from_db()
    assert area.name == "Gambling harm"


@pytest.mark.parametrize(("name", "message"), [
    (" ", "This field is required"),
    ("homelessness", "There is already an area called"),
])
def test_area_form_rejects_bad_names(signed_in, plain_staff, name, message):
    LivedExperienceAreaFactory(name="Homelessness")
    response = signed_in(plain_staff).post(reverse("participants:area_create"), {"name": name})
    assert response.status_code == 200
    assert LivedExperienceArea.objects.count() == 1
    assert message in " ".join(response.context["form"].errors["name"])


def test_access_need_and_area_lists_page_with_bounded_queries(signed_in, plain_staff):
    client = signed_in(plain_staff)

    def grow():
        for n in range(100):
            AccessNeed.objects.create(name=f"Extra need {n}")
            LivedExperienceArea.objects.create(name=f"Extra area {n}")

    LivedExperienceAreaFactory.create_batch(10)
    Organisation.current()
    url_needs, url_areas = reverse("participants:access_need_list"), reverse("participants:area_list")
    from ..helpers import count_queries

    before = (count_queries(client, url_needs), count_queries(client, url_areas))
    grow()
    assert (count_queries(client, url_needs), count_queries(client, url_areas)) == before
