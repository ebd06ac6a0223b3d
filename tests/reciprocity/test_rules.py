"""The reciprocity rules that have one home each: which claims a person may see
(`Claim.objects.visible_to`) and which meetings a partner may still claim for
(`claimable_meetings`, enforced by `claim_create`)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

from reciprocity import services
from reciprocity.models import Claim
from reciprocity.models import claimable_meetings

from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..participants.factories import TrusteeFactory
from .helpers import meeting_attended

pytestmark = pytest.mark.django_db

TRAVEL = [{"kind": "travel", "amount": "3.40"}]


def _claim(partner, **kwargs):
    return services.claim_create(partner=partner, by=partner.user, costs=TRAVEL, **kwargs)


def test_a_partner_sees_only_their_own_claims_and_staff_see_all(partner):
    other = PartnerWithLoginFactory()
    mine = _claim(partner, meeting=meeting_attended(partner))
    theirs = _claim(other, meeting=meeting_attended(other, panel_name="Other panel"))
    assert list(Claim.objects.visible_to(partner.user)) == [mine]
    assert list(Claim.objects.visible_to(other.user)) == [theirs]
    assert set(Claim.objects.visible_to(StaffFactory())) == {mine, theirs}
    assert not Claim.objects.visible_to(TrusteeFactory()).exists()
    assert not Claim.objects.visible_to(AnonymousUser()).exists()


def test_a_partner_cannot_withdraw_another_partners_claim(partner):
    other = PartnerWithLoginFactory()
    theirs = _claim(other, meeting=meeting_attended(other), submit=True)
    with pytest.raises(PermissionDenied):
        services.claim_withdraw(claim=theirs, by=partner.user)
    theirs.refresh_from_db()
    assert theirs.status == Claim.Status.SUBMITTED


def test_claim_create_refuses_a_meeting_the_partner_did_not_attend(partner):
    other = PartnerWithLoginFactory()
    not_mine = meeting_attended(other)
    assert not claimable_meetings(partner).filter(pk=not_mine.pk).exists()
    with pytest.raises(ValidationError) as error:
        _claim(partner, meeting=not_mine)
    assert "register shows you attended" in error.value.message_dict["meeting"][0]
    assert not Claim.objects.exists()


def test_a_claimed_meeting_is_no_longer_offered_nor_accepted_again(partner):
    meeting = meeting_attended(partner)
    assert list(claimable_meetings(partner)) == [meeting]
    _claim(partner, meeting=meeting)
    assert not claimable_meetings(partner).exists()
    with pytest.raises(ValidationError) as error:
        _claim(partner, meeting=meeting)
    assert "already a claim" in error.value.message_dict["meeting"][0]
    assert Claim.objects.count() == 1


def test_claim_create_refuses_a_meeting_still_to_come(partner):
    future = meeting_attended(partner, days_ago=-2)
    assert not claimable_meetings(partner).exists()
    with pytest.raises(ValidationError) as error:
        _claim(partner, meeting=future)
    assert "once it has taken place" in error.value.message_dict["meeting"][0]
    assert not Claim.objects.exists()
