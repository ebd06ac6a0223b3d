"""Training: completions for partners and staff with their expiry, courses, and
who is due."""

import datetime
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants import services
from participants.models import Course
from participants.models import Partner
from participants.models import TrainingRecord

from ..helpers import assert_form_refused
from ..helpers import assert_queries_bounded
from .factories import PartnerFactory
from .factories import StaffFactory
from .factories import TrainingRecordFactory
from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def safeguarding():
    return Course.objects.get(name="Safeguarding")  # valid for 24 months, required for everyone


# Services -----------------------------------------------------------------------


@pytest.mark.parametrize(("completed", "months", "expires"), [
    (datetime.date(2024, 3, 15), 24, datetime.date(2026, 3, 15)),
    (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),  # no 29 February next year
    (datetime.date(2024, 8, 31), 6, datetime.date(2025, 2, 28)),
    (datetime.date(2024, 11, 30), 3, datetime.date(2025, 2, 28)),
    (datetime.date(2024, 1, 10), None, None),  # never needs refreshing
])
def test_expiry_is_worked_out_from_the_course(world, completed, months, expires):
    course = Course.objects.create(name="Test course", valid_for_months=months)
    record = services.training_record(course=course, partner=world.partner, completed_on=completed,
                                      by=world.staff)
    assert record.expires_on == expires
    assert record.recorded_by == world.staff
    assert record.history.latest().history_user == world.staff


def test_staff_training_is_recorded_against_their_login(world, safeguarding):
    record = services.training_record(course=safeguarding, user=world.staff,
                                      completed_on=timezone.localdate(), by=world.staff)
    assert record.user == world.staff and record.partner is None


@pytest.mark.parametrize(("who", "days", "message"), [
    ("both", 0, "either a partner or a staff member"),
    ("nobody", 0, "either a partner or a staff member"),
    ("partner", -1, "cannot be in the future"),
    ("trustee", 0, "Only staff members"),
])
def test_bad_training_records_are_refused(world, safeguarding, who, days, message):
    people = {
        "both": {"partner": world.partner, "user": world.staff},
        "nobody": {},
        "partner": {"partner": world.partner},
        "trustee": {"user": world.trustee},
    }[who]
    before = TrainingRecord.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.training_record(course=safeguarding, by=world.staff, **people,
                                 completed_on=timezone.localdate() - timedelta(days=days))
    assert TrainingRecord.objects.count() == before


def test_the_same_completion_cannot_be_recorded_twice(world, safeguarding):
    day = datetime.date(2025, 5, 1)
    services.training_record(course=safeguarding, partner=world.other_partner, completed_on=day,
                             by=world.staff)
    with pytest.raises(ValidationError, match="already recorded"):
        services.training_record(course=safeguarding, partner=world.other_partner, completed_on=day,
                                 by=world.staff)


def test_course_names_are_unique_whatever_the_case(world):
    with pytest.raises(ValidationError, match="already a course with this name"):
        services.course_create(data={"name": "safeguarding "}, by=world.staff)


# Who is due ---------------------------------------------------------------------


def test_course_counts_and_who_is_due(world, safeguarding):
    Course.objects.exclude(pk=safeguarding.pk).update(required_for_partners=False, required_for_staff=False)
    fresh = PartnerFactory(full_name="Fay Fresh")
    TrainingRecordFactory(course=safeguarding, partner=fresh,
                          expires_on=timezone.localdate() + timedelta(days=400))
    PartnerFactory(full_name="Lee Left", status=Partner.Status.LEFT)

    course = Course.objects.with_counts().get(pk=safeguarding.pk)
    due = set(safeguarding.partners_due().values_list("full_name", flat=True))
    assert "Fay Fresh" not in due
    assert "Lee Left" not in due, "people who have left are not chased for training"
    assert {"Pat Partner", "Olly Other", "Dana Due"} <= due  # Pat's record expires within 30 days
    assert course.partners_due == len(due)
    assert course.completed == 1  # only Fay's completion still counts
    staff_due = set(safeguarding.staff_due().values_list("full_name", flat=True))
    assert {"Sam Staff", "Stan Untrained"} <= staff_due  # expired, never done
    assert course.staff_due == len(staff_due)


def test_training_due_page_lists_partners_and_why(world, staff_client, safeguarding):
    page = staff_client.get(reverse("participants:training_due")).content.decode()
    assert "Dana Due" in page
    assert "Never done" in page
    assert "Expires" in page  # Pat's safeguarding runs out within 30 days
    assert "Stan Untrained" in page and "Sam Staff" in page

    for partner in Partner.objects.current():
        for course in Course.objects.filter(required_for_partners=True):
            TrainingRecordFactory(course=course, partner=partner, expires_on=None)
    for user in UserFactory._meta.model.objects.filter(is_staff_member=True):
        TrainingRecordFactory(course=safeguarding, partner=None, user=user)
    page = staff_client.get(reverse("participants:training_due")).content.decode()
    assert "Every current partner is up to date." in page
    assert "Every staff member is up to date." in page


def test_training_due_runs_a_bounded_number_of_queries(world, staff_client, safeguarding):
    def grow():
        for partner in PartnerFactory.create_batch(40):
            TrainingRecordFactory(course=safeguarding, partner=partner,
                                  completed_on=timezone.localdate() - timedelta(days=800),
                                  expires_on=timezone.localdate() - timedelta(days=70))
        StaffFactory.create_batch(30)
    assert_queries_bounded(staff_client, reverse("participants:training_due"), grow, most=14)


def test_course_detail_lists_completions_and_who_is_due(world, staff_client, safeguarding):
    page = staff_client.get(reverse("participants:course_detail", kwargs={"pk": safeguarding.pk}))
    text = page.content.decode()
    assert "Partners who need it" in text and "Dana Due" in text
    assert "Staff who need it" in text and "Stan Untrained" in text
    assert "Expires soon" in text  # Pat's completion
    assert "Expired" in text  # Sam's completion


def test_course_detail_runs_a_bounded_number_of_queries(world, staff_client, safeguarding):
    def grow():
        for partner in PartnerFactory.create_batch(40):
            TrainingRecordFactory(course=safeguarding, partner=partner,
                                  expires_on=timezone.localdate() + timedelta(days=10))
        for user in StaffFactory.create_batch(20):
            TrainingRecordFactory(course=safeguarding, partner=None, user=user)
    url = reverse("participants:course_detail", kwargs={"pk": safeguarding.pk})
    assert_queries_bounded(staff_client, url, grow, most=14)


def test_course_list_runs_a_bounded_number_of_queries(world, staff_client, safeguarding):
    def grow():
        for partner in PartnerFactory.create_batch(30):
            TrainingRecordFactory(course=safeguarding, partner=partner)
        for n in range(10):
            Course.objects.create(name=f"Extra course {n}", required_for_partners=n % 2 == 0)
    assert_queries_bounded(staff_client, reverse("participants:course_list"), grow, most=10)


# Staff pages -------------------------------------------------------------------------


def test_staff_record_a_completion_through_the_form(world, staff_client, safeguarding):
    response = staff_client.post(reverse("participants:training_record_create"), {
        "course": safeguarding.pk, "partner": world.other_partner.pk, "completed_on": "2025-01-15",
    }, follow=True)
    assert "Olly Other completed “Safeguarding” on 15 January 2025" in response.content.decode()
    record = world.other_partner.training.get()
    assert record.expires_on == datetime.date(2027, 1, 15)


def test_record_form_is_prefilled_from_the_link(world, staff_client, safeguarding):
    url = reverse("participants:training_record_create")
    url += f"?course={safeguarding.pk}&partner={world.partner.pk}"
    text = staff_client.get(url).content.decode()
    assert f'<option value="{safeguarding.pk}" selected>' in text
    # The partner is typed, not picked from a list: their name in the box, their number kept.
    assert f'name="partner_find" value="{world.partner.full_name}"' in text
    assert f'name="partner" value="{world.partner.pk}"' in text


@pytest.mark.parametrize(("data", "message"), [
    ({"course": "", "partner": "me", "completed_on": "2025-01-15"}, "This field is required"),
    ({"course": "safeguarding", "completed_on": "2025-01-15"}, "Choose either a partner or a staff member"),
    ({"course": "safeguarding", "partner": "me", "user": "staff", "completed_on": "2025-01-15"},
     "Choose either a partner or a staff member"),
    ({"course": "safeguarding", "partner": "me", "completed_on": "not a date"}, "Enter a real date"),
    ({"course": "safeguarding", "partner": "me", "completed_on": "2999-01-01"}, "cannot be in the future"),
    ({"course": "safeguarding", "user": "trustee", "completed_on": "2025-01-15"}, "Select a valid choice"),
])
def test_record_form_rejects_bad_input_and_saves_nothing(world, staff_client, safeguarding, data, message):
    values = {"me": world.partner.pk, "staff": world.staff.pk, "trustee": world.trustee.pk,
              "safeguarding": safeguarding.pk}
    post = {key: values.get(value, value) for key, value in data.items()}
    assert_form_refused(staff_client, reverse("participants:training_record_create"), post, message,
                        model=TrainingRecord)


def test_staff_remove_a_completion_recorded_by_mistake(world, staff_client):
    url = reverse("participants:training_record_delete", kwargs={"pk": world.training_record.pk})
    assert "Remove the completion" in staff_client.get(url).content.decode()
    staff_client.post(url)
    assert not TrainingRecord.objects.filter(pk=world.training_record.pk).exists()
    removal = TrainingRecord.history.filter(id=world.training_record.pk, history_type="-").get()
    assert removal.history_user == world.staff


def test_staff_add_and_change_a_course(world, staff_client):
    response = staff_client.post(reverse("participants:course_create"), {
        "name": "Chairing meetings", "description": "Running a meeting well.", "valid_for_months": "12",
        "required_for_staff": "on",
    })
    course = Course.objects.get(name="Chairing meetings")
    assert response.url == reverse("participants:course_detail", kwargs={"pk": course.pk})
    assert course.required_for_staff and not course.required_for_partners
    staff_client.post(reverse("participants:course_edit", kwargs={"pk": course.pk}), {
        "name": "Chairing meetings", "valid_for_months": "", "required_for_partners": "on",
    })
    course.refresh_from_db()
    assert course.valid_for_months is None and course.required_for_partners
    assert course.history.latest().history_user == world.staff


@pytest.mark.parametrize(("data", "message"), [
    ({"name": ""}, "This field is required"),
    ({"name": "SAFEGUARDING"}, "already a course with this name"),
    ({"name": "Confidentiality"}, "already exists"),
    ({"name": "New course", "valid_for_months": "0"}, "Between 1 and 120 months"),
    ({"name": "New course", "valid_for_months": "many"}, "Enter a whole number"),
])
def test_course_form_rejects_bad_input_and_saves_nothing(staff_client, data, message):
    before = list(Course.objects.values_list("name", "valid_for_months"))
    response = staff_client.post(reverse("participants:course_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Course.objects.values_list("name", "valid_for_months")) == before


def test_course_edit_rejects_a_name_already_used(staff_client, safeguarding):
    response = staff_client.post(reverse("participants:course_edit", kwargs={"pk": safeguarding.pk}),
                                 {"name": "induction", "valid_for_months": "24"})
    assert "already a course with this name" in response.content.decode()
    safeguarding.refresh_from_db()
    assert safeguarding.name == "Safeguarding"


# Partner portal ----------------------------------------------------------------------


def test_my_training_shows_what_is_done_and_what_to_do_in_plain_english(world, partner_client):
    page = partner_client.get(reverse("participants:my_training")).content.decode()
    assert "Your training" in page
    assert "Training you need to do" in page
    assert "Your last one runs out on" in page  # safeguarding expires within 30 days
    assert "Training you have done" in page
    assert "Safeguarding" in page


def test_partner_sees_only_their_own_training(world, other_partner_client):
    page = other_partner_client.get(reverse("participants:my_training")).content.decode()
    assert "You have not done any training with us yet." in page
    assert "You have not done this yet." in page


def test_partner_home_lists_training_to_do(other_partner_client):
    page = other_partner_client.get(reverse("participants:portal_home")).content.decode()
    assert "Training to do: Induction, Safeguarding." in page
