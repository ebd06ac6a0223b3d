"""The organisation's services and its library change only through staff, whatever page or
script calls the services; `require` is how every service says so."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from coprod import services
from coprod.roles import is_staff_member
from coprod.roles import require

from ..helpers import assert_permission_denied

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

# Each staff-only service and a call to it, about the records `world` holds.
STAFF_ONLY = {
    "service_create": lambda world: dict(name="Welfare rights"),
    "service_update": lambda world: dict(service=world.service, name="Housing and welfare"),
    "resource_add": lambda world: dict(title="Expenses guide", kind="policy",
                                       file=SimpleUploadedFile("guide.pdf", PDF, "application/pdf")),
    "resource_update": lambda world: dict(resource=world.welcome_pack, title="Welcome"),
    "resource_delete": lambda world: dict(resource=world.welcome_pack),
}


@pytest.mark.parametrize("role", ["partner", "trustee"])
@pytest.mark.parametrize("name", STAFF_ONLY)
def test_only_staff_change_services_and_the_library(world, role, name):
    kwargs = STAFF_ONLY[name](world)
    assert_permission_denied(lambda: getattr(services, name)(**kwargs, by=world.user_for(role)),
                             apps=("coprod",), match="Only staff")


def test_require_refuses_with_the_message_and_lets_the_allowed_through(world):
    with pytest.raises(PermissionDenied, match="Staff only, please"):
        require(is_staff_member, world.partner.user, "Staff only, please")
    assert require(is_staff_member, world.staff, "Staff only, please") is None
    assert require(is_staff_member, None, "Staff only, please") is None  # the system, on its own
