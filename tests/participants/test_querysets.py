"""Shared reads: who is due training, whose consent is in force."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Course
from participants.models import Partner
from participants.models import TrainingRecord

from .factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_induction_required():
    Course.objects.update(required_for_partners=False)
    induction = Course.objects.get(name="Induction")
    induction.required_for_partners = True
    induction.save()
    return induction


def _due(partner):
    """How many required courses `partner` is due, checking that the list of partners due
    (`training_due()`, the condition the dashboard counts with) agrees."""
    due = Partner.objects.with_training_due().get(pk=partner.pk).training_due
    assert (partner in Partner.objects.training_due()) == (due > 0)
    return due


def test_partner_without_required_training_is_due(only_induction_required):
    partner = PartnerFactory()
    assert _due(partner) == 1
    assert partner in Partner.objects.training_due()


def test_current_completion_clears_the_due_flag(only_induction_required):
    partner = PartnerFactory()
    TrainingRecord.objects.create(course=only_induction_required, partner=partner,
                                  completed_on=timezone.localdate())
    assert _due(partner) == 0
    assert partner not in Partner.objects.training_due()


def test_completion_expiring_within_thirty_days_is_due_again(only_induction_required):
    partner = PartnerFactory()
    today = timezone.localdate()
    record = TrainingRecord.objects.create(course=only_induction_required, partner=partner,
                                           completed_on=today - timedelta(days=700),
                                           expires_on=today + timedelta(days=30))
    assert _due(partner) == 1
    record.expires_on = today + timedelta(days=31)
    record.save()
    assert _due(partner) == 0


def test_one_of_two_required_courses_done_leaves_one_due(only_induction_required):
    safeguarding = Course.objects.exclude(pk=only_induction_required.pk).first()
    safeguarding.required_for_partners = True
    safeguarding.save()
    partner, other = PartnerFactory(), PartnerFactory()
    TrainingRecord.objects.create(course=only_induction_required, partner=partner,
                                  completed_on=timezone.localdate())
    assert _due(partner) == 1
    assert _due(other) == 2
    for course in (only_induction_required, safeguarding):
        TrainingRecord.objects.create(course=course, partner=other, completed_on=timezone.localdate())
    assert _due(other) == 0


def test_nobody_is_due_when_no_course_is_required():
    Course.objects.update(required_for_partners=False)
    assert _due(PartnerFactory()) == 0


def test_consent_in_force_only_for_the_latest_wording_and_until_withdrawn():
    partner = PartnerFactory()
    first = ConsentStatement.objects.get(topic="quotes", version=1)
    consent = Consent.objects.create(partner=partner, statement=first)
    assert partner.has_consent("quotes")
    assert not partner.has_consent("photos")

    consent.withdrawn_at = timezone.now()
    consent.save()
    assert not partner.has_consent("quotes")

    Consent.objects.create(partner=partner, statement=first)
    ConsentStatement.objects.create(topic="quotes", version=2, wording="New words")
    assert not partner.has_consent("quotes"), "a new wording needs agreeing to again"
