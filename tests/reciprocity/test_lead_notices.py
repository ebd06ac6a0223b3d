"""When a partner sends a claim, the staff lead hears of it: the meeting's panel lead, or for a
claim not for a meeting the partner's link worker. Staff sending for a partner tell nobody."""

from decimal import Decimal

import pytest
from django.core import mail

from coprod.models import Notice
from reciprocity import services

from ..panels.factories import AttendanceFactory
from ..panels.factories import MeetingFactory
from ..panels.factories import MembershipFactory
from ..participants.factories import StaffFactory
from .helpers import hourly
from .helpers import make_claim

pytestmark = pytest.mark.django_db


def test_a_partners_claim_tells_their_link_worker(partner, django_capture_on_commit_callbacks):
    worker = StaffFactory(full_name="Wyn Worker", email="wyn@example.test")
    partner.link_worker = worker
    partner.save()
    with django_capture_on_commit_callbacks(execute=True):
        claim = make_claim(partner)
    told = Notice.objects.get(kind="claim_submitted", user=worker)
    assert told.user == worker and told.channel == "email"
    message = next(message for message in mail.outbox if message.to == ["Wyn <wyn@example.test>"])
    assert "Pat Partner sent a claim for £40.00" in message.subject
    assert f"/staff/claims/{claim.pk}/" in message.body


def test_a_claim_for_a_meeting_tells_the_panels_staff_lead(partner, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(days=-3, title="Leaflet review")
    lead = StaffFactory(full_name="Lee Lead")
    MembershipFactory(panel=meeting.panel, partner=None, user=lead, role="chair")
    AttendanceFactory(meeting=meeting, partner=partner, status="attended")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_create(partner=partner, by=partner.user, meeting=meeting, activity_type=hourly(),
                              hours=Decimal("2"), submit=True)
    told = Notice.objects.get(kind="claim_submitted", user__is_staff_member=True)
    assert told.user == lead
    assert "for Leaflet review" in told.body


def test_staff_sending_a_claim_for_a_partner_tell_nobody(partner, plain_staff,
                                                         django_capture_on_commit_callbacks):
    partner.link_worker = StaffFactory()
    partner.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(partner, by=plain_staff)
    # (The partner hears that their claim arrived; no member of staff is told.)
    assert not Notice.objects.filter(kind="claim_submitted").exclude(user=partner.user).exists()
