"""A closed ladder round is never deleted: its results are published, so the round, who
was invited and every answer stay — refused by the model, the services, the admin and the
database. Rounds not closed yet can still be deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db import transaction
from django.urls import reverse

from ladder import services
from ladder.models import Respondent
from ladder.models import Response
from ladder.models import Round

from ..helpers import assert_never_deleted
from ..helpers import raw_delete
from ..participants.factories import StaffFactory
from ..participants.factories import UserFactory
from .factories import LadderResponseFactory
from .factories import LadderRoundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_closed_round(closed_round) -> Round:
    LadderResponseFactory(respondent__round=closed_round)
    return closed_round


def test_a_closed_round_is_refused_by_the_model_and_the_database(answered_closed_round):
    round_ = answered_closed_round
    assert_never_deleted(round_, refused="is closed: its results are published",
                         database="closed ladder round", raw="A closed ladder round is never deleted")
    assert Response.objects.filter(respondent__round=round_).count() == 1


def test_its_respondents_and_answers_are_refused_too(answered_closed_round):
    answer = Response.objects.get(respondent__round=answered_closed_round)
    respondent = answer.respondent
    with pytest.raises(ValidationError, match="is closed"):
        answer.delete()
    with pytest.raises(ValidationError, match="is closed"):
        respondent.delete()
    with pytest.raises(IntegrityError, match="The answers of a closed ladder round are never deleted"):
        with transaction.atomic():
            Response.objects.filter(pk=answer.pk).delete()
    with pytest.raises(IntegrityError, match="Who was invited to a closed ladder round"):
        raw_delete("ladder_respondent", respondent.pk)
    assert Respondent.objects.filter(pk=respondent.pk).exists()
    assert Response.objects.filter(pk=answer.pk).exists()


def test_an_open_round_can_still_be_deleted_with_its_answers():
    answer = LadderResponseFactory()
    answer.respondent.round.delete()
    assert not Response.objects.filter(pk=answer.pk).exists()


def test_the_service_refuses_to_change_who_was_invited_to_a_closed_round(answered_closed_round):
    staff = StaffFactory()
    round_ = answered_closed_round
    with pytest.raises(ValidationError, match="This round has closed and can no longer be changed"):
        services.round_update(round=round_, title="Renamed", closes_on=round_.closes_on,
                              areas=round_.areas.all(), staff=[], partners=[], by=staff)
    assert answered_closed_round.respondents.count() == 1


def test_the_admin_refuses_to_delete_a_closed_round_or_its_answers(answered_closed_round, client):
    client.force_login(UserFactory(is_superuser=True, is_staff_member=True))
    answer = Response.objects.get(respondent__round=answered_closed_round)
    for url in (reverse("admin:ladder_round_delete", args=[answered_closed_round.pk]),
                reverse("admin:ladder_response_delete", args=[answer.pk]),
                reverse("admin:ladder_respondent_delete", args=[answer.respondent_id])):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert Round.objects.filter(pk=answered_closed_round.pk).exists()
    open_round = LadderRoundFactory()
    assert client.get(reverse("admin:ladder_round_delete", args=[open_round.pk])).status_code == 200
