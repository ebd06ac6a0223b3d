"""Records the reciprocity tests build again and again: meetings attended, receipts,
funding, and claims moved through the workflow by the real services."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reciprocity import services
from reciprocity.models import ActivityType
from reciprocity.models import FundingSource

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(name: str = "ticket.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def pdf(name: str = "receipt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def install_default_rates() -> None:
    """The shipped rates, installed again if a browser test flushed the database."""
    from reciprocity.defaults import install_defaults
    from reciprocity.models import Rate
    from reciprocity.models import ReciprocitySettings

    install_defaults(ActivityType, Rate, ReciprocitySettings)


def hourly() -> ActivityType:
    """The default hourly involvement fee (£20 an hour, shipped as data)."""
    install_default_rates()
    return ActivityType.objects.get(name="Involvement (per hour)")


def give_finance_permissions(user, *codenames: str):
    """Grant approve_claim and pay_claim (or those named) and return a fresh user object."""
    codenames = codenames or ("approve_claim", "pay_claim")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="reciprocity", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)


def funding_source(**overrides) -> FundingSource:
    today = timezone.localdate()
    values = {
        "funder": "Community Fund",
        "grant": "Voices",
        "kind": "launch",
        "amount": Decimal("1000.00"),
        "starts_on": today - timedelta(days=400),
        "ends_on": today + timedelta(days=400),
    }
    values.update(overrides)
    return FundingSource.objects.create(**values)


def meeting_attended(partner, *, days_ago: int = 3, hours=Decimal("2.00"), panel_name: str = "Housing panel"):
    from panels.models import Attendance
    from panels.models import Meeting
    from panels.models import Panel

    panel, _ = Panel.objects.get_or_create(
        name=panel_name, defaults={"kind": "challenge", "purpose": "Reviews housing advice."}
    )
    start = timezone.now() - timedelta(days=days_ago)
    meeting = Meeting.objects.create(
        panel=panel, title=f"Meeting {days_ago} days ago", starts_at=start, ends_at=start + timedelta(hours=2)
    )
    Attendance.objects.create(meeting=meeting, partner=partner, status="attended", hours=hours)
    return meeting


def make_claim(
    partner,
    *,
    by=None,
    hours=Decimal("2"),
    travel=None,
    receipt=None,
    submit=True,
    days_ago: int = 5,
    activity: str = "Read the new leaflet and sent comments",
    fee: bool = True,
):
    """A claim for an activity (not a meeting): a fee of hours × £20 and optional travel."""
    costs = []
    if travel is not None:
        costs.append({"kind": "travel", "amount": travel, "description": "Bus", "receipt": receipt})
    return services.claim_create(
        partner=partner,
        by=by or partner.user,
        activity=activity,
        activity_date=timezone.localdate() - timedelta(days=days_ago),
        activity_type=hourly() if fee else None,
        hours=hours if fee else None,
        costs=costs,
        submit=submit,
    )


def approved_claim(partner, approver, **kwargs):
    claim = make_claim(partner, **kwargs)
    return services.claim_approve(claim=claim, by=approver)


def pay(claim, finance, source, *, method="bank_transfer", paid_on=None, **details):
    """Pay an approved claim from `source` today (or on `paid_on`); `details` are what the
    method needs (`reference=`, `vouchers="Love2shop|10.00"`, `charity=` …)."""
    return services.claim_pay(claim=claim, by=finance, method=method, paid_on=paid_on or timezone.localdate(),
                              funding_source=source, **details)


def paid_claim(partner, finance, source, *, paid_on=None, method="bank_transfer", **kwargs):
    claim = approved_claim(partner, finance, **kwargs)
    pay(claim, finance, source, method=method, paid_on=paid_on, reference="BACS-1")
    claim.refresh_from_db()
    return claim
