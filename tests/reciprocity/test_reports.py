"""The partner's certificate of contribution and statement of involvement: rendered
by the Celery task with WeasyPrint, holding what they did, and their own words only
while they agree to quotes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from coprod.models import Report
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Course
from participants.models import TrainingRecord

from ..helpers import pdf_text
from .factories import RecognitionFactory
from .helpers import meeting_attended

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _make(client, partner, name: str, capture) -> tuple[Report, str]:
    client.force_login(partner.user)
    with capture(execute=True):
        response = client.post(reverse(f"reciprocity:my_{name}"))
    report = Report.objects.get(partner=partner, kind=name)
    assert response.url == reverse("coprod:report_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    download = client.get(reverse("coprod:report_download", args=[report.pk]))
    return report, pdf_text(b"".join(download.streaming_content))


def _involve(partner):
    from panels.models import Membership

    meeting = meeting_attended(partner, hours=Decimal("2.5"), panel_name="Housing challenge panel")
    Membership.objects.create(panel=meeting.panel, partner=partner, role="chair")
    TrainingRecord.objects.create(
        partner=partner, course=Course.objects.get(name="Safeguarding"), completed_on="2026-03-01"
    )
    RecognitionFactory(
        partner=partner,
        title="Chaired the housing challenge panel",
        partner_words="Being listened to changed how I see the centre.",
    )


def test_the_statement_lists_hours_panels_training_and_recognition(
    client, partner, django_capture_on_commit_callbacks
):
    _involve(partner)
    _, text = _make(client, partner, "statement", django_capture_on_commit_callbacks)
    assert "Statement of involvement" in text
    assert "Pat Partner" in text
    assert "Hours given" in text and "2.5" in text
    assert "Housing challenge panel" in text and "Chair" in text
    assert "Safeguarding" in text
    assert "Chaired the housing challenge panel" in text


def test_the_certificate_leaves_out_their_words_without_consent_to_quotes(
    client, partner, django_capture_on_commit_callbacks
):
    _involve(partner)
    _, text = _make(client, partner, "certificate", django_capture_on_commit_callbacks)
    assert "Certificate of contribution" in text
    assert "Pat Partner" in text and "2.5 hours" in text
    assert "Being listened to" not in text


def test_the_certificate_quotes_them_when_they_agree_to_quotes(
    client, partner, django_capture_on_commit_callbacks
):
    _involve(partner)
    Consent.objects.create(partner=partner, statement=ConsentStatement.objects.get(topic="quotes", version=1))
    _, text = _make(client, partner, "certificate", django_capture_on_commit_callbacks)
    assert "Being listened to changed how I see the centre." in " ".join(text.split())


def test_another_partner_cannot_open_or_download_the_certificate(
    client, partner, other, django_capture_on_commit_callbacks
):
    report, _ = _make(client, partner, "certificate", django_capture_on_commit_callbacks)
    client.force_login(other.user)
    assert client.get(reverse("coprod:report_detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("coprod:report_download", args=[report.pk])).status_code == 404
