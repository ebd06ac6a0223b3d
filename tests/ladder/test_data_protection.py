"""A partner's ladder answers are in their data export, and erasure drops their words."""

import pytest
from django.contrib.auth.models import Permission

from ladder.models import Response
from participants import data_protection
from participants.services import partner_erase

from .factories import LadderResponseFactory
from .factories import PartnerRespondentFactory

pytestmark = pytest.mark.django_db


def test_export_holds_the_partners_ladder_answers_and_erasure_keeps_only_the_rung(world):
    respondent = PartnerRespondentFactory(partner=world.partner)
    answer = LadderResponseFactory(respondent=respondent, evidence="At my tenancy review nobody asked me",
                                   next_step="Ask tenants first")
    export = data_protection.partner_export(world.partner)
    answers = export["sections"]["Your ladder answers"]
    assert "At my tenancy review nobody asked me" in [a["what_makes_you_say_so"] for a in answers]
    other = data_protection.partner_export(world.other_partner)["sections"]["Your ladder answers"]
    assert "At my tenancy review nobody asked me" not in [a["what_makes_you_say_so"] for a in other]

    world.staff.user_permissions.add(*Permission.objects.filter(codename="delete_partner"))
    partner_erase(partner=world.partner, by=world.staff, confirm_name=world.partner.full_name)
    answer = Response.objects.get(pk=answer.pk)
    assert answer.evidence == "" and answer.next_step == ""
    assert not Response.objects.filter(respondent__partner=world.partner).exclude(evidence="").exists()
    assert answer.rung_id is not None, "where they placed us still counts in the results"
    assert not Response.history.filter(id=answer.pk, evidence__contains="tenancy").exists()
