"""The demo partners: varied, complete for the demo login, and loaded only once."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from participants.models import LivedExperienceArea
from participants.models import Partner
from participants.models import StatusChange

pytestmark = pytest.mark.django_db


def _counts():
    return (Partner.objects.count(), StatusChange.objects.count(), Partner.history.count(),
            LivedExperienceArea.objects.count(), get_user_model().objects.count())


def test_demo_partners_are_varied_and_loaded_once(demo, settings):
    settings.DEBUG = True
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    partners = Partner.objects.all()
    assert partners.count() >= 25
    assert set(partners.values_list("status", flat=True)) == set(Partner.Status.values)
    assert set(partners.values_list("payment_preference", flat=True)) == set(Partner.PaymentPreference.values)
    assert partners.filter(email="").exists() and partners.filter(user__isnull=True).exists()
    assert partners.filter(benefit_check=True).exists() and partners.filter(benefit_check=False).exists()
    assert LivedExperienceArea.objects.count() >= 8
    assert not partners.filter(status_changes__isnull=True).exists(), "every partner has a status history"


def test_demo_partner_login_has_a_complete_profile(demo):
    sam = Partner.objects.get(user__email="partner@example.org")
    assert (sam.full_name, sam.preferred_name) == ("Sarah Thompson", "Sam")
    for field in ["pronouns", "email", "phone", "address", "strengths", "skills", "interests", "availability",
                  "access_notes"]:
        assert getattr(sam, field), field
    assert sam.link_worker and sam.service and sam.access_needs.exists() and sam.lived_experience.exists()
    assert sam.history.filter(history_user__isnull=False).count() >= 3


def test_demo_staff_login_may_see_sensitive_data_and_another_staff_member_may_not(demo):
    User = get_user_model()
    assert User.objects.get(email="staff@example.org").has_perm("participants.view_sensitive_partner_data")
    assert not User.objects.get(email="p.lindqvist@example.org").has_perm(
        "participants.view_sensitive_partner_data")
    assert not User.objects.get(email="staff@example.org").is_superuser
