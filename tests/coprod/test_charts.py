import base64
import datetime
import re
from decimal import Decimal

from coprod.charts import bar_chart
from coprod.charts import line_chart
from coprod.charts import svg_img
from coprod.kpis import Dashboard
from coprod.kpis import charts
from coprod.periods import Period


def test_bar_chart_draws_every_label_as_svg_text():
    svg = bar_chart(["Governance", "Recruitment"], {"Staff": [5, 3], "Partners": [4, 2]}, ylabel="Rung")
    assert svg.lstrip().startswith("<?xml")
    assert "Governance" in svg and "Recruitment" in svg and "Partners" in svg


def test_line_chart_leaves_gaps_for_missing_values_and_names_rungs():
    svg = line_chart(["2025", "2026"], {"Staff": [2, None]}, yticks=["Informing", "Consulting"])
    assert "Consulting" in svg


def test_line_chart_draws_a_second_series_dashed_so_agreeing_lines_both_show():
    one = line_chart(["2025", "2026"], {"Staff": [3, 4]})
    two = line_chart(["2025", "2026"], {"Staff": [3, 4], "Partners": [3, 4]})
    assert "stroke-dasharray" not in one
    assert "stroke-dasharray" in two


def test_chart_is_embedded_as_an_image_with_alt_text():
    html = svg_img("<svg></svg>", alt='Staff "5", partners 4')
    assert html.startswith('<img class="chart img-fluid" src="data:image/svg+xml;base64,')
    assert 'alt="Staff &quot;5&quot;, partners 4"' in html


def _budget_chart_text(count: int) -> list[str]:
    """The words drawn in the dashboard's budget chart for `count` funders with long names."""
    budgets = [{"source": f"The Community Health Charitable Foundation fund number {i}",
                "budget": Decimal(1000 * i), "spent": Decimal(400 * i)} for i in range(1, count + 1)]
    quarter = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "Q1")
    board = Dashboard(period=quarter, service=None, reciprocity={"budgets": budgets})
    svg = base64.b64decode(re.search(r'base64,([^"]+)"', charts(board)["budgets"]).group(1)).decode()
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_budget_chart_keeps_funder_names_short_beside_horizontal_bars():
    words = _budget_chart_text(3)
    # Each name is wrapped on short lines instead of one long label under a vertical bar.
    assert "The Community Health" in words
    assert all(len(line) <= 26 for line in words)
    assert "£2,000" in words  # the money axis reads as pounds


def test_budget_chart_with_many_funders_draws_the_largest_and_adds_up_the_rest():
    words = _budget_chart_text(20)
    assert "Other funders (12)" in words
    assert sum("number 20" in line for line in words) == 1  # the largest budget is drawn
    assert not any(line.endswith("number 1") for line in words)  # the smallest is in "Other funders"
    assert all(len(line) <= 26 for line in words)
