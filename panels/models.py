"""Panels, meetings and attendance; proposals put to challenge panels with
"you said, we did"; the decision log; protected staff time; recruitment rounds."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.db.models import Exists
from django.db.models import ExpressionWrapper
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.keeping import KeptRecord
from coprod.kpis import percent
from coprod.models import by_user
from coprod.roles import is_staff_member
from coprod.roles import is_trustee
from coprod.roles import partner_for
from coprod.welsh import welsh_column
from participants.models import Partner


def _person_constraint(name: str) -> models.CheckConstraint:
    """Exactly one of partner and (staff) user."""
    return models.CheckConstraint(
        condition=Q(partner__isnull=False, user__isnull=True) | Q(partner__isnull=True, user__isnull=False),
        name=name,
    )


def _for_staff_or_partner(queryset, user, for_partner):
    """Everything for staff; for a partner what `for_partner(partner)` gives; else nothing."""
    if is_staff_member(user):
        return queryset
    partner = partner_for(user)
    return for_partner(partner) if partner is not None else queryset.none()


class PanelQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PanelQuerySet":
        """Staff see every panel, a partner the panels they belong to now; anyone else none."""
        return _for_staff_or_partner(self, user, self.for_partner)

    def running(self, on=None) -> "PanelQuerySet":
        on = on or timezone.localdate()
        return self.filter(status=Panel.Status.ACTIVE, starts_on__lte=on).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=on)
        )

    def for_partner(self, partner) -> "PanelQuerySet":
        """Panels the partner belongs to now."""
        return self.filter(
            Exists(Membership.objects.current().filter(panel=OuterRef("pk"), partner=partner))
        )

    def past_end_date(self, on=None) -> "PanelQuerySet":
        on = on or timezone.localdate()
        return self.exclude(status=Panel.Status.CLOSED).filter(ends_on__lt=on)

    def for_list(self) -> "PanelQuerySet":
        """With service and area, `member_count` (current members) and `next_meeting_at`
        (the next scheduled meeting): a fixed number of queries however many panels."""
        members = (
            Membership.objects.current().filter(panel=OuterRef("pk")).order_by()
            .values("panel").annotate(n=Count("pk")).values("n")
        )
        next_meeting = (
            Meeting.objects.filter(panel=OuterRef("pk"), status=Meeting.Status.SCHEDULED,
                                   starts_at__gte=timezone.now())
            .order_by("starts_at").values("starts_at")[:1]
        )
        return self.select_related("service", "area").annotate(
            member_count=Coalesce(Subquery(members), 0), next_meeting_at=Subquery(next_meeting),
        )


class Panel(models.Model):
    class Kind(models.TextChoices):
        ADVISORY = "advisory", _("Advisory panel")
        CHALLENGE = "challenge", _("Challenge panel")
        RECRUITMENT = "recruitment", _("Recruitment panel")
        WORKING_GROUP = "working_group", _("Working group")
        FORUM = "forum", _("Forum")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Running")
        CLOSED = "closed", _("Closed")

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    purpose = models.TextField(help_text=_("Why the panel exists, in a sentence or two."))
    purpose_cy = welsh_column()
    terms_of_reference = models.TextField(blank=True)
    area = models.ForeignKey("coprod.Area", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="panels", verbose_name=_("co-production area"))
    service = models.ForeignKey("coprod.Service", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="panels")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True,
                               help_text=_("For a time-limited panel: it closes itself after this date."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = by_user()

    objects = PanelQuerySet.as_manager()
    WELSH_FIELDS = ("purpose",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="panel_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> "MembershipQuerySet":
        on = on or timezone.localdate()
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class Membership(models.Model):
    """A partner or a staff member on a panel, in a role, from joining until leaving."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-chair")
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    partner = models.ForeignKey("participants.Partner", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="memberships", help_text=_("A staff member."))
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["panel", "role", "pk"]
        constraints = [
            _person_constraint("membership_of_a_partner_or_a_staff_member"),
            models.UniqueConstraint(fields=["panel", "partner"], condition=Q(left_on__isnull=True),
                                    name="one_open_membership_per_partner"),
            models.UniqueConstraint(fields=["panel", "user"], condition=Q(left_on__isnull=True),
                                    name="one_open_membership_per_staff_member"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.panel})"

    @property
    def person(self):
        return self.partner or self.user


def _count_per_meeting(rows: models.QuerySet) -> Coalesce:
    """How many of `rows` belong to the outer query's meeting, as a subquery."""
    counted = (rows.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk"))
               .values("n"))
    return Coalesce(Subquery(counted), 0)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        """Staff see every meeting; a partner the meetings of their panels and any they were
        invited to; anyone else none. Papers follow their meeting."""
        return _for_staff_or_partner(self, user, self.visible_to_partner)

    def upcoming(self) -> "MeetingQuerySet":
        return self.filter(starts_at__gte=timezone.now(), status=Meeting.Status.SCHEDULED)

    def held(self) -> "MeetingQuerySet":
        return self.filter(ends_at__lt=timezone.now(), status=Meeting.Status.SCHEDULED)

    def visible_to_partner(self, partner) -> "MeetingQuerySet":
        """Meetings of the partner's panels, and any they were invited to. Two subqueries, each
        answered from the partner's own rows, not a join with every register line."""
        return self.filter(
            Q(panel__in=Panel.objects.for_partner(partner))
            | Q(pk__in=Attendance.objects.filter(partner=partner).values("meeting"))
        )

    def not_over(self) -> "MeetingQuerySet":
        """Meetings still to come or under way (cancelled ones included)."""
        return self.filter(ends_at__gte=timezone.now())

    def over(self) -> "MeetingQuerySet":
        return self.filter(ends_at__lt=timezone.now())

    def for_list(self) -> "MeetingQuerySet":
        """With the panel and the register's counts: `invited_count`, `confirmed_count`,
        `attended_count`, and `paper_count`."""
        # Counted per meeting in subqueries, so a page of 25 meetings counts 25 registers, not all.
        return self.select_related("panel").annotate(
            invited_count=_count_per_meeting(Attendance.objects.all()),
            confirmed_count=_count_per_meeting(Attendance.objects.filter(status=Attendance.Status.CONFIRMED)),
            attended_count=_count_per_meeting(Attendance.objects.filter(status=Attendance.Status.ATTENDED)),
            paper_count=_count_per_meeting(MeetingPaper.objects.all()),
        )

    def with_answer_of(self, partner) -> "MeetingQuerySet":
        """Annotate the partner's own register line: `my_status` and `my_hours` (None when
        they are not on the register)."""
        line = Attendance.objects.filter(meeting=OuterRef("pk"), partner=partner)
        return self.annotate(my_status=Subquery(line.values("status")[:1]),
                             my_hours=Subquery(line.values("hours")[:1]))


class Meeting(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid (in person and online)")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=150)
    title_cy = welsh_column(max_length=150)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.TextField(blank=True, help_text=_("Address and room."))
    access_information = models.TextField(
        blank=True,
        help_text=_("Step-free route, hearing loop, quiet room, nearest accessible toilet, parking."),
    )
    access_information_cy = welsh_column()
    online_joining = models.TextField(_("how to join online"), blank=True)
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    cancel_reason = models.CharField(
        _("why it was called off"), max_length=300, blank=True,
        help_text=_("Required when a meeting that should have happened is recorded as not taking place."),
    )
    created_by = by_user()

    objects = MeetingQuerySet.as_manager()
    WELSH_FIELDS = ("title", "access_information")
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["starts_at", "id"], name="meeting_by_start"),
            models.Index(fields=["ends_at"], name="meeting_by_end"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                   name="meeting_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({date_format(self.starts_at, 'd M Y')})"

    @property
    def duration_hours(self):
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)).quantize(
            Decimal("0.01"))


def _paper_upload_to(paper: "MeetingPaper", filename: str) -> str:
    return f"papers/{paper.meeting_id}/{filename}"


class MeetingPaper(models.Model):
    """A paper for a meeting. Stored privately: served only to members and staff."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=150)
    file = models.FileField(upload_to=_paper_upload_to)
    uploaded_by = by_user()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class AttendanceQuerySet(models.QuerySet):
    def of_partners(self) -> "AttendanceQuerySet":
        return self.filter(partner__isnull=False)

    def for_register(self) -> "AttendanceQuerySet":
        """A meeting's register, partners by name then staff, with `has_access_needs`
        (whether anything is recorded, without saying what). Views allowed to show the
        needs themselves prefetch `partner__access_needs`."""
        needs = Partner.access_needs.through.objects.filter(partner=OuterRef("partner"))
        return (
            self.select_related("partner", "user", "updated_by")
            .annotate(has_access_needs=Exists(needs) | Q(partner__interpreter_language__gt="")
                      | Q(partner__access_notes__gt=""))
            .order_by(models.F("partner__full_name").asc(nulls_last=True), "user__full_name", "pk")
        )


class Attendance(models.Model):
    """One person on one meeting's register."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        ATTENDED = "attended", _("Attended")
        APOLOGIES = "apologies", _("Sent apologies")
        NO_SHOW = "no_show", _("Did not come")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    partner = models.ForeignKey("participants.Partner", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="attendance")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True,
                                help_text=_("Hours contributed, including preparation if agreed."))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name_plural = _("attendance")
        constraints = [
            _person_constraint("attendance_of_a_partner_or_a_staff_member"),
            models.UniqueConstraint(fields=["meeting", "partner"], name="one_register_line_per_partner"),
            models.UniqueConstraint(fields=["meeting", "user"], name="one_register_line_per_staff_member"),
        ]

    def __str__(self) -> str:
        return f"{self.partner or self.user} at {self.meeting}: {self.get_status_display()}"


def _proposal_upload_to(proposal: "Proposal", filename: str) -> str:
    return f"proposals/{proposal.pk or 'new'}/{filename}"


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProposalQuerySet":
        """Staff see every proposal; a partner those sent to a panel they belong to now."""
        return _for_staff_or_partner(self, user, self.visible_to_partner)

    def for_list(self) -> "ProposalQuerySet":
        """With panel and owner, and `point_count` / `unanswered_count` counted in the database."""
        return self.select_related("panel", "owner").annotate(
            point_count=Count("points", distinct=True),
            unanswered_count=Count("points", filter=Q(points__response__isnull=True), distinct=True),
        ).order_by("-created_at", "-pk")

    def visible_to_partner(self, partner) -> "ProposalQuerySet":
        """Proposals sent to a panel the partner belongs to now (drafts stay with staff)."""
        return self.exclude(status=Proposal.Status.DRAFT).filter(panel__in=Panel.objects.for_partner(partner))

    def open_for_points(self) -> "ProposalQuerySet":
        return self.filter(status=Proposal.Status.WITH_PANEL)


class Proposal(KeptRecord):
    """A draft put to a challenge panel for feedback. Once a point has an answer the
    proposal is part of the record ("you said, we did") and is kept."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        WITH_PANEL = "with_panel", _("With the panel")
        RESPONDED = "responded", _("Every point answered")

    title = models.CharField(max_length=200)
    summary = models.TextField()
    document = models.FileField(upload_to=_proposal_upload_to, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals",
                              help_text=_("The staff member answerable for the response."))
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="proposals",
                              limit_choices_to={"kind": Panel.Kind.CHALLENGE})
    response_deadline = models.DateField(help_text=_("By when every feedback point gets an answer."))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = by_user()

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def kept_because(self) -> str:
        if FeedbackResponse.objects.filter(point__proposal=self).exists():
            return gettext("The panel's points on this proposal have been answered: “you said, we did” is "
                           "kept for good, so the proposal is never deleted.")
        return ""


class FeedbackPointQuerySet(models.QuerySet):
    def answered_quotable(self, partners) -> "FeedbackPointQuerySet":
        """"You said, we did": answered points raised by `partners` (those whose consent to
        quotes is in force), latest answer first. Never shown with a name."""
        return (self.select_related("response", "proposal__panel")
                .filter(response__isnull=False, raised_by__in=partners)
                .order_by("-response__responded_at", "-pk"))

    def unanswered(self) -> "FeedbackPointQuerySet":
        return self.filter(response__isnull=True)

    def overdue(self, on=None) -> "FeedbackPointQuerySet":
        on = on or timezone.localdate()
        return self.unanswered().filter(proposal__response_deadline__lt=on)

    def awaiting_answer(self, on=None) -> "FeedbackPointQuerySet":
        """Unanswered points of proposals that are with their panel, earliest deadline
        first, with `overdue` (the response deadline has passed)."""
        on = on or timezone.localdate()
        return (self.unanswered().exclude(proposal__status=Proposal.Status.DRAFT)
                .select_related("proposal__panel", "raised_by")
                .annotate(overdue=ExpressionWrapper(Q(proposal__response_deadline__lt=on),
                                                    output_field=models.BooleanField()))
                .order_by("proposal__response_deadline", "recorded_at", "pk"))

    def with_response(self) -> "FeedbackPointQuerySet":
        return self.select_related("raised_by", "recorded_by", "response", "response__responded_by")

    def raised_by_partner(self, partner) -> "FeedbackPointQuerySet":
        """"You said, we did": the points this partner made, with the organisation's answers."""
        return (self.filter(raised_by=partner).exclude(proposal__status=Proposal.Status.DRAFT)
                .select_related("proposal__panel", "response")
                .order_by("-recorded_at", "-pk"))


class FeedbackPoint(KeptRecord):
    """One point the panel made about a proposal ("you said"). Kept once answered."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="points")
    text = models.TextField()
    raised_by = models.ForeignKey("participants.Partner", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="feedback_points",
                                  help_text=_("The partner who made the point, if it was a partner."))
    recorded_by = by_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = FeedbackPointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def kept_because(self) -> str:
        if FeedbackResponse.objects.filter(point=self).exists():
            return gettext("This point has been answered: a point and its answer are never deleted.")
        return ""


class FeedbackResponse(KeptRecord):
    """The organisation's answer to one point ("we did"). Never deleted: change it instead."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        DECLINED = "declined", _("Declined")

    point = models.OneToOneField(FeedbackPoint, on_delete=models.PROTECT, related_name="response")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    response = models.TextField(help_text=_("What we did, or will do."))
    reason = models.TextField(blank=True,
                              help_text=_("Required when a point is declined or partly accepted."))
    due_on = models.DateField(null=True, blank=True, help_text=_("When the change will be made."))
    responded_by = by_user()
    responded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.point}"

    def kept_because(self) -> str:
        return gettext("An answer to a panel's point is never deleted: the partner who made the point was "
                       "told it. Change the answer instead; the earlier one stays in its history.")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DecisionQuerySet":
        """Staff and trustees see the decision log (it holds no personal data); anyone else none."""
        return self if is_staff_member(user) or is_trustee(user) else self.none()

    def in_log(self) -> "DecisionQuerySet":
        """Decisions in the log: not archived. Figures and reports count only these."""
        return self.filter(archived_at__isnull=True)

    def archived(self) -> "DecisionQuerySet":
        return self.filter(archived_at__isnull=False)

    def shaped_by_lived_experience(self) -> "DecisionQuerySet":
        return self.filter(Q(shaped_by_panel__isnull=False) | Q(shaped_by_proposal__isnull=False))

    def for_list(self) -> "DecisionQuerySet":
        return self.select_related("service", "rung", "shaped_by_panel", "shaped_by_proposal")


class Decision(KeptRecord):
    """A significant decision, and how lived experience shaped it: "make the co visible".

    Never deleted: a decision logged by mistake is archived with a reason, which takes it
    out of the log, the dashboard and reports and keeps who archived it, when and why."""

    class DecidedBy(models.TextChoices):
        BOARD = "board", _("Board of trustees")
        LEADERSHIP = "leadership", _("Leadership team")
        SERVICE = "service", _("Service")
        PANEL = "panel", _("Panel")

    class Implementation(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    decided_on = models.DateField()
    decided_by = models.CharField(max_length=12, choices=DecidedBy.choices)
    service = models.ForeignKey("coprod.Service", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="decisions")
    rung = models.ForeignKey("coprod.Rung", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="decisions", verbose_name=_("ladder rung reached"))
    # What shaped a decision is its history: a panel or proposal named here stays.
    shaped_by_panel = models.ForeignKey(Panel, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="decisions")
    shaped_by_proposal = models.ForeignKey(Proposal, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="decisions")
    how_shaped = models.TextField(_("how lived experience shaped it"), blank=True)
    implementation = models.CharField(_("implementation status"), max_length=12,
                                      choices=Implementation.choices, default=Implementation.PLANNED)
    is_public = models.BooleanField(_("public"), default=False,
                                    help_text=_("Public decisions may appear in published reports."))
    recorded_by = by_user()
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    archive_reason = models.CharField(_("why it was archived"), max_length=500, blank=True)

    objects = DecisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["-decided_on", "-id"], name="decision_newest_first")]
        constraints = [
            models.CheckConstraint(condition=Q(archived_at__isnull=True) | ~Q(archive_reason=""),
                                   name="decision_archive_has_a_reason"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def kept_because(self) -> str:
        return gettext("A logged decision is never deleted: it is part of the organisation's history. "
                       "Archive it with a reason instead (for one logged by mistake or twice).")


class StaffTimeQuerySet(models.QuerySet):
    def for_list(self) -> "StaffTimeQuerySet":
        return self.select_related("user", "panel", "meeting")

    def between(self, start, end) -> "StaffTimeQuerySet":
        return self.filter(spent_on__gte=start, spent_on__lte=end)

    def totals_by_panel(self):
        """One row per panel: `panel__name`, `hours`, `entries`, largest first."""
        return (self.order_by().values("panel", "panel__name")
                .annotate(hours=Sum("hours"), entries=Count("pk")).order_by("-hours", "panel__name"))

    def totals_by_category(self):
        """One row per category: `category`, `hours`, `entries`."""
        return (self.order_by().values("category")
                .annotate(hours=Sum("hours"), entries=Count("pk")).order_by("category"))


class StaffTime(models.Model):
    """Protected staff time spent on co-production beyond the meetings themselves."""

    class Category(models.TextChoices):
        RELATIONSHIPS = "relationships", _("Relationship building")
        PREPARATION = "preparation", _("Preparation")
        DEBRIEFING = "debriefing", _("Debriefing")
        COMMUNICATION = "communication", _("Ongoing communication")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_time")
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="staff_time")
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="staff_time")
    category = models.CharField(max_length=16, choices=Category.choices)
    spent_on = models.DateField(default=timezone.localdate)
    hours = models.DecimalField(max_digits=5, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)

    objects = StaffTimeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name_plural = "staff time"

    def __str__(self) -> str:
        return f"{self.user}: {self.hours}h {self.get_category_display()}"


class RecruitmentRoundQuerySet(models.QuerySet):
    def with_involvement(self) -> "RecruitmentRoundQuerySet":
        """Annotate `involved`: a lived-experience partner took part in at least one
        stage that went ahead (not cancelled)."""
        return self.annotate(involved=Exists(
            StageParticipant.objects.filter(stage__round=OuterRef("pk"), stage__cancelled=False,
                                            partner__isnull=False)
        ))

    def for_list(self) -> "RecruitmentRoundQuerySet":
        """With service, `involved`, and `stage_count` / `partner_count` (partners on stages
        that went ahead) counted in the database."""
        return self.select_related("service").with_involvement().annotate(
            stage_count=Count("stages", filter=Q(stages__cancelled=False), distinct=True),
            partner_count=Count("stages__participants__partner",
                                filter=Q(stages__cancelled=False), distinct=True),
        ).order_by("-closes_on", "-pk")

    def in_last_twelve_months(self, on=None) -> "RecruitmentRoundQuerySet":
        on = on or timezone.localdate()
        return self.filter(closes_on__gt=on - timedelta(days=365), closes_on__lte=on)

    def involvement_by_service(self, *, on=None) -> dict:
        """The rolling-12-month involvement rate: of the recruitment rounds that closed in the
        365 days up to and including `on` (default today), how many were *involved* — a
        lived-experience partner took part in at least one stage that went ahead. Answers, per
        service id, (involved, total, rate in per cent to one decimal place). One grouped query.
        The one home of the rate: the recruitment page, the dashboard and the services table
        all read it from here."""
        # The aggregate's name must differ from the `involved` annotation it filters on.
        rows = (self.in_last_twelve_months(on).with_involvement().order_by()
                .values("service")
                .annotate(total=Count("pk"), involved_rounds=Count("pk", filter=Q(involved=True))))
        return {row["service"]: (involved, total, percent(involved, total))
                for row in rows for involved, total in [(row["involved_rounds"], row["total"])]}

    def involvement(self, *, on=None, service=None) -> tuple[int, int, Decimal | None]:
        """The involvement rate (see `involvement_by_service`) of one service, or of the whole
        organisation: (involved, total, rate); the rate is None when no round closed in that
        time."""
        by_service = self.involvement_by_service(on=on)
        if service is not None:
            return by_service.get(service.pk, (0, 0, None))
        involved = sum(counts[0] for counts in by_service.values())
        total = sum(counts[1] for counts in by_service.values())
        return involved, total, percent(involved, total)


class RecruitmentRound(models.Model):
    post_title = models.CharField(max_length=150)
    service = models.ForeignKey("coprod.Service", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="recruitment_rounds")
    opens_on = models.DateField()
    closes_on = models.DateField(help_text=_("When the appointment was made or the round ended."))
    notes = models.TextField(blank=True)
    created_by = by_user()

    objects = RecruitmentRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-closes_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                   name="recruitment_closes_after_it_opens"),
        ]

    def __str__(self) -> str:
        return self.post_title


class RecruitmentStage(models.Model):
    class Kind(models.TextChoices):
        SHORTLISTING = "shortlisting", _("Shortlisting")
        TASK_DESIGN = "task_design", _("Task design")
        INTERVIEW = "interview", _("Interview")
        PARTNER_PANEL = "partner_panel", _("Separate partner panel")

    round = models.ForeignKey(RecruitmentRound, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    held_on = models.DateField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "kind"], name="one_stage_of_each_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.round}"


class StageParticipant(models.Model):
    stage = models.ForeignKey(RecruitmentStage, on_delete=models.CASCADE, related_name="participants")
    partner = models.ForeignKey("participants.Partner", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="recruitment_stages")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="recruitment_stages")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            _person_constraint("stage_participant_is_a_partner_or_a_staff_member"),
            models.UniqueConstraint(fields=["stage", "partner"], name="partner_once_per_stage"),
            models.UniqueConstraint(fields=["stage", "user"], name="staff_member_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.partner or self.user} on {self.stage}"
