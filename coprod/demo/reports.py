"""Demo library documents and a finished governance report for last quarter, so a
trustee on a first run can open the dashboard and download a real PDF."""

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from coprod.governance import governance_report_request
from coprod.models import Report
from coprod.models import Resource
from coprod.models import ResourceTag
from coprod.pdf import render_pdf
from coprod.periods import previous_quarter
from coprod.reports import report_run

RESOURCES = [
    # title, kind, for partners, tags, text
    ("Panel member role description", Resource.Kind.ROLE_DESCRIPTION, True, ["Panels", "Induction"],
     "What a panel member does, how much time it takes, and how we pay you back."),
    ("Challenge panel terms of reference (template)", Resource.Kind.TERMS_OF_REFERENCE, False, ["Panels"],
     "A template for services setting up a challenge panel: purpose, membership, quorum, reporting."),
    ("Welcome pack for new partners", Resource.Kind.WELCOME_PACK, True, ["Induction"],
     "Who we are, who to call, how meetings work and how to claim money back."),
    ("How to claim money back", Resource.Kind.PAYMENT_FORM, True, ["Payments"],
     "Step by step: fees, bus fares and receipts, and when you will be paid."),
    ("Recruitment panel guide for managers", Resource.Kind.POLICY, False, ["Recruitment"],
     "How to involve lived-experience partners in shortlisting, task design and interviews."),
]


def _pdf(title: str, text: str) -> bytes:
    return render_pdf("reports/library_document.html", {"title": title, "text": text})


def seed_library() -> None:
    for title, kind, for_partners, tags, text in RESOURCES:
        resource, created = Resource.objects.get_or_create(
            title=title, defaults={"kind": kind, "for_partners": for_partners, "description": text})
        if created:
            resource.file.save(f"{resource.pk}-{kind}.pdf", ContentFile(_pdf(title, text)))
            resource.tags.set([ResourceTag.objects.get_or_create(name=name)[0] for name in tags])


DEMO_COMMENTARY = (
    "Attendance fell in August, when two panels met during the school holidays; panels now avoid "
    "them. The new evening drop-in came from the housing panel's feedback and opens in the spring.\n\n"
    "Thank you to every partner who gave their time this quarter."
)


def seed_governance_report() -> None:
    quarter = previous_quarter()
    if Report.objects.filter(kind=Report.Kind.GOVERNANCE, params__start=quarter.start.isoformat(),
                             status=Report.Status.DONE).exists():
        return
    trustee = get_user_model().objects.filter(email="trustee@example.org").first()
    report = governance_report_request(period=quarter, service=None, by=trustee, commentary=DEMO_COMMENTARY)
    report_run(report_id=report.pk)  # in the demo, render now rather than wait for a worker
