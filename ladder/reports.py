"""The round report: a PDF of a round's results and action plan."""

from coprod.models import Report
from coprod.reports import register_renderer

from .charts import area_chart
from .charts import overview_chart
from .models import Action
from .models import Round
from .results import round_results


def render_round(report: Report) -> tuple[str, dict]:
    round_ = Round.objects.with_scope().get(pk=report.params["round"])
    results = round_results(round_)
    for area in results.areas:
        area.chart = area_chart(area)
    return "reports/ladder_round.html", {
        "round": round_, "results": results,
        "overview_chart": overview_chart(results) if results.areas else "",
        "actions": Action.objects.filter(round=round_).with_links().overdue_first(),
    }


def register() -> None:
    register_renderer(Report.Kind.LADDER_ROUND, render_round)
