"""Permission-matrix rows for the core app's pages, and the records they need."""

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile

from coprod.models import Organisation
from coprod.models import Report
from coprod.models import Resource
from coprod.models import ResourceTag
from coprod.models import RetentionRun

from ..helpers import PNG
from ..participants.factories import StaffFactory
from ..permissions import EVERYONE
from ..permissions import FORBIDDEN
from ..permissions import LOGIN
from ..permissions import NOT_FOUND
from ..permissions import OK
from ..permissions import REDIRECT
from ..permissions import STAFF_AND_TRUSTEES
from ..permissions import STAFF_ONLY
from ..permissions import STAFF_POST
from ..permissions import Page

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
    # A report being made: its page polls for its status with htmx (the sweep runs it under the CSP).
    world.running_report = Report.objects.create(
        kind=Report.Kind.GOVERNANCE, title="Governance report being made", status=Report.Status.RUNNING,
        progress=50, stage="Drawing the charts and laying out the pages",
    )
    world.staff.user_permissions.add(Permission.objects.get(codename="change_organisation"),
                                     Permission.objects.get(codename="manage_team"))
    # The Team page's people: a colleague to manage, and a former member of staff.
    world.colleague = StaffFactory(email="colleague@example.test", full_name="Cal Colleague")
    world.colleague.user_permissions.add(Permission.objects.get(codename="approve_claim"))
    world.former_staff = StaffFactory(email="former@example.test", full_name="Fay Former", is_active=False)
    organisation = Organisation.current()
    organisation.logo.save("logo.png", ContentFile(PNG))
    world.welcome_pack = Resource.objects.create(
        title="Welcome pack for new partners", kind=Resource.Kind.WELCOME_PACK, for_partners=True,
        description="What to expect in your first three months.",
    )
    world.welcome_pack.file.save("welcome.pdf", ContentFile(b"%PDF-1.4 welcome"))
    world.welcome_pack.tags.add(ResourceTag.objects.create(name="Induction"))
    world.staff_guide = Resource.objects.create(
        title="Terms of reference template", kind=Resource.Kind.TERMS_OF_REFERENCE, for_partners=False,
    )
    world.staff_guide.file.save("terms.pdf", ContentFile(b"%PDF-1.4 terms"))
    _populate_retention(world)


def _populate_retention(world) -> None:
    """What the retention page lists: a partner who left seven years ago, an old receipt of a
    claim not agreed, and last night's run."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from participants.models import StatusChange
    from reciprocity.models import Claim
    from reciprocity.models import ClaimItem

    from ..participants.factories import PartnerFactory

    long_ago = timezone.now() - timedelta(days=7 * 366)
    world.long_gone = PartnerFactory(full_name="Lee Longgone", status="left")
    StatusChange.objects.create(partner=world.long_gone, from_status="active", to_status="left",
                                changed_at=long_ago)
    claim = Claim.objects.create(
        partner=world.long_gone, activity="Bus to the open day", activity_date=long_ago.date(),
        status="rejected", total=Decimal("4.50"), expenses_total=Decimal("4.50"),
        rejection_reason="Claimed twice.", decided_at=long_ago,
    )
    world.old_receipt = ClaimItem.objects.create(claim=claim, kind="travel", amount=Decimal("4.50"),
                                                 receipt_name="bus.jpg", receipt_type="image/jpeg")
    world.old_receipt.receipt.save("bus.jpg", ContentFile(PNG))
    world.retention_run = RetentionRun.objects.create(
        applied_on=timezone.localdate() - timedelta(days=1), status=RetentionRun.Status.DONE,
        finished_at=timezone.now() - timedelta(days=1),
        results=[
            {"rule": "receipts", "title": "Receipts", "verb": "removed", "done": 3, "failed": 0},
            {"rule": "partners", "title": "Partners who left", "verb": "anonymised", "done": 1, "failed": 0},
        ],
    )

STAFF_AND_PARTNERS = (LOGIN, OK, OK, FORBIDDEN, OK)


PAGES = [
    Page("coprod:report_detail", PARTNER_DOCUMENT, kwargs=lambda w: {"pk": w.certificate.pk}),
    Page("coprod:report_download", PARTNER_DOCUMENT, kwargs=lambda w: {"pk": w.certificate.pk}, sweep=False),
    Page("coprod:report_detail", ORGANISATION_REPORT, kwargs=lambda w: {"pk": w.failed_report.pk}),
    Page("coprod:report_detail", ORGANISATION_REPORT, kwargs=lambda w: {"pk": w.running_report.pk}),
    Page("coprod:report_retry", (LOGIN, NOT_FOUND, NOT_FOUND, REDIRECT, REDIRECT),
         kwargs=lambda w: {"pk": w.failed_report.pk}, method="post"),
    # Services and teams
    Page("coprod:service_list", STAFF_ONLY),
    Page("coprod:service_create", STAFF_ONLY),
    Page("coprod:service_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.service.pk}),
    Page("coprod:organisation_settings", STAFF_ONLY),
    Page("coprod:organisation_settings", STAFF_POST, method="post",
         data=lambda w: {"section": "retention", "retention-retention_enabled": "on",
                         "retention-receipt_retention_years": "7", "retention-partner_retention_years": "3"}),
    Page("coprod:retention", STAFF_ONLY),
    Page("coprod:setup_checklist", STAFF_ONLY),
    Page("coprod:setup_step", STAFF_POST, method="post",
         kwargs=lambda w: {"key": "services"}, data=lambda w: {"action": "skip"}),
    Page("coprod:organisation_logo", EVERYONE, sweep=False),
    # The team: staff permissions and logins (team managers only; world.staff is one)
    Page("coprod:team_list", STAFF_ONLY),
    Page("coprod:team_member", STAFF_ONLY, kwargs=lambda w: {"pk": w.colleague.pk}),
    Page("coprod:team_member", STAFF_ONLY, kwargs=lambda w: {"pk": w.trustee.pk}),
    Page("coprod:team_member", STAFF_ONLY, kwargs=lambda w: {"pk": w.former_staff.pk}),
    Page("coprod:team_member", (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND),
         kwargs=lambda w: {"pk": w.partner.user.pk}),
    Page("coprod:team_member", STAFF_POST,
         kwargs=lambda w: {"pk": w.colleague.pk}, method="post",
         data=lambda w: {"permissions": ["reciprocity.approve_claim", "reciprocity.pay_claim"]}),
    Page("coprod:team_deactivate", STAFF_ONLY, kwargs=lambda w: {"pk": w.colleague.pk}),
    Page("coprod:team_deactivate", STAFF_POST,
         kwargs=lambda w: {"pk": w.colleague.pk}, method="post"),
    Page("coprod:team_reactivate", STAFF_POST,
         kwargs=lambda w: {"pk": w.former_staff.pk}, method="post"),
    Page("coprod:resource_list", STAFF_AND_PARTNERS),
    Page("coprod:resource_download", STAFF_AND_PARTNERS, kwargs=lambda w: {"pk": w.welcome_pack.pk},
         sweep=False),
    Page("coprod:resource_download", (LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, OK),
         kwargs=lambda w: {"pk": w.staff_guide.pk}, sweep=False),
    Page("coprod:resource_create", STAFF_ONLY),
    Page("coprod:resource_edit", STAFF_ONLY, kwargs=lambda w: {"pk": w.staff_guide.pk}),
    Page("coprod:resource_delete", STAFF_POST,
         kwargs=lambda w: {"pk": w.staff_guide.pk}, method="post"),
    Page("coprod:report_list", STAFF_AND_TRUSTEES),
    Page("coprod:governance_report_request", (LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT),
         method="post", data=lambda w: {"period": "last_quarter"}),
]
