from coprod.charts import bar_chart, line_chart, svg_img


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
