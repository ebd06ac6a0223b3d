"""The organisation itself and its services."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    """The one organisation this installation serves (a single row)."""

    name = models.CharField(max_length=200, default="Our organisation")
    description = models.TextField(blank=True)
    recruitment_involvement_target = models.DecimalField(
        "recruitment involvement target (%)", max_digits=5, decimal_places=2, default=Decimal("85"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of recruitment rounds a lived-experience partner should take part in.",
    )
    attendance_target = models.DecimalField(
        "meeting attendance target (%)", max_digits=5, decimal_places=2, default=Decimal("75"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of invited partners who attend the meetings they were invited to.",
    )
    feedback_on_time_target = models.DecimalField(
        "feedback answered on time target (%)", max_digits=5, decimal_places=2, default=Decimal("90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of challenge-panel points answered by the response deadline.",
    )
    days_to_pay_target = models.PositiveSmallIntegerField(
        "days to pay target", default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Median days from a claim being submitted to it being paid.",
    )
    quarterly_report = models.BooleanField(
        "make the governance report every quarter", default=True,
        help_text="A worker makes last quarter's report automatically and e-mails the trustees.",
    )
    quarterly_report_day = models.PositiveSmallIntegerField(
        "day of the month after each quarter", default=7,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="For example 7: the report for January to March is made on 7 April.",
    )
    logo = models.ImageField(upload_to="organisation/", blank=True)
    # Retention rules (coprod/retention.py), applied every night.
    retention_enabled = models.BooleanField(
        "apply the retention rules every night", default=True,
        help_text="Untick to pause them, for example while records must be kept for a complaint or an "
                  "investigation. The retention page still shows what they would remove.",
    )
    receipt_retention_years = models.PositiveSmallIntegerField(
        "keep receipts for (years)", default=6, validators=[MinValueValidator(3), MaxValueValidator(20)],
        help_text="Receipt files are removed this many years after the claim was paid, rejected or "
                  "cancelled; the claim and its amounts stay. Six years is the usual period for UK "
                  "financial records (HMRC, charities); no organisation may keep them under three.",
    )
    partner_retention_years = models.PositiveSmallIntegerField(
        "anonymise partners who left after (years)", default=6,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="A partner whose status has been “left” this long has their personal data erased, as "
                  "“Erase their personal data” does; what they were paid stays. Six years is as long as "
                  "their payments' records are kept and a claim about their time with us can be brought.",
    )

    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("manage_team", "Can manage the team: give staff permissions, deactivate and reactivate logins"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Organisation":
        organisation, _ = cls.objects.get_or_create(pk=1)
        return organisation


class ServiceQuerySet(models.QuerySet):
    def with_champion(self):
        return self.select_related("champion")


class Service(models.Model):
    """A service or team of the organisation, with its co-production champion."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    champion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="championed_services",
        limit_choices_to={"is_staff_member": True},
        help_text="The staff member who champions co-production in this service.",
    )

    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """The reports this person may open: staff all; trustees the organisational
        ones; a partner only their own personal documents."""
        from .roles import is_staff_member, is_trustee, partner_for

        if is_staff_member(user):
            return self
        visible = models.Q(pk__in=[])
        if is_trustee(user):
            visible |= models.Q(kind__in=Report.TRUSTEE_KINDS)
        partner = partner_for(user)
        if partner is not None:
            visible |= models.Q(kind__in=Report.PARTNER_KINDS, partner=partner)
        return self.filter(visible)

    def with_people(self) -> "ReportQuerySet":
        return self.select_related("requested_by", "partner")


def _report_upload_to(report: "Report", filename: str) -> str:
    return f"reports/{report.kind}/{report.pk}/{filename}"


class Report(models.Model):
    """A PDF rendered by a Celery worker: queued → running → done or failed.

    What each kind contains is decided by its renderer in `coprod/reports.py`;
    `params` holds what the renderer needs (a round id, a period...).
    """

    class Kind(models.TextChoices):
        GOVERNANCE = "governance", "Governance report"
        LADDER_ROUND = "ladder_round", "Ladder round report"
        CERTIFICATE = "certificate", "Certificate of contribution"
        STATEMENT = "statement", "Statement of involvement"
        DATA_EXPORT = "data_export", "Everything we hold about a partner"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    TRUSTEE_KINDS = [Kind.GOVERNANCE, Kind.LADDER_ROUND]
    PARTNER_KINDS = [Kind.CERTIFICATE, Kind.STATEMENT, Kind.DATA_EXPORT]

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    partner = models.ForeignKey(
        "participants.Partner", null=True, blank=True, on_delete=models.CASCADE,
        related_name="reports", help_text="Whose personal document this is, if anyone's.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=_report_upload_to, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="requested_reports",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class ResourceTag(models.Model):
    name = models.CharField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResourceQuerySet":
        from .roles import is_partner, is_staff_member

        if is_staff_member(user):
            return self
        if is_partner(user):
            return self.filter(for_partners=True)
        return self.none()


def _resource_upload_to(resource: "Resource", filename: str) -> str:
    return f"library/{filename}"


class Resource(models.Model):
    """A shared document in the resource library (role descriptions, terms of
    reference, welcome packs...) so services stop reinventing them."""

    class Kind(models.TextChoices):
        ROLE_DESCRIPTION = "role_description", "Role description"
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
        WELCOME_PACK = "welcome_pack", "Welcome pack"
        PAYMENT_FORM = "payment_form", "Payment form"
        POLICY = "policy", "Policy or guide"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    tags = models.ManyToManyField(ResourceTag, blank=True, related_name="resources")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="resources", help_text="Leave empty if it is for everyone.")
    file = models.FileField(upload_to=_resource_upload_to)
    for_partners = models.BooleanField("partners can see it", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ResourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class TeamChangeQuerySet(models.QuerySet):
    def for_page(self) -> "TeamChangeQuerySet":
        return self.select_related("by")


class TeamChange(models.Model):
    """A change to a staff or trustee login made on the Team page: a permission given or
    taken away, or the login deactivated or reactivated. django-simple-history does not
    record permissions (a many-to-many of the user), nor is the user model historical,
    so each change is written here by the service that makes it."""

    class Kind(models.TextChoices):
        GRANTED = "granted", "Gave permission"
        REVOKED = "revoked", "Took away permission"
        DEACTIVATED = "deactivated", "Deactivated the login"
        REACTIVATED = "reactivated", "Reactivated the login"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_changes")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    permission = models.CharField(max_length=150, blank=True, help_text='"app_label.codename"')

    objects = TeamChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user}: {self.what}"

    @property
    def what(self) -> str:
        """In plain words, e.g. "Gave permission: Approve or reject claims"."""
        if not self.permission:
            return self.get_kind_display()
        from .roles import team_permission

        permission = team_permission(self.permission)
        return f"{self.get_kind_display()}: {permission.label if permission else self.permission}"


class RetentionRunQuerySet(models.QuerySet):
    def latest_first(self) -> "RetentionRunQuerySet":
        return self.select_related("by").order_by("-started_at", "-pk")


class RetentionRun(models.Model):
    """One application of the retention rules (coprod/retention.py): when, by whom (nobody:
    the nightly job), and what each rule removed. The audit record of what went."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        PAUSED = "paused", "Nothing removed: the rules are paused"
        FAILED = "failed", "Stopped by an error"

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+", help_text="Empty when the nightly job ran it.")
    applied_on = models.DateField(help_text="The day the rules were applied for.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    results = models.JSONField(
        default=list, blank=True,
        help_text='Per rule: {"rule", "title", "limit", "done", "failed"}.',
    )
    error = models.TextField(blank=True)

    objects = RetentionRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Retention run of {self.started_at:%d %b %Y %H:%M}"

    @property
    def who(self) -> str:
        return self.by.get_full_name() if self.by else "The nightly job"

    @property
    def done(self) -> int:
        return sum(result.get("done", 0) for result in self.results)

    @property
    def failed(self) -> int:
        return sum(result.get("failed", 0) for result in self.results)
