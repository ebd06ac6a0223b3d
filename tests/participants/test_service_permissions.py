"""Partners' records, invitations, consent wording and training change only through the people
allowed to, whatever page or script calls the services."""

import pytest
from django.utils import timezone

from participants import services

from ..helpers import assert_permission_denied
from .factories import StaffFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
BASE_URL = "https://coprod.example.test"

# Each staff-only service and a call to it, about the records `world` holds.
STAFF_ONLY = {
    "partner_create": lambda world: dict(data={"full_name": "New Partner"}),
    "partner_update": lambda world: dict(partner=world.partner, data={"phone": "07700 900111"}),
    "partner_change_status": lambda world: dict(partner=world.partner, status="paused"),
    "access_need_create": lambda world: dict(name="Hearing loop"),
    "access_need_update": lambda world: dict(access_need=world.access_need, name="Very large print"),
    "lived_experience_area_create": lambda world: dict(name="Mental health"),
    "lived_experience_area_update": lambda world: dict(area=world.area, name="Housing"),
    "invitation_create": lambda world: dict(email="new@example.test", full_name="New Person", role="partner"),
    "invitation_send": lambda world: dict(invitation=world.invitation, request_or_base_url=BASE_URL),
    "invitation_create_and_send": lambda world: dict(email="new@example.test", full_name="New Person",
                                                     role="partner", request_or_base_url=BASE_URL),
    "invitation_resend": lambda world: dict(invitation=world.invitation, request_or_base_url=BASE_URL),
    "invitation_revoke": lambda world: dict(invitation=world.invitation),
    "consent_statement_publish": lambda world: dict(topic="photos", wording="New wording."),
    "consent_statement_set_welsh": lambda world: dict(statement=world.contact_statement,
                                                      wording_cy="Geiriad newydd."),
    "training_record": lambda world: dict(course=world.course, partner=world.partner, completed_on=TODAY),
    "training_record_delete": lambda world: dict(record=world.training_record),
    "course_create": lambda world: dict(data={"name": "First aid", "valid_for_months": 36}),
    "course_update": lambda world: dict(course=world.course, data={"name": "Safeguarding adults"}),
}


def _refused(call, *, match: str) -> None:
    assert_permission_denied(call, apps=("participants",), match=match)


@pytest.mark.parametrize("role", ["partner", "trustee"])
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_only_staff_keep_records_invitations_consent_wording_and_training(world, role, name):
    kwargs = STAFF_ONLY[name](world)
    _refused(lambda: getattr(services, name)(**kwargs, by=world.user_for(role)), match="Only staff")


@pytest.mark.parametrize("role", ["other_partner", "trustee"])
def test_consent_is_given_and_withdrawn_by_the_partner_or_staff(world, role):
    by = world.user_for(role)
    _refused(lambda: services.consent_give(partner=world.partner, statement=world.contact_statement, by=by),
             match="Only the partner or staff")
    _refused(lambda: services.consent_withdraw(consent=world.consent_quotes, by=by),
             match="Only the partner or staff")
    assert services.consent_withdraw(consent=world.consent_quotes, by=world.partner.user).withdrawn_at


@pytest.mark.parametrize("role", ["other_partner", "staff", "trustee"])
def test_own_details_and_erasure_requests_come_from_the_partner(world, role):
    by = world.user_for(role)
    _refused(lambda: services.partner_update_own_details(partner=world.partner, data={"pronouns": "they"},
                                                         by=by), match="Only the partner")
    _refused(lambda: services.partner_request_erasure(partner=world.partner, by=by), match="Only the partner")


def test_erasing_needs_the_erase_permission(world):
    staff = StaffFactory()
    _refused(lambda: services.partner_erase(partner=world.partner, confirm_name=world.partner.full_name,
                                            by=staff), match="permission to erase")
    world.partner.refresh_from_db()
    assert not world.partner.is_erased
