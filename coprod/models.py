"""The organisation itself and its services."""

from datetime import datetime
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The ladder's vocabulary (ladders, rungs, areas) is in its own module; its models belong here.
from .ladder_vocabulary import Area  # noqa: F401
from .ladder_vocabulary import Ladder  # noqa: F401
from .ladder_vocabulary import Rung  # noqa: F401
from .roles import can_see_sensitive_data
from .roles import is_partner
from .roles import is_staff_member
from .roles import is_trustee
from .roles import partner_for
from .roles import team_permission
from .welsh import welsh_column


def by_user(**kwargs) -> models.ForeignKey:
    """Who did something (created, recorded, uploaded it): emptied, not deleted, when their
    account goes, and with no reverse accessor on the user."""
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             **kwargs)


class NamedModel(models.Model):
    """A record known by its name (each declares its own `name` field): listed in name
    order and shown as its name."""

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """The one organisation this installation serves (a single row)."""

    name = models.CharField(max_length=200, default="Our organisation")
    description = models.TextField(blank=True)
    recruitment_involvement_target = models.DecimalField(
        "recruitment involvement target (%)", max_digits=5, decimal_places=2, default=Decimal("85"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of recruitment rounds a lived-experience partner should take part in."),
    )
    attendance_target = models.DecimalField(
        "meeting attendance target (%)", max_digits=5, decimal_places=2, default=Decimal("75"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of invited partners who attend the meetings they were invited to."),
    )
    feedback_on_time_target = models.DecimalField(
        "feedback answered on time target (%)", max_digits=5, decimal_places=2, default=Decimal("90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of challenge-panel points answered by the response deadline."),
    )
    days_to_pay_target = models.PositiveSmallIntegerField(
        "days to pay target", default=14, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Median days from a claim being submitted to it being paid."),
    )
    quarterly_report = models.BooleanField(
        "make the governance report every quarter", default=True,
        help_text=_("A worker makes last quarter's report automatically and e-mails the trustees."),
    )
    quarterly_report_day = models.PositiveSmallIntegerField(
        "day of the month after each quarter", default=7,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("For example 7: the report for January to March is made on 7 April."),
    )
    logo = models.ImageField(upload_to="organisation/", blank=True)
    address = models.TextField(
        "postal address", blank=True,
        help_text=_("Where partners send letters and receipts; shown on letters and reports."),
    )
    # Who signs partners' certificates and statements of involvement.
    signatory_name = models.CharField(
        "name of the person who signs certificates", max_length=120, blank=True,
        help_text=_("Printed on partners' certificates and statements of involvement, "
                    "for example Sam Patel."),
    )
    signatory_role = models.CharField(
        "their role", max_length=120, blank=True, help_text=_("For example Chief Executive."),
    )
    # Retention rules (coprod/retention.py), applied every night.
    retention_enabled = models.BooleanField(
        "apply the retention rules every night", default=True,
        help_text=_("Untick to pause them, for example while records must be kept for a complaint or an "
                  "investigation. The retention page still shows what they would remove."),
    )
    receipt_retention_years = models.PositiveSmallIntegerField(
        "keep receipts for (years)", default=6, validators=[MinValueValidator(3), MaxValueValidator(20)],
        help_text=_("Receipt files are removed this many years after the claim was paid, rejected or "
                  "cancelled; the claim and its amounts stay. Six years is the usual period for UK "
                  "financial records (HMRC, charities); no organisation may keep them under three."),
    )
    partner_retention_years = models.PositiveSmallIntegerField(
        "anonymise partners who left after (years)", default=6,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("A partner whose status has been “left” this long has their personal data erased, as "
                  "“Erase their personal data” does; what they were paid stays. Six years is as long as "
                  "their payments' records are kept and a claim about their time with us can be brought."),
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
        organisation, __ = cls.objects.get_or_create(pk=1)
        return organisation


class ServiceQuerySet(models.QuerySet):
    def with_champion(self):
        return self.select_related("champion")

    def visible_to(self, user) -> "ServiceQuerySet":
        """The services a person may open and change: staff, every one; anyone else, none."""
        return self if is_staff_member(user) else self.none()


class Service(NamedModel):
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
        help_text=_("The staff member who champions co-production in this service."),
    )

    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords()


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """The reports this person may open, decided by what each one contains. The one
        rule for the report list, page, download and retry, and wherever reports are listed:

        - a partner's data export with the sensitive fields: the partner, and staff holding
          the sensitive-data permission; without them: the partner and all staff;
        - a certificate or statement: its partner and staff;
        - a governance or ladder-round report: staff and trustees, unless it holds results
          not yet published beyond staff (`staff_only`, a ladder round still open).
        """
        if can_see_sensitive_data(user):  # staff allowed to see sensitive data: every report
            return self
        visible = models.Q(pk__in=[])
        if is_staff_member(user):
            visible |= models.Q(includes_sensitive_data=False)
        if is_trustee(user):
            visible |= models.Q(kind__in=Report.TRUSTEE_KINDS, includes_sensitive_data=False,
                                staff_only=False)
        partner = partner_for(user)
        if partner is not None:
            visible |= models.Q(kind__in=Report.PARTNER_KINDS, partner=partner)
        return self.filter(visible)

    def with_people(self) -> "ReportQuerySet":
        return self.select_related("requested_by", "partner")

    def stuck(self) -> "ReportQuerySet":
        """Reports "being prepared" for longer than a worker is allowed to take: the worker
        died or was stopped, so nothing will finish them."""
        return self.filter(status=Report.Status.RUNNING, started_at__lt=stuck_before())

    def waiting_to_be_sent(self, *, now: datetime, resend_after: timedelta) -> "ReportQuerySet":
        """Queued reports that no worker has: never handed to the queue (it was unreachable),
        or handed over `resend_after` ago and still not started (the message was lost)."""
        never_sent = models.Q(sent_at__isnull=True, requested_at__lt=now - Report.SEND_GRACE)
        long_ago = models.Q(sent_at__lt=now - resend_after)
        return self.filter(never_sent | long_ago, status=Report.Status.QUEUED)


def stuck_before() -> datetime:
    """A report started before this is past the workers' time limit, with a minute to spare."""
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def _report_upload_to(report: "Report", filename: str) -> str:
    return f"reports/{report.kind}/{report.pk}/{filename}"


COMMENTARY_MAX = 3000


class Report(models.Model):
    """A PDF rendered by a Celery worker: queued → running → done or failed.

    What each kind contains is decided by its renderer in `coprod/reports.py`;
    `params` holds what the renderer needs (a round id, a period...). Who may open it is
    decided by what it contains (`Report.objects.visible_to`), recorded when it is requested.
    """

    class Kind(models.TextChoices):
        GOVERNANCE = "governance", _("Governance report")
        LADDER_ROUND = "ladder_round", _("Ladder round report")
        CERTIFICATE = "certificate", _("Certificate of contribution")
        STATEMENT = "statement", _("Statement of involvement")
        DATA_EXPORT = "data_export", _("Everything we hold about a partner")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    TRUSTEE_KINDS = [Kind.GOVERNANCE, Kind.LADDER_ROUND]
    PARTNER_KINDS = [Kind.CERTIFICATE, Kind.STATEMENT, Kind.DATA_EXPORT]
    # The request is being handed to the queue: the sweep leaves a report this young alone.
    SEND_GRACE = timedelta(seconds=10)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    partner = models.ForeignKey(
        "participants.Partner", null=True, blank=True, on_delete=models.CASCADE,
        related_name="reports", help_text=_("Whose personal document this is, if anyone's."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Per cent done."))
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=_report_upload_to, blank=True)
    # What the content needs, decided when it is requested from who asked (see visible_to).
    includes_sensitive_data = models.BooleanField(
        "includes sensitive partner data", default=False,
        help_text=_("Access needs, lived experience or the benefit flag are in it: besides the partner "
                  "it is about, only staff allowed to see sensitive data may open it."),
    )
    commentary = models.TextField(
        blank=True, max_length=COMMENTARY_MAX,
        help_text=_("Staff's words for the readers, written when a governance report is asked for."),
    )
    staff_only = models.BooleanField(
        "only for staff", default=False,
        help_text=_("It holds results not yet published beyond staff (a ladder round still open)."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="requested_reports",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(
        null=True, blank=True,
        help_text=_("When it was last handed to the workers' queue; empty while the queue was unreachable."),
    )
    task_id = models.CharField(
        max_length=64, blank=True,
        help_text=_("The worker task rendering it, so a task delivered again after its worker died "
                    "carries on."),
    )
    stage = models.CharField(
        max_length=120, blank=True, help_text=_("What is being done now, in words, while it is being made."),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def is_stuck(self) -> bool:
        return (self.status == self.Status.RUNNING and self.started_at is not None
                and self.started_at < stuck_before())

    @property
    def can_be_retried(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stuck

    @property
    def is_waiting_for_queue(self) -> bool:
        """Asked for, but the workers' queue could not be reached yet."""
        return self.status == self.Status.QUEUED and self.sent_at is None


class ResourceTag(NamedModel):
    name = models.CharField(max_length=60, unique=True)


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ResourceQuerySet":
        if is_staff_member(user):
            return self
        if is_partner(user):
            return self.filter(for_partners=True)
        return self.none()

    def search(self, *, kind: str = "", tag: str = "", query: str = "") -> "ResourceQuerySet":
        """The library's list: of one kind, with one tag (its pk, as typed in the address) and
        whose title or description holds `query`; a value that is not one of these is ignored."""
        resources = self.select_related("service").prefetch_related("tags")
        if kind in Resource.Kind.values:
            resources = resources.filter(kind=kind)
        if tag.isdigit():
            resources = resources.filter(tags=tag)
        if query:
            resources = resources.filter(
                models.Q(title__icontains=query) | models.Q(description__icontains=query))
        return resources


def _resource_upload_to(resource: "Resource", filename: str) -> str:
    return f"library/{filename}"


class Resource(models.Model):
    """A shared document in the resource library (role descriptions, terms of
    reference, welcome packs...) so services stop reinventing them."""

    class Kind(models.TextChoices):
        ROLE_DESCRIPTION = "role_description", _("Role description")
        TERMS_OF_REFERENCE = "terms_of_reference", _("Terms of reference")
        WELCOME_PACK = "welcome_pack", _("Welcome pack")
        PAYMENT_FORM = "payment_form", _("Payment form")
        POLICY = "policy", _("Policy or guide")
        OTHER = "other", _("Other")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    description_cy = welsh_column()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    tags = models.ManyToManyField(ResourceTag, blank=True, related_name="resources")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="resources", help_text=_("Leave empty if it is for everyone."))
    file = models.FileField(upload_to=_resource_upload_to)
    for_partners = models.BooleanField("partners can see it", default=False)
    uploaded_by = by_user()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ResourceQuerySet.as_manager()
    WELSH_FIELDS = ("description",)
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
        GRANTED = "granted", _("Gave permission")
        REVOKED = "revoked", _("Took away permission")
        DEACTIVATED = "deactivated", _("Deactivated the login")
        REACTIVATED = "reactivated", _("Reactivated the login")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_changes")
    by = by_user(blank=True)
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
        permission = team_permission(self.permission)
        return f"{self.get_kind_display()}: {permission.label if permission else self.permission}"


class OutgoingEmailQuerySet(models.QuerySet):
    def due_again(self, *, before) -> "OutgoingEmailQuerySet":
        """Waiting to be sent, and should have been tried by `before`: its task was lost
        (the broker was down when it was queued, or a worker stopped)."""
        return self.filter(status=OutgoingEmail.Status.QUEUED, next_attempt_at__lte=before)

    def about(self, partner) -> "OutgoingEmailQuerySet":
        return self.filter(partner=partner).order_by("-created_at", "-pk")


class OutgoingEmail(models.Model):
    """One e-mail, saved in the transaction of the action that causes it and sent by a
    worker afterwards (`coprod.notify`). Usually to one address; a notice shared by a
    group (trustees, the staff who handle erasure) goes to them together."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")

    kind = models.CharField(max_length=60, help_text=_("Which notice this is, e.g. meeting_scheduled."))
    to = models.TextField(help_text=_("Addresses, one a line."))
    reply_to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True,
        help_text='Files sent with it: [{"filename", "mimetype", "encoding" (text or base64), "content"}].',
    )
    secret = models.BooleanField(
        default=False, help_text=_("Holds a sign-in code or a personal link: the body is removed once sent."),
    )
    partner = models.ForeignKey(
        "participants.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="emails",
        help_text=_("The partner it is to or about, if any."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="emails",
        help_text=_("The login it is to, if any."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(
        default=timezone.now, help_text=_("Not to be tried before this; the beat job re-queues it if it is "
                                        "still waiting some minutes after."),
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due")]

    def __str__(self) -> str:
        return self.subject

    @property
    def recipients(self) -> list[str]:
        return [address for address in self.to.splitlines() if address]


class RetentionRunQuerySet(models.QuerySet):
    def latest_first(self) -> "RetentionRunQuerySet":
        return self.select_related("by").order_by("-started_at", "-pk")


class RetentionRun(models.Model):
    """One application of the retention rules (coprod/retention.py): when, by whom (nobody:
    the nightly job), and what each rule removed. The audit record of what went."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        PAUSED = "paused", _("Nothing removed: the rules are paused")
        FAILED = "failed", _("Stopped by an error")

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    by = by_user(blank=True, help_text=_("Empty when the nightly job ran it."))
    applied_on = models.DateField(help_text=_("The day the rules were applied for."))
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
        return self.by.get_full_name() if self.by else gettext("The nightly job")

    @property
    def done(self) -> int:
        return sum(result.get("done", 0) for result in self.results)

    @property
    def failed(self) -> int:
        return sum(result.get("failed", 0) for result in self.results)


class NoticeQuerySet(models.QuerySet):
    def due_again(self, *, before) -> "NoticeQuerySet":
        """Texts and letters waiting to be sent that should have been tried by `before`."""
        return self.filter(status=Notice.Status.QUEUED, next_attempt_at__lte=before).exclude(
            channel__in=[Notice.Channel.EMAIL, Notice.Channel.PHONE])

    def for_log(self) -> "NoticeQuerySet":
        return self.select_related("email", "done_by").order_by("-created_at", "-pk")

    def to_call(self) -> "NoticeQuerySet":
        return self.filter(channel=Notice.Channel.PHONE, status=Notice.Status.TO_CALL)


class Notice(models.Model):
    """One reminder or notice to one person, on their channel (`coprod.notices`): an e-mail
    (sent through the outbox, `email`), a text message or a letter (GOV.UK Notify, or the
    console), or a phone call staff make from a call list. Kept as the log on the person's
    record: what, when, how, and whether it went."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        TEXT = "text", _("Text message")
        LETTER = "letter", _("Letter")
        PHONE = "phone", _("Phone call")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        TO_CALL = "to_call", _("To ring")
        CALLED = "called", _("Rung")

    kind = models.CharField(max_length=60, help_text=_("Which notice this is, e.g. meeting_reminder."))
    key = models.CharField(
        max_length=200, null=True, blank=True, unique=True,
        help_text=_("Set for notices that must go only once (a reminder per meeting, person and time)."),
    )
    topic = models.CharField(max_length=60, blank=True, db_index=True,
                             help_text=_("What it is about, e.g. meeting:12, for the meeting's call list."))
    channel = models.CharField(max_length=10, choices=Channel.choices)
    partner = models.ForeignKey(
        "participants.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="notices",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notices",
    )
    to = models.CharField(max_length=400, help_text=_("The address, phone number or postal address used."))
    subject = models.CharField(max_length=200)
    body = models.TextField()
    email = models.ForeignKey(OutgoingEmail, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="notices")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    done_by = by_user(blank=True, help_text=_("Who rang them, for a phone call."))

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notice_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.subject}"

    @property
    def outcome(self) -> str:
        """How it went, in words: an e-mail's own status once it is in the outbox."""
        if self.email_id and self.status == self.Status.QUEUED:
            return self.email.get_status_display()
        return self.get_status_display()

    @property
    def failed(self) -> bool:
        if self.email_id and self.status == self.Status.QUEUED:
            return self.email.status == OutgoingEmail.Status.FAILED
        return self.status == self.Status.FAILED

    @property
    def problem(self) -> str:
        if self.email_id and self.status == self.Status.QUEUED:
            return self.email.last_error
        return self.last_error


class SetupStep(models.Model):
    """What a person with the organisation-settings permission did with one step of the
    first-run checklist (`coprod/firstrun.py`): marked it done, or skipped it for now. A step
    with no row is still to do, unless what it asks for already exists."""

    class State(models.TextChoices):
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Skipped for now")

    key = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=10, choices=State.choices)
    marked_by = by_user(blank=True)
    marked_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.get_state_display()}"
