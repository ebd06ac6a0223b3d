"""Fixtures for the panels tests: the organisation row made before any page is counted
(the first page view would create it), and a staff member."""

import pytest

from coprod.models import Organisation

from ..participants.factories import StaffFactory


@pytest.fixture(autouse=True)
def _organisation(db):
    Organisation.current()


@pytest.fixture
def staff():
    return StaffFactory(full_name="Sam Staff")
