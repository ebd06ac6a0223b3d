"""The governance report as a board pack: targets met, near or missed beside the previous
period, staff commentary, cover, contents, plain-English definitions, and a length that
stays short however much the organisation records. Certificates name who signs them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod import boardpack
from coprod import governance
from coprod import reports
from coprod.kpis import Figure
from coprod.models import Organisation
from coprod.models import Report
from coprod.models import Service
from coprod.periods import custom
from coprod.periods import quarter_of
from panels.models import Decision
from panels.models import Panel

from ..helpers import pdf_text
from ..reciprocity.factories import FundingSourceFactory

pytestmark = pytest.mark.django_db
D = datetime.date
QUARTER = quarter_of(D(2026, 8, 1))


def _line(value, previous=None, target=None, higher_is_better=True):
    figure = Figure("Attendance rate", value, "%", target=target, higher_is_better=higher_is_better)
    before = Figure("Attendance rate", previous, "%") if previous is not None else None
    return boardpack.SummaryLine(figure, before)


def test_a_target_is_met_near_or_missed_and_the_change_says_if_it_is_better():
    assert _line(Decimal("80"), target=Decimal("75")).status == "met"
    assert _line(Decimal("70"), target=Decimal("75")).status == "near"  # within a tenth of 75
    assert _line(Decimal("60"), target=Decimal("75")).status == "missed"
    assert _line(Decimal("60")).status == ""  # no target, no verdict
    days = _line(Decimal("15"), previous=Decimal("12"), target=Decimal("14"), higher_is_better=False)
    assert days.status == "near" and days.change_text == "Up (worse)"
    assert _line(Decimal("80"), previous=Decimal("70"), target=Decimal("75")).change_text == "Up (better)"
    assert _line(Decimal("5"), previous=Decimal("9")).change_text == "Down"  # a count without a target
    assert _line(Decimal("5")).change_text == "No figure to compare"


def test_the_previous_period_is_the_quarter_before_or_as_many_days_before():
    assert boardpack.previous_period(QUARTER) == quarter_of(D(2026, 5, 1))
    before = boardpack.previous_period(custom(D(2026, 3, 11), D(2026, 3, 20)))
    assert (before.start, before.end) == (D(2026, 3, 1), D(2026, 3, 10))


def _pages(pdf: bytes) -> tuple[str, int]:
    text = pdf_text(pdf)
    return " ".join(text.split()), text.rstrip("\f").count("\f") + 1


def test_the_pack_has_a_cover_contents_summary_against_targets_commentary_and_plain_definitions(
        trustee_client, world, django_capture_on_commit_callbacks):
    organisation = Organisation.current()
    organisation.name, organisation.attendance_target = "Riverside Law Centre", Decimal("75")
    organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        trustee_client.post(reverse("coprod:governance_report_request"), {
            "period": "custom", "start": "2026-07-01", "end": "2026-09-30",
            "commentary": "Attendance fell in August.\n\nThank you to every partner."})
    report = Report.objects.get(kind=Report.Kind.GOVERNANCE, requested_by=world.trustee)
    assert report.commentary == "Attendance fell in August.\n\nThank you to every partner."
    page = trustee_client.get(reverse("coprod:report_detail", args=[report.pk])).content.decode()
    assert "<p>Attendance fell in August.</p>" in page
    text, pages = _pages(report.file.read())
    for words in ("Riverside Law Centre Governance report 1 July 2026 to 30 September 2026", "Contents",
                  "Executive summary", "Compared with April to June 2026", "Previous period",
                  "Commentary from staff Attendance fell in August.", "Appendix: what the figures mean",
                  "the share recorded as attending", f"Page 2 of {pages}"):
        assert words in text, words
    assert "rounds closing in the 12 months" not in text  # not the code's own notes
    assert "Page 1 of" not in text  # the cover carries no page number


def test_commentary_with_hidden_characters_is_refused_and_no_report_is_made(trustee_client, world):
    before = Report.objects.count()
    response = trustee_client.post(reverse("coprod:governance_report_request"), {
        "period": "last_quarter", "commentary": "Fine\x07 words"})
    assert response.status_code == 400
    assert "hidden control characters" in response.content.decode()
    assert Report.objects.count() == before


def test_the_pack_stays_short_with_many_decisions_services_and_funders_and_links_the_full_log(
        world, settings):
    settings.SITE_URL = "https://coprod.example.org"
    panel = Panel.objects.create(name="Challenge panel", kind=Panel.Kind.CHALLENGE, purpose="Challenge",
                                 starts_on=D(2026, 1, 1))
    for number in range(60):
        Decision.objects.create(title=f"Decision number {number} about a long-running question",
                                decided_on=D(2026, 7, 1) + datetime.timedelta(days=number),
                                decided_by="board", shaped_by_panel=panel, is_public=True,
                                how_shaped="The panel asked for it. " * 12)
    for number in range(40):
        Service.objects.create(name=f"Service number {number} with a long name")
    today = timezone.localdate()
    for number in range(30):
        FundingSourceFactory(funder=f"The Charitable Foundation number {number}",
                             amount=Decimal(1000 + number), starts_on=D(2026, 1, 1),
                             ends_on=today + datetime.timedelta(days=30))
    report = governance.governance_report_request(period=QUARTER, service=None, by=world.trustee)
    reports.report_run(report_id=report.pk)
    report.refresh_from_db()
    pdf = report.file.read()
    text, pages = _pages(pdf)
    assert pages <= 12, pages
    assert "60 public decisions" in text and "Download the full decision log" in text
    assert "Decision number 59" in text and "Decision number 5 " not in text  # the latest shown
    assert "The 10 services with the most active partners, of 41" in text
    assert "Other funders (2" in text  # the smallest of the 30 added up


def test_certificate_names_the_person_who_signs_it(world):
    organisation = Organisation.current()
    organisation.signatory_name, organisation.signatory_role = "Grace Okafor", "Chief Executive"
    organisation.save()
    report = reports.report_request(kind=Report.Kind.CERTIFICATE, title="Certificate of contribution",
                                    by=world.partner.user, partner=world.partner)
    reports.report_run(report_id=report.pk)
    report.refresh_from_db()
    text, _ = _pages(report.file.read())
    assert "Grace Okafor, Chief Executive for " in text


