"""Staff list, add and edit the organisation's services and teams, each with its
co-production champion; partners are tagged by service."""

import pytest
from django.urls import reverse

from coprod import services
from coprod.models import Organisation
from coprod.models import Service

from ..helpers import assert_queries_bounded
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from ..participants.factories import UserFactory
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = StaffFactory(full_name="Cara Champion")
    client.force_login(user)
    return user


def test_staff_add_a_service_with_its_champion(client, staff):
    response = client.post(reverse("coprod:service_create"), {
        "name": "Youth advice", "description": "Advice for 16 to 25 year olds.", "champion": staff.pk,
    })
    assert response.url == reverse("coprod:service_list")
    service = Service.objects.get(name="Youth advice")
    assert service.champion == staff
    assert service.history.get().history_user == staff


def test_staff_rename_a_service_and_change_its_champion(client, staff):
    service = ServiceFactory(name="Debt advice")
    other = StaffFactory()
    client.post(reverse("coprod:service_edit", args=[service.pk]),
                {"name": "Debt and money advice", "champion": other.pk})
    service.refresh_from_db()
    assert (service.name, service.champion) == ("Debt and money advice", other)
    assert service.history.latest().history_user == staff


@pytest.mark.parametrize(("name", "message"), [
    ("", "This field is required"),
    ("HOUSING advice", "There is already a service called"),
])
def test_service_form_rejects_bad_names_and_saves_nothing(client, staff, name, message):
    ServiceFactory(name="Housing advice")
    response = client.post(reverse("coprod:service_create"), {"name": name})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["name"])
    assert Service.objects.count() == 1


def test_only_staff_can_champion_a_service(client, staff):
    outsider = UserFactory()
    response = client.post(reverse("coprod:service_create"), {"name": "Outreach", "champion": outsider.pk})
    assert "Select a valid choice" in " ".join(response.context["form"].errors["champion"])
    with pytest.raises(Exception, match="must be a member of staff"):
        services.service_create(name="Outreach", champion=outsider, by=staff)
    assert not Service.objects.filter(name="Outreach").exists()


def test_service_list_counts_partners_and_links_to_them(client, staff):
    service = ServiceFactory(name="Welfare benefits", champion=staff)
    PartnerFactory.create_batch(3, service=service)
    page = client.get(reverse("coprod:service_list")).content.decode()
    assert "3 partners" in page
    assert f'{reverse("participants:partner_list")}?service={service.pk}' in page


def test_service_list_runs_the_same_queries_for_more_services(client, staff):
    Organisation.current()
    for n in range(3):
        PartnerFactory(service=ServiceFactory(name=f"Service {n}", champion=StaffFactory()))

    def grow():
        for n in range(3, 30):
            PartnerFactory(service=ServiceFactory(name=f"Service {n}", champion=StaffFactory()))

    assert_queries_bounded(client, reverse("coprod:service_list"), grow, most=10)
