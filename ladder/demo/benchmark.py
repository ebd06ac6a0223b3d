"""The ladder app's part of the benchmark (see coprod/demo/benchmark.py): two closed
self-assessment rounds answered by everyone in every batch, actions linked to panels and
decisions, the action list and the results page."""

from django.urls import reverse

from coprod.demo.benchmark import Batch
from coprod.demo.benchmark import Page
from coprod.demo.benchmark import World
from coprod.demo.benchmark import add_page
from coprod.demo.benchmark import at
from coprod.demo.benchmark import days_ago
from coprod.demo.benchmark import growers
from coprod.demo.benchmark import part
from coprod.demo.benchmark import setups
from ladder.answers_cache import answers_changed
from ladder.defaults import install_defaults
from ladder.models import Action
from ladder.models import Area
from ladder.models import Ladder
from ladder.models import Respondent
from ladder.models import Response
from ladder.models import Round
from ladder.models import Rung


def _setup(world: World) -> None:
    """The shipped ladders (if missing) and the two closed rounds: `world.round`, whose results
    page is measured, and `world.previous_round`."""
    install_defaults(Ladder, Rung, Area)  # idempotent: only if the shipped ladders are missing
    world.ladder = Ladder.current()
    world.rungs = list(world.ladder.rungs.order_by("position"))
    world.areas = list(Area.objects.active()) or list(Area.objects.all())
    rounds = Round.objects.bulk_create([
        Round(title=f"Benchmark {world.tag} {label}", ladder=world.ladder, closes_on=days_ago(days),
              status=Round.Status.CLOSED, created_by=world.staff, opened_at=at(-days - 30, 9),
              closed_at=at(-days + 1, 9), closed_by=world.staff)
        for label, days in [("previous self-assessment", 200), ("self-assessment", 20)]
    ])
    for round_ in rounds:
        round_.areas.set(world.areas)
    world.previous_round, world.round = rounds


def _ladder_data(world: World, batch: Batch) -> None:
    """Every new partner and staff member answers every area in both ladder rounds (one in five
    with a comment and a next step); one action for every two partners, some overdue, linked
    to panels and decisions."""
    size, staff, partners, panels, decisions, number = (batch.size, batch.staff, batch.partners, batch.panels,
                                                        batch.decisions, batch.number)
    respondents = Respondent.objects.bulk_create(
        [Respondent(round=round_, group=Respondent.Group.PARTNER, partner=partner, invited_by=world.staff)
         for round_ in (world.previous_round, world.round) for partner in partners]
        + [Respondent(round=round_, group=Respondent.Group.STAFF, user=user, invited_by=world.staff)
           for round_ in (world.previous_round, world.round) for user in staff]
    )
    rungs = world.rungs
    Response.objects.bulk_create([
        Response(respondent=respondent, area=area, rung=rungs[(i + j) % len(rungs)],
                 evidence="We were asked before the decision was made." if i % 5 == 0 else "",
                 next_step="Pay partners for reading papers." if i % 5 == 0 else "",
                 entered_by=respondent.user or respondent.partner.user)
        for i, respondent in enumerate(respondents) for j, area in enumerate(world.areas)
    ])
    answers_changed()  # answers added to closed rounds in bulk send no signal: drop what was cached
    statuses = Action.Status.values
    Action.objects.bulk_create([
        Action(area=world.areas[i % len(world.areas)], description=f"Agreed next step {number}-{i}",
               owner=staff[i % len(staff)], due_on=days_ago(30 - i % 90), status=statuses[i % len(statuses)],
               round=world.round, panel=panels[i % len(panels)] if i % 2 == 0 else None,
               decision=decisions[i % len(decisions)] if i % 3 == 0 else None, created_by=world.staff)
        for i in range(part(size, 2))
    ])



def register() -> None:
    # Before panels: panels hang on the ladder's areas and decisions on its rungs.
    setups.register("ladder", _setup, order=30)
    growers.register("ladder", _ladder_data, order=70)
    add_page(70, Page("staff: ladder actions", "staff", lambda world: reverse("ladder:action_list")))
    add_page(80, Page("staff: ladder results", "staff",
                      lambda world: reverse("ladder:results", args=[world.round.pk]), heavy=True))
