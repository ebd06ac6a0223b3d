"""Property-based tests of the core services that take periods and files: the governance
report's period and the resource library's uploads. Whatever comes in, bad input is
refused with a message and saves nothing; good input is accepted."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from coprod import governance
from coprod import periods
from coprod import services
from coprod.models import Report
from coprod.models import Resource

from ..properties import assert_refused
from ..properties import days_after
from ..properties import example
from ..properties import near_and_far_dates
from ..properties import random_uploads
from ..properties import real_uploads

pytestmark = pytest.mark.django_db


@given(start=near_and_far_dates(2000), length=st.integers(min_value=-40, max_value=2000))
def test_a_governance_report_covers_a_period_since_2000_up_to_today_of_five_years_at_most(
        trustee, start, length, django_capture_on_commit_callbacks):
    end = days_after(start, length)
    period = periods.Period(start, end, "a period")
    request = lambda: governance.governance_report_request(period=period, service=None, by=trustee)  # noqa: E731
    with example():
        if datetime.date(2000, 1, 1) <= start <= end <= timezone.localdate() and length <= 366 * 5:
            with django_capture_on_commit_callbacks(execute=False) as queued:
                report = request()
            assert report.kind == Report.Kind.GOVERNANCE and report.params["end"] == end.isoformat()
            assert len(queued) == 1
        else:
            assert_refused(request)


@given(upload=random_uploads(["minutes.pdf", "logo.png", "photo.jpg", "photo.jpeg", "report.docx"]))
def test_random_bytes_named_like_a_document_are_refused_by_the_library(staff, upload):
    with example():
        assert_refused(lambda: services.resource_add(title="Welcome pack", kind="welcome_pack", file=upload,
                                                     by=staff))


@given(upload=real_uploads(["PDF", "PNG", "JPEG"]))
def test_a_real_pdf_or_image_is_kept_in_the_library(staff, upload):
    with example():
        resource = services.resource_add(title="Welcome pack", kind="welcome_pack", file=upload, by=staff)
        assert Resource.objects.filter(pk=resource.pk).exists()
        assert resource.file.size == upload.size
