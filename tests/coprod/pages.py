"""Permission-matrix rows for the core app's pages, and the records they need."""

from django.core.files.base import ContentFile

from coprod.models import Report

from ..permissions import LOGIN, NOT_FOUND, OK, REDIRECT, Page

# A partner's own document: theirs and staff's only.
PARTNER_DOCUMENT = (LOGIN, OK, NOT_FOUND, NOT_FOUND, OK)
# An organisational report: staff and trustees.
ORGANISATION_REPORT = (LOGIN, NOT_FOUND, NOT_FOUND, OK, OK)


def populate(world) -> None:
    world.certificate = Report.objects.create(
        kind=Report.Kind.CERTIFICATE, title="Certificate of contribution", partner=world.partner,
        status=Report.Status.DONE, progress=100,
    )
    world.certificate.file.save("certificate.pdf", ContentFile(b"%PDF-1.4 test"))
    world.failed_report = Report.objects.create(
        kind=Report.Kind.GOVERNANCE, title="Governance report", status=Report.Status.FAILED,
        error="RuntimeError: the chart could not be drawn",
    )


PAGES = [
    Page("coprod:report_detail", PARTNER_DOCUMENT, kwargs=lambda w: {"pk": w.certificate.pk}),
    Page("coprod:report_download", PARTNER_DOCUMENT, kwargs=lambda w: {"pk": w.certificate.pk}, sweep=False),
    Page("coprod:report_detail", ORGANISATION_REPORT, kwargs=lambda w: {"pk": w.failed_report.pk}),
    Page("coprod:report_retry", (LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT, REDIRECT),
         kwargs=lambda w: {"pk": w.failed_report.pk}, method="post"),
]
