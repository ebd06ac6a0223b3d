"""The `benchmark` command: measures every key page and service at two sizes, proves their
queries do not grow with the data, and leaves nothing behind."""

import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError
from django.core.management import call_command

from coprod.demo import benchmark
from participants.models import Partner

pytestmark = pytest.mark.django_db

TINY = ["--size", "3", "--factor", "2", "--repeat", "1"]


def _run(*args: str) -> str:
    out = StringIO()
    call_command("benchmark", *TINY, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _rows_in_every_table() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def one_cheap_page(monkeypatch):
    """Only the partner list and the CSV export, for tests of the command's verdicts."""
    pages = [page for page in benchmark.PAGES if page.name == "staff: partner list"]
    monkeypatch.setattr(benchmark, "PAGES", pages)
    monkeypatch.setattr(benchmark, "CALLS", [call for call in benchmark.CALLS if "CSV" in call.name])


def test_every_page_and_service_is_measured_with_the_same_queries_at_both_sizes_and_nothing_is_left():
    before = _rows_in_every_table()
    output = _run()

    assert _rows_in_every_table() == before
    assert "N = 3 partners, N×K = 6" in output
    for name in [page.name for page in benchmark.PAGES] + [call.name for call in benchmark.CALLS]:
        line = re.search(rf"^{re.escape(name)}\s+(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+"
                         rf"(?:\s+[\d.]+)?\s+((?:ok|SLOW|FAIL).*)$", output, re.MULTILINE)
        assert line, f"{name} is not in the table:\n{output}"
        small, large, verdict = int(line[1]), int(line[2]), line[3]
        assert small > 0, name
        assert small == large, f"{name}: {small} queries at N, {large} at N×K"
        assert not verdict.startswith("FAIL"), name
    assert "Summary: 15 measured" in output
    for anchor in ("floor", "admin claims", "static document"):
        assert re.search(rf"^Anchor {anchor}: \d+ and \d+ queries, [\d.]+ and [\d.]+ ms", output,
                         re.MULTILINE)
    assert re.search(r"^Anchor static document: .* ms, [1-9]\d* and [1-9]\d* pages\.$", output, re.MULTILINE)


def test_json_gives_each_measurement_with_its_queries_times_ratio_and_verdict(one_cheap_page):
    data = json.loads(_run("--json"))

    assert {"size", "factor", "repeat", "database", "partners", "targets", "anchors", "results", "queries_ok",
            "time_ok", "build_seconds", "total_seconds"} <= data.keys()
    assert data["partners"] == [3, 6]
    assert set(data["targets"]) == {"query_growth_allowed", "page_time_ratio", "partner_time_ratio",
                                    "export_time_ratio", "floor_ratio", "heavy_floor_ratio", "admin_ratio",
                                    "document_ratio"}
    assert len(data["build_seconds"]) == 2
    assert set(data["anchors"]) == {"floor", "admin claims"}  # the static document comes with the report
    for name, anchor in data["anchors"].items():
        assert len(anchor["queries"]) == len(anchor["ms"]) == 2, name
        assert all(ms > 0 for ms in anchor["ms"]), name
        assert anchor["queries"][0] > 0, name
    assert [result["name"] for result in data["results"]] == ["staff: partner list",
                                                              "service: payments CSV export"]
    for result in data["results"]:
        keys = {"queries", "ms", "time_ratio", "time_target", "queries_ok", "time_ok", "verdict",
                "floor_ratio", "admin_ratio", "document_ratio", "floor_target", "admin_target",
                "document_target", "growth_ok", "anchors_ok"}
        assert keys <= result.keys()
        assert result["queries"][0] == result["queries"][1] > 0
        assert len(result["ms"]) == len(result["floor_ratio"]) == len(result["admin_ratio"]) == 2
    assert data["queries_ok"] is True


def test_queries_that_grow_with_the_data_fail_the_command_even_without_strict(one_cheap_page, monkeypatch):
    def partners_one_by_one(world):  # an N+1: each partner's service loaded separately
        for partner in Partner.objects.all():
            str(partner.service)

    monkeypatch.setattr(benchmark, "CALLS", [benchmark.Call("service: N+1", partners_one_by_one)])
    with pytest.raises(CommandError, match="Queries grow with the data on: service: N\\+1"):
        _run()


def test_a_time_ratio_over_its_target_fails_only_with_strict(one_cheap_page, monkeypatch):
    monkeypatch.setattr(benchmark, "PAGE_TIME_RATIO", 0.0)
    monkeypatch.setattr(benchmark, "EXPORT_TIME_RATIO_PER_FACTOR", 0.0)

    assert "SLOW: time ratio over 0" in _run()
    with pytest.raises(CommandError, match="Time ratio over its target on: staff: partner list"):
        _run("--strict")


def test_the_help_says_nothing_is_left_behind():
    from coprod.management.commands.benchmark import Command

    assert "rolled back" in Command.help and "never leaves data behind" in Command.help


def test_a_size_below_one_is_refused():
    with pytest.raises(CommandError, match="size must be at least 1"):
        call_command("benchmark", "--size", "0", stdout=StringIO(), stderr=StringIO())


def test_every_page_is_held_to_its_anchor_targets_and_the_report_to_the_static_document(monkeypatch):
    monkeypatch.setattr(benchmark, "PAGES", [page for page in benchmark.PAGES
                                             if page.name in ("staff: claims list", "partner: home",
                                                              "trustee: dashboard")])
    monkeypatch.setattr(benchmark, "CALLS", [call for call in benchmark.CALLS if "governance" in call.name])
    data = json.loads(_run("--json"))
    results = {result["name"]: result for result in data["results"]}

    assert results["staff: claims list"]["admin_target"] == benchmark.ADMIN_RATIO
    assert results["staff: claims list"]["floor_target"] == benchmark.FLOOR_RATIO
    assert results["trustee: dashboard"]["floor_target"] == benchmark.HEAVY_FLOOR_RATIO
    assert results["partner: home"]["time_target"] == benchmark.PARTNER_TIME_RATIO
    report = results["service: governance report PDF"]
    assert report["document_target"] == benchmark.DOCUMENT_RATIO
    assert len(report["document_ratio"]) == 2 and all(ratio > 0 for ratio in report["document_ratio"])
    document = data["anchors"]["static document"]
    assert len(document["ms"]) == len(document["pages"]) == 2 and min(document["pages"]) >= 1


def test_a_page_slower_than_its_anchor_is_reported_slow(one_cheap_page, monkeypatch):
    monkeypatch.setattr(benchmark, "FLOOR_RATIO", 0.0)

    assert "× the floor, over 0" in _run()
