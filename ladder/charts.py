"""The ladder's charts, shared by the web pages and the PDF report. Each returns an
<img> with alt text; the pages show the same figures in a table beside it."""

from django.utils.safestring import SafeString

from coprod.charts import bar_chart
from coprod.charts import line_chart
from coprod.charts import svg_img

from .results import AreaResult
from .results import RoundResults
from .results import TrendSeries
from .results import format_position


def _value(median) -> float:
    return float(median) if median is not None else 0.0


def area_chart(result: AreaResult) -> SafeString:
    """How many staff and partners chose each rung in one area."""
    svg = bar_chart([rung.name for rung in result.rungs],
                    {"Staff": result.staff.counts, "Partners": result.partners.counts},
                    ylabel="Number of answers", height=3.0)
    alt = (f"Bar chart: how staff and partners placed us for {result.area.name}. "
           f"Staff median {result.staff_label}; partner median {result.partner_label}. "
           f"The table below gives the same figures.")
    return svg_img(svg, alt)


def overview_chart(results: RoundResults) -> SafeString:
    """Staff and partner medians side by side for every area."""
    names = [a.area.name for a in results.areas]
    svg = bar_chart(names, {"Staff": [_value(a.staff.median) for a in results.areas],
                            "Partners": [_value(a.partners.median) for a in results.areas]},
                    horizontal=True, ylabel=f"Median step (1 = {results.rungs[0].name}, "
                                            f"{len(results.rungs)} = {results.rungs[-1].name})"
                    if results.rungs else "Median step",
                    height=0.55 * max(len(names), 2) + 1)
    alt = "Bar chart of staff and partner medians per area: " + "; ".join(
        f"{a.area.name}: staff {format_position(a.staff.median)}, "
        f"partners {format_position(a.partners.median)}"
        for a in results.areas
    ) + ". The table gives the same figures."
    return svg_img(svg, alt)


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def trend_chart(series: TrendSeries, rungs) -> SafeString:
    labels = _unique([f"{r.closes_on:%b %Y}" for r, _, _ in series.points])
    svg = line_chart(labels, {"Staff": [None if v is None else float(v) for v in series.staff],
                              "Partners": [None if v is None else float(v) for v in series.partners]},
                     yticks=[rung.name for rung in rungs], height=3.0)
    alt = f"Line chart of staff and partner medians for {series.area.name} over time: " + "; ".join(
        f"{label}: staff {format_position(s)}, partners {format_position(p)}"
        for label, (_, s, p) in zip(labels, series.points, strict=True)
    ) + ". The table gives the same figures."
    return svg_img(svg, alt)
