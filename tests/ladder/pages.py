"""Permission-matrix rows for the ladder pages, and the rounds, answers and actions they show."""

from datetime import timedelta

from django.utils import timezone

from ..permissions import FORBIDDEN
from ..permissions import LOGIN
from ..permissions import NOT_FOUND
from ..permissions import OK
from ..permissions import OWN_RECORD
from ..permissions import OWN_RECORD_POST
from ..permissions import PARTNERS_ONLY
from ..permissions import REDIRECT
from ..permissions import STAFF_AND_TRUSTEES
from ..permissions import STAFF_ONLY
from ..permissions import STAFF_POST
from ..permissions import Page

# A round world.partner is invited to is their own record: another partner gets 404.
MY_ROUND = OWN_RECORD
MY_ROUND_ACTION = OWN_RECORD_POST
# An open round's results: staff only; trustees see closed rounds only.
LIVE_RESULTS = (LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, OK)


def populate(world) -> None:
    from ladder.models import Ladder
    from ladder.models import Response
    from ladder.models import Round

    from ..participants.factories import PartnerFactory
    from ..participants.factories import StaffFactory
    from .factories import LadderActionFactory
    from .factories import LadderRoundFactory
    from .factories import PartnerRespondentFactory
    from .factories import StaffRespondentFactory

    today = timezone.localdate()
    closed = LadderRoundFactory(title="Spring self-assessment", status=Round.Status.CLOSED,
                                closes_on=today - timedelta(days=10), closed_at=timezone.now(),
                                closed_by=world.staff)
    areas = closed.ordered_areas()[:3]
    closed.areas.set(areas)
    rungs = {rung.position: rung for rung in closed.ladder.rungs.all()}
    people = [
        StaffRespondentFactory(round=closed, user=world.staff),
        StaffRespondentFactory(round=closed, user=StaffFactory()),
        PartnerRespondentFactory(round=closed, partner=world.partner),
        PartnerRespondentFactory(round=closed, partner=PartnerFactory()),
    ]
    for index, respondent in enumerate(people):
        for step, area in enumerate(areas):
            Response.objects.create(
                respondent=respondent, area=area, rung=rungs[3 + (index + step) % 3],
                evidence=f"Evidence {index}-{step}", next_step=f"Next step {index}-{step}",
                entered_by=respondent.user or respondent.partner.user or world.staff,
            )
    world.ladder_closed = closed
    world.ladder_next_step = Response.objects.filter(respondent__round=closed).first()

    opened = LadderRoundFactory(title="Autumn check-in", service=world.service)
    opened.areas.set(areas)
    world.ladder_open = opened
    world.ladder_own = StaffRespondentFactory(round=opened, user=world.staff)
    world.ladder_mine = PartnerRespondentFactory(round=opened, partner=world.partner)
    world.ladder_proxy = PartnerRespondentFactory(round=opened,
                                                  partner=PartnerFactory(full_name="Nia Nologin"))
    Response.objects.create(respondent=world.ladder_mine, area=areas[0], rung=rungs[4],
                            evidence="We were asked about the new form.", entered_by=world.partner.user)
    world.ladder_rung = rungs[5]

    world.ladder_draft = LadderRoundFactory(title="Next year", status=Round.Status.DRAFT)
    StaffRespondentFactory(round=world.ladder_draft, user=world.staff)

    world.ladder_action = LadderActionFactory(area=areas[0], round=closed, owner=world.staff,
                                              due_on=today - timedelta(days=3))
    # The panels pages link this one to world.panel and world.decision.
    world.ladder_linked_action = LadderActionFactory(area=areas[1], round=closed, owner=world.staff,
                                                     description="Partners check the new intake form")
    world.ladder_ladder = Ladder.current()
    world.ladder_other_ladder = Ladder.objects.exclude(pk=world.ladder_ladder.pk).first()
    world.ladder_area = areas[0]


PAGES = [
    # Partner self-service
    Page("ladder:my_rounds", PARTNERS_ONLY),
    Page("ladder:my_round", MY_ROUND, kwargs=lambda w: {"pk": w.ladder_open.pk}),
    Page("ladder:my_round", MY_ROUND, kwargs=lambda w: {"pk": w.ladder_closed.pk}),
    Page("ladder:respond", MY_ROUND, kwargs=lambda w: {"pk": w.ladder_open.pk, "step": 1}),
    Page("ladder:respond", MY_ROUND, kwargs=lambda w: {"pk": w.ladder_open.pk, "step": 3}),
    Page("ladder:respond", MY_ROUND_ACTION, kwargs=lambda w: {"pk": w.ladder_open.pk, "step": 2},
         method="post", data=lambda w: {"rung": w.ladder_rung.pk, "evidence": "", "next_step": ""}),
    Page("ladder:my_results", MY_ROUND, kwargs=lambda w: {"pk": w.ladder_closed.pk}),
    # Staff and trustees
    Page("ladder:round_list", STAFF_AND_TRUSTEES),
    Page("ladder:results", STAFF_AND_TRUSTEES, kwargs=lambda w: {"pk": w.ladder_closed.pk}),
    Page("ladder:results", LIVE_RESULTS, kwargs=lambda w: {"pk": w.ladder_open.pk}),
    Page("ladder:round_report", (LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT),
         kwargs=lambda w: {"pk": w.ladder_closed.pk}, method="post"),
    Page("ladder:round_report", (LOGIN, FORBIDDEN, FORBIDDEN, NOT_FOUND, REDIRECT),
         kwargs=lambda w: {"pk": w.ladder_open.pk}, method="post"),
    Page("ladder:trend", STAFF_AND_TRUSTEES),
    # Staff: rounds
    Page("ladder:round_create", STAFF_ONLY),
    Page("ladder:round_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_open.pk}),
    Page("ladder:round_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_closed.pk}),
    Page("ladder:round_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_draft.pk}),
    Page("ladder:round_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_open.pk}),
    Page("ladder:round_open", STAFF_POST, kwargs=lambda w: {"pk": w.ladder_draft.pk}, method="post"),
    Page("ladder:round_close", STAFF_POST, kwargs=lambda w: {"pk": w.ladder_open.pk}, method="post"),
    Page("ladder:respondent_answers", STAFF_ONLY,
         kwargs=lambda w: {"round_pk": w.ladder_open.pk, "pk": w.ladder_proxy.pk}),
    Page("ladder:respondent_answers", STAFF_ONLY,
         kwargs=lambda w: {"round_pk": w.ladder_open.pk, "pk": w.ladder_mine.pk}),
    Page("ladder:respond_for", STAFF_ONLY,
         kwargs=lambda w: {"round_pk": w.ladder_open.pk, "pk": w.ladder_proxy.pk, "step": 1}),
    Page("ladder:respond_for", STAFF_ONLY,
         kwargs=lambda w: {"round_pk": w.ladder_open.pk, "pk": w.ladder_mine.pk, "step": 1}),
    Page("ladder:respond_for", STAFF_ONLY,
         kwargs=lambda w: {"round_pk": w.ladder_open.pk, "pk": w.ladder_own.pk, "step": 2}),
    # Staff: action plan
    Page("ladder:action_list", STAFF_ONLY),
    Page("ladder:action_create", STAFF_ONLY),
    Page("ladder:action_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_action.pk}),
    # Staff: ladders and areas
    Page("ladder:ladder_list", STAFF_ONLY),
    Page("ladder:ladder_detail", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_ladder.pk}),
    Page("ladder:ladder_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_ladder.pk}),
    Page("ladder:ladder_make_current", STAFF_POST, kwargs=lambda w: {"pk": w.ladder_other_ladder.pk},
         method="post"),
    Page("ladder:area_list", STAFF_ONLY),
    Page("ladder:area_create", STAFF_ONLY),
    Page("ladder:area_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.ladder_area.pk}),
]
