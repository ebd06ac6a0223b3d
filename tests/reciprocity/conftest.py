"""Fixtures for the reciprocity tests: a partner who agreed to be contacted, finance
staff with both permissions, staff without them, and a funding source."""

import pytest
from django.contrib.auth.models import Permission

from participants.models import Consent
from participants.models import ConsentStatement

from ..helpers import signed_in_client
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from .factories import FundingSourceFactory
from .helpers import give_finance_permissions


@pytest.fixture
def partner(db):
    partner = PartnerWithLoginFactory(full_name="Pat Partner", user__email="pat@example.test")
    Consent.objects.create(
        partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1)
    )
    return partner


@pytest.fixture
def other(db):
    return PartnerWithLoginFactory(full_name="Olly Other", user__email="olly@example.test")


@pytest.fixture
def finance(db):
    return give_finance_permissions(StaffFactory(full_name="Fran Finance", email="fran@example.test"))


@pytest.fixture
def approver(db):
    return give_finance_permissions(
        StaffFactory(full_name="Abe Approver", email="abe@example.test"), "approve_claim"
    )


@pytest.fixture
def eraser(db):
    """Staff allowed to erase partners' personal data."""
    staff = StaffFactory(full_name="Eve Eraser", email="eve@example.test")
    staff.user_permissions.add(Permission.objects.get(content_type__app_label="participants",
                                                      codename="delete_partner"))
    return type(staff).objects.get(pk=staff.pk)


@pytest.fixture
def plain_staff(db):
    return StaffFactory(full_name="Sid Staff", email="sid@example.test")


@pytest.fixture
def source(db):
    return FundingSourceFactory(funder="Community Fund", grant="Voices")


# Test clients signed in as the partner, finance staff and staff without finance permissions.
signed_in = signed_in_client("signed_in", "partner", login=lambda partner: partner.user)
as_finance = signed_in_client("as_finance", "finance")
as_plain_staff = signed_in_client("as_plain_staff", "plain_staff")


@pytest.fixture(autouse=True)
def _organisation(db):
    """The organisation row is made on first use; made here, it is not part of what a page costs."""
    from coprod.models import Organisation

    Organisation.current()
