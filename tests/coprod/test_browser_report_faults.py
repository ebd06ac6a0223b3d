"""The report page in the states faults leave it in passes axe in Chromium: a report the broker
was down for, and one whose worker died (with its "Try again" reached by keyboard)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.models import Report

from ..browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_pages_left_by_faults_pass_axe_and_say_what_happens_next(world, browser_page_for):
    not_sent = Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Waiting for the queue")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    stuck = Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Worker died", task_id="gone",
                                  status=Report.Status.RUNNING, started_at=an_hour_ago)
    tab = browser_page_for(world.staff)
    problems = []
    for report, words in ((not_sent, "We could not start making your report just now"),
                          (stuck, "The report was not finished")):
        url = reverse("coprod:report_detail", args=[report.pk])
        assert tab.goto(url).status == 200
        assert words in tab.locator("main").inner_text()
        problems += [f"{url}: {line}" for line in axe_violations(tab)]
        problems += [f"{url}: console error: {error}" for error in tab.errors]
    assert not problems, "\n".join(problems)

    tab.locator("button", has_text="Try again").focus()
    with tab.expect_navigation():  # the same page again, once the retry is recorded
        tab.keyboard.press("Enter")
    stuck.refresh_from_db()
    assert not stuck.is_stuck and stuck.task_id != "gone", "tried again: no longer left by the dead worker"
