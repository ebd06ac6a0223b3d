"""The `benchmark` command: measures every key page and service at two sizes, proves their
queries do not grow with the data, and leaves nothing behind."""

import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

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
        line = re.search(rf"^{re.escape(name)}\s+(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(.+)$", output,
                         re.MULTILINE)
        assert line, f"{name} is not in the table:\n{output}"
        small, large, verdict = int(line[1]), int(line[2]), line[3]
        assert small > 0, name
        assert small == large, f"{name}: {small} queries at N, {large} at N×K"
        assert not verdict.startswith("FAIL"), name
    assert "Summary: 15 measured" in output


def test_json_gives_each_measurement_with_its_queries_times_ratio_and_verdict(one_cheap_page):
    data = json.loads(_run("--json"))

    assert {"size", "factor", "repeat", "database", "partners", "targets", "results", "queries_ok",
            "time_ok"} <= data.keys()
    assert data["partners"] == [3, 6]
    assert [result["name"] for result in data["results"]] == ["staff: partner list",
                                                              "service: payments CSV export"]
    for result in data["results"]:
        keys = {"queries", "ms", "time_ratio", "time_target", "queries_ok", "time_ok", "verdict"}
        assert keys <= result.keys()
        assert result["queries"][0] == result["queries"][1] > 0
        assert len(result["ms"]) == 2
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
