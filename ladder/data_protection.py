"""What the ladder holds about a partner, for their data export and for erasure."""

from django.utils.translation import gettext

from coprod import registry

from .answers_cache import answers_changed
from .models import Response


def export_ladder_answers(partner) -> tuple[str, list[dict]]:
    """Every answer they gave (or staff gave for them) in a ladder round. One query."""
    answers = (Response.objects.filter(respondent__partner=partner)
               .select_related("respondent__round", "area", "rung")
               .order_by("respondent__round__closes_on", "area__order", "pk"))
    return gettext("Your ladder answers"), [
        {"round": answer.respondent.round.title, "area": answer.area.name, "rung": answer.rung.name,
         "what_makes_you_say_so": answer.evidence, "next_step": answer.next_step,
         "entered_for_you_by_staff": answer.on_behalf, "answered_on": answer.updated_at.date()}
        for answer in answers
    ]


def erase_partner(partner, by) -> None:
    """Keep where they placed us (the results stay true) but drop their own words."""
    answers = Response.objects.filter(respondent__partner=partner)
    ids = list(answers.values_list("pk", flat=True))
    answers.update(evidence="", next_step="")
    answers_changed()  # no signal for a bulk update: drop the cached comments of closed rounds
    # Earlier versions hold the same words.
    Response.history.filter(id__in=ids).delete()


def register() -> None:
    """This app's sections of a partner's data-protection export and its part of erasure."""
    registry.data_exporters.register("ladder.export_ladder_answers", export_ladder_answers, order=125)
    registry.data_erasers.register("ladder", erase_partner)
