"""A closed round's counts and the comments its results page shows are kept in the cache, and
thrown away when an answer of a closed round changes or a partner's words are erased."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ladder import data_protection
from ladder.models import Response
from ladder.models import Round
from ladder.results import round_results

from ..participants.factories import StaffFactory


@pytest.fixture
def sealed_round(closed_round):
    """The closed round as the service leaves it: with the time it closed."""
    closed_round.closed_at = timezone.now()
    closed_round.save(update_fields=["closed_at"])
    return Round.objects.with_scope().get(pk=closed_round.pk)


def _fresh(round_: Round) -> Round:
    return Round.objects.with_scope().get(pk=round_.pk)


def test_a_closed_rounds_counts_are_read_once(sealed_round, answer, django_assert_num_queries):
    area = sealed_round.ordered_areas()[0]
    answer(sealed_round, "staff", area, 3)
    round_results(_fresh(sealed_round), with_comments=False)  # read and kept

    round_ = _fresh(sealed_round)
    with django_assert_num_queries(3):  # rungs, areas, previous round: no answers read
        results = round_results(round_, with_comments=False)
    assert results.areas[0].staff.counts[2] == 1


def test_changing_an_answer_of_a_closed_round_shows_the_new_counts(sealed_round, answer):
    area = sealed_round.ordered_areas()[0]
    response = answer(sealed_round, "staff", area, 3)
    assert round_results(_fresh(sealed_round)).areas[0].staff.median == 3

    response.rung = sealed_round.ladder.rungs.get(position=6)  # as the Django admin would
    response.save()

    assert round_results(_fresh(sealed_round)).areas[0].staff.median == 6


def _charts(response) -> list[str]:
    return [part.split('"')[0] for part in response.content.decode().split("data:image/svg+xml;base64,")[1:]]


def test_the_chart_on_the_results_page_changes_when_its_data_changes(sealed_round, answer, client):
    area = sealed_round.ordered_areas()[0]
    response = answer(sealed_round, "staff", area, 3)
    client.force_login(StaffFactory())
    url = reverse("ladder:results", args=[sealed_round.pk])
    first = _charts(client.get(url))
    assert first and _charts(client.get(url)) == first  # the same charts, from the cache

    response.rung = sealed_round.ladder.rungs.get(position=6)
    response.save()

    assert _charts(client.get(url)) != first


def test_the_page_shows_the_first_comments_with_how_many_there_are(sealed_round, answer, client, settings):
    area = sealed_round.ordered_areas()[0]
    for n in range(12):
        answer(sealed_round, "partner", area, 2, evidence=f"Reason number {n}.")
    client.force_login(StaffFactory())

    page = client.get(reverse("ladder:results", args=[sealed_round.pk])).content.decode()

    assert "Reason number 0." in page and "Reason number 9." in page
    assert "Reason number 10." not in page
    assert "The first 10 of 12 comments; the PDF of this round has them all." in page


def test_erasing_a_partners_words_removes_them_from_the_cached_comments(sealed_round, answer):
    area = sealed_round.ordered_areas()[0]
    response = answer(sealed_round, "partner", area, 2, evidence="My own words.")
    shown = round_results(_fresh(sealed_round), comments_per_area=10).areas[0]
    assert [c.evidence for c in shown.evidence] == ["My own words."]

    data_protection.erase_partner(response.respondent.partner, by=StaffFactory())

    shown = round_results(_fresh(sealed_round), comments_per_area=10).areas[0]
    assert shown.evidence == [] and shown.evidence_total == 0
    assert Response.objects.get(pk=response.pk).evidence == ""
