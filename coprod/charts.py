"""Charts drawn on the server with matplotlib, as SVG.

The same function feeds the web page and the PDF. Charts are embedded as
`<img src="data:image/svg+xml;base64,...">` so the page's Content Security
Policy (no inline styles) holds, and every chart comes with alt text; pages
also show the figures as a table for people who cannot see the chart. Charts
are kept in the cache, keyed by their content (coprod.chartcache).
"""

import base64
import io
import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("svg")

from django.utils.html import format_html  # noqa: E402
from django.utils.safestring import SafeString  # noqa: E402
from matplotlib import pyplot  # noqa: E402

from .chartcache import cached_chart  # noqa: E402
from .money import number  # noqa: E402

# Colours that keep 3:1 contrast against white and each other, readable in greyscale print.
STAFF_COLOUR = "#0a3069"
PARTNER_COLOUR = "#bc4c00"
NEUTRAL_COLOUR = "#57606a"
matplotlib.rcParams.update({"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "none",
                            "axes.spines.top": False, "axes.spines.right": False})


def figure_to_svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    pyplot.close(figure)
    return buffer.getvalue()


def _titled_svg(figure, axes, title: str, series: dict) -> str:
    """The chart's title, if any, and a key when it has more than one series; then the SVG."""
    if title:
        axes.set_title(title)
    if len(series) > 1:
        axes.legend(frameon=False)
    return figure_to_svg(figure)


def svg_img(svg: str, alt: str, css_class: str = "chart img-fluid") -> SafeString:
    encoded = base64.b64encode(svg.encode()).decode()
    return format_html('<img class="{}" src="data:image/svg+xml;base64,{}" alt="{}">',
                       css_class, encoded, alt)


@cached_chart
def bar_chart(labels: Sequence[str], series: dict[str, Sequence[float]], *, title: str = "",
              ylabel: str = "", colours: Sequence[str] = (STAFF_COLOUR, PARTNER_COLOUR, NEUTRAL_COLOUR),
              horizontal: bool = False, width: float = 7.0, height: float = 3.2) -> str:
    """Grouped bars, one group per label and one bar per series; returns SVG text."""
    figure, axes = pyplot.subplots(figsize=(width, height))
    count = max(len(series), 1)
    bar = 0.8 / count
    positions = range(len(labels))
    for index, (name, values) in enumerate(series.items()):
        offsets = [p - 0.4 + bar * (index + 0.5) for p in positions]
        draw = axes.barh if horizontal else axes.bar
        draw(offsets, list(values), bar, label=name, color=colours[index % len(colours)])
    if horizontal:
        axes.set_yticks(list(positions), labels)
        axes.invert_yaxis()
        axes.set_xlabel(ylabel)
    else:
        axes.set_xticks(list(positions), labels, rotation=20 if len(labels) > 4 else 0, ha="right"
                        if len(labels) > 4 else "center")
        axes.set_ylabel(ylabel)
    return _titled_svg(figure, axes, title, series)


@cached_chart
def line_chart(labels: Sequence[str], series: dict[str, Sequence[float | None]], *, title: str = "",
               ylabel: str = "", yticks: Sequence[str] | None = None,
               colours: Sequence[str] = (STAFF_COLOUR, PARTNER_COLOUR, NEUTRAL_COLOUR),
               width: float = 7.0, height: float = 3.2) -> str:
    """Lines over time (missing values left as gaps); returns SVG text.

    `yticks` names the integer positions 1..n (for example the rungs of a ladder)."""
    figure, axes = pyplot.subplots(figsize=(width, height))
    # Each later line is thinner and dashed over the earlier ones, so where two series
    # agree (staff and partners on the same rung) both stay visible.
    styles = [("o", "-", 4.0, 9), ("s", "--", 2.0, 5), ("^", ":", 1.5, 4)]
    for index, (name, values) in enumerate(series.items()):
        marker, linestyle, linewidth, markersize = styles[index % len(styles)]
        axes.plot(list(labels), [float("nan") if v is None else v for v in values], label=name,
                  color=colours[index % len(colours)], marker=marker, linestyle=linestyle,
                  linewidth=linewidth, markersize=markersize)
    if yticks:
        axes.set_yticks(range(1, len(yticks) + 1), yticks)
        axes.set_ylim(0.5, len(yticks) + 0.5)
    axes.set_ylabel(ylabel)
    return _titled_svg(figure, axes, title, series)


def wrap_label(label: str, width: int = 26, lines: int = 3) -> str:
    """A long name on at most `lines` short lines (the last one ending "…" if cut), so
    names sit beside their bars instead of running into each other."""
    return "\n".join(textwrap.wrap(label, width, max_lines=lines, placeholder="…")) or label


def top_with_others(rows: Sequence[tuple[str, float, float]], *, top: int,
                    others: str = "Others") -> list[tuple[str, float, float]]:
    """The `top` largest rows (by their first figure), the rest added up as one
    "Others (n)" row, so a chart stays readable however many rows there are."""
    ranked = sorted(rows, key=lambda row: row[1], reverse=True)
    if len(ranked) <= top + 1:
        return ranked
    kept, rest = ranked[:top], ranked[top:]
    return kept + [(f"{others} ({len(rest)})", sum(r[1] for r in rest), sum(r[2] for r in rest))]


@cached_chart
def progress_chart(rows: Sequence[tuple[str, float, float]], *, whole: str, part: str, xlabel: str = "",
                   top: int = 8, others: str = "Others",
                   colours: Sequence[str] = (NEUTRAL_COLOUR, PARTNER_COLOUR),
                   money: bool = False, width: float = 7.0) -> str:
    """One horizontal bar per row: the whole (a budget) with the part (what was spent)
    drawn inside it. Names are wrapped beside the bars, the largest `top` rows are drawn
    and the rest added up as one row; the chart grows with the rows it draws. Returns SVG."""
    drawn = top_with_others(rows, top=top, others=others)
    figure, axes = pyplot.subplots(figsize=(width, 0.45 * max(len(drawn), 2) + 1.1))
    positions = list(range(len(drawn)))
    axes.barh(positions, [row[1] for row in drawn], 0.75, label=whole, color="white",
              edgecolor=colours[0], linewidth=1.2)
    axes.barh(positions, [row[2] for row in drawn], 0.45, label=part, color=colours[1])
    axes.set_yticks(positions, [wrap_label(row[0]) for row in drawn], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel(xlabel)
    if money:
        axes.xaxis.set_major_formatter(lambda value, _: f"£{number(round(value))}")
    axes.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    return figure_to_svg(figure)
