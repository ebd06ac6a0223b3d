"""The ladder's charts, shared by the web pages and the PDF report. Each returns an
<img> with alt text; the pages show the same figures in a table beside it.

Their words (axis labels, the key, the alt text, month names) are in the active language.
Charts are kept in the cache keyed by everything they are drawn from (coprod.chartcache),
words included, so a Welsh chart and an English one are two entries and neither is shown
for the other."""

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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
                    {_("Staff"): result.staff.counts, _("Partners"): result.partners.counts},
                    ylabel=_("Number of answers"), height=3.0)
    alt = _("Bar chart: how staff and partners placed us for %(area)s. Staff median %(staff)s; partner "
            "median %(partners)s. The table below gives the same figures.") % {
        "area": result.area.name, "staff": result.staff_label, "partners": result.partner_label}
    return svg_img(svg, alt)


def overview_chart(results: RoundResults) -> SafeString:
    """Staff and partner medians side by side for every area."""
    names = [a.area.name for a in results.areas]
    label = _("Median step (1 = %(bottom)s, %(top)s = %(top_name)s)") % {
        "bottom": results.rungs[0].name, "top": len(results.rungs), "top_name": results.rungs[-1].name,
    } if results.rungs else _("Median step")
    svg = bar_chart(names, {_("Staff"): [_value(a.staff.median) for a in results.areas],
                            _("Partners"): [_value(a.partners.median) for a in results.areas]},
                    horizontal=True, ylabel=label, height=0.55 * max(len(names), 2) + 1)
    alt = _("Bar chart of staff and partner medians per area: %(areas)s. The table gives the same "
            "figures.") % {"areas": "; ".join(
                _("%(area)s: staff %(staff)s, partners %(partners)s") % {
                    "area": a.area.name, "staff": format_position(a.staff.median),
                    "partners": format_position(a.partners.median)}
                for a in results.areas)}
    return svg_img(svg, alt)


def _unique(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def trend_chart(series: TrendSeries, rungs) -> SafeString:
    labels = _unique([date_format(point[0].closes_on, "M Y") for point in series.points])
    svg = line_chart(labels, {_("Staff"): [None if v is None else float(v) for v in series.staff],
                              _("Partners"): [None if v is None else float(v) for v in series.partners]},
                     yticks=[rung.name for rung in rungs], height=3.0)
    alt = _("Line chart of staff and partner medians for %(area)s over time: %(points)s. The table gives "
            "the same figures.") % {"area": series.area.name, "points": "; ".join(
                _("%(area)s: staff %(staff)s, partners %(partners)s") % {
                    "area": label, "staff": format_position(point[1]), "partners": format_position(point[2])}
                for label, point in zip(labels, series.points, strict=True))}
    return svg_img(svg, alt)
