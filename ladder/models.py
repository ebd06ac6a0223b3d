"""The ladder of participation: ladders and their rungs, co-production areas,
assessment rounds with their respondents and answers, and the action plan."""

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.db.models import Exists
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.keeping import KeptRecord
from coprod.ladder_vocabulary import Area  # noqa: F401 - the ladder's vocabulary, kept in the core
from coprod.ladder_vocabulary import Ladder  # noqa: F401 - the ladder's vocabulary, kept in the core
from coprod.ladder_vocabulary import Rung  # noqa: F401 - the ladder's vocabulary, kept in the core
from coprod.models import by_user
from coprod.roles import is_staff_member
from coprod.roles import is_trustee
from participants.contact import contactable_partners

CLOSED_ROUND_KEPT = _("Round %(round)s is closed: its results are published, so the round, who was "
                      "invited and every answer are kept for good.")


class RoundQuerySet(models.QuerySet):
    def closed(self) -> "RoundQuerySet":
        return self.filter(status=Round.Status.CLOSED)

    def with_scope(self) -> "RoundQuerySet":
        return self.select_related("ladder", "service")

    def with_progress(self) -> "RoundQuerySet":
        """Annotate `invited` (respondents) and `responded` (respondents with at least one answer)."""
        answered = Response.objects.filter(respondent=OuterRef("pk"))
        respondents = Respondent.objects.filter(round=OuterRef("pk"))

        def count(queryset):
            return Coalesce(Subquery(
                queryset.order_by().values("round").annotate(n=Count("pk")).values("n")
            ), 0)

        return self.annotate(invited=count(respondents),
                             responded=count(respondents.filter(Exists(answered))))

    def visible_to(self, user) -> "RoundQuerySet":
        """Staff see every round; trustees only the closed (published) ones."""
        if is_staff_member(user):
            return self
        if is_trustee(user):
            return self.closed()
        return self.none()

    def for_partner(self, partner) -> "RoundQuerySet":
        """The rounds a partner is invited to, once opened."""
        return self.exclude(status=Round.Status.DRAFT).filter(respondents__partner=partner)

    def previous_to(self, round_: "Round") -> "Round | None":
        """The latest closed round of the same scope closing before this one."""
        earlier = Q(closes_on__lt=round_.closes_on) | Q(closes_on=round_.closes_on, pk__lt=round_.pk)
        return (self.closed().filter(earlier, service=round_.service_id).exclude(pk=round_.pk)
                .order_by("-closes_on", "-pk").first())


class Round(KeptRecord):
    """An assessment round: staff and partners each place the organisation (or one
    service) on the ladder in each chosen area. draft → open → closed; results
    are published to partners and trustees once it is closed, and a closed round
    (with its respondents and answers) is never deleted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(max_length=150)
    ladder = models.ForeignKey(Ladder, on_delete=models.PROTECT, related_name="rounds")
    areas = models.ManyToManyField(Area, related_name="rounds")
    service = models.ForeignKey(
        "coprod.Service", null=True, blank=True, on_delete=models.PROTECT, related_name="ladder_rounds",
        help_text=_("Leave empty to assess the whole organisation."),
    )
    closes_on = models.DateField(_("closing date"),
                                 help_text=_("The last day people can give their answers."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = by_user(blank=True)

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[areas])

    class Meta:
        ordering = ["-closes_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope(self) -> str:
        return self.service.name if self.service_id else gettext("Whole organisation")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def closing_date(self):
        """The day answers stopped or will stop: the day staff closed it (perhaps early),
        otherwise the planned closing date."""
        if self.closed_at is not None:
            return timezone.localdate(self.closed_at)
        return self.closes_on

    @property
    def accepts_answers(self) -> bool:
        return self.status == self.Status.OPEN and timezone.localdate() <= self.closes_on

    def kept_because(self) -> str:
        return CLOSED_ROUND_KEPT % {"round": f"“{self.title}”"} if self.status == self.Status.CLOSED else ""

    def ordered_areas(self) -> list[Area]:
        """The round's areas in their display order: step n of the answer flow is the n-th."""
        return list(self.areas.order_by("order", "name"))


class RespondentQuerySet(models.QuerySet):
    def for_round_page(self) -> "RespondentQuerySet":
        """A round's respondents as its staff page lists them, with `answered` (answers given),
        `on_behalf` (answers staff entered for them) and `can_email` (a partner with a login we
        may e-mail)."""
        can_email = Exists(contactable_partners().filter(pk=OuterRef("partner"), user__isnull=False))
        return (
            self.select_related("user", "partner")
            .annotate(answered=Count("responses"),
                      on_behalf=Count("responses", filter=Q(responses__on_behalf=True)), can_email=can_email)
            .order_by("group", "partner__full_name", "user__full_name")
        )

    def of_partner(self, partner) -> "RespondentQuerySet":
        """The rounds a partner was asked to answer, once opened, latest closing date first, with
        `answered` and `area_count`."""
        return (
            self.filter(partner=partner, group=Respondent.Group.PARTNER)
            .exclude(round__status=Round.Status.DRAFT).select_related("round")
            .annotate(answered=Count("responses", distinct=True),
                      area_count=Count("round__areas", distinct=True))
            .order_by("-round__closes_on", "-round__pk")
        )


class Respondent(KeptRecord):
    """Someone invited to answer in a round: a staff member or a partner.

    The group is stored, so answers keep counting in results even if the person
    later leaves and their record is erased."""

    class Group(models.TextChoices):
        STAFF = "staff", _("Staff")
        PARTNER = "partner", _("Partners")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    group = models.CharField(max_length=10, choices=Group.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="ladder_invitations")
    partner = models.ForeignKey("participants.Partner", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="ladder_invitations")
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = by_user()

    history = HistoricalRecords()
    objects = RespondentQuerySet.as_manager()

    class Meta:
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], condition=Q(user__isnull=False),
                                    name="invite_a_staff_member_once"),
            models.UniqueConstraint(fields=["round", "partner"], condition=Q(partner__isnull=False),
                                    name="invite_a_partner_once"),
            models.CheckConstraint(
                condition=Q(group="staff", partner__isnull=True) | Q(group="partner", user__isnull=True),
                name="respondent_is_staff_or_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_display()}) in {self.round_id}"

    @property
    def name(self) -> str:
        person = self.partner if self.group == self.Group.PARTNER else self.user
        return str(person) if person else gettext("Someone no longer with us")

    @property
    def is_partner(self) -> bool:
        return self.group == self.Group.PARTNER

    def entered_for_by(self, user) -> bool:
        """Would `user` be answering on someone else's behalf: a partner's answers, entered by
        anyone but that partner's own login?"""
        return self.is_partner and self.partner is not None and self.partner.user_id != user.pk

    @property
    def group_label(self) -> str:
        """One person's group, for anonymous comments: "Staff" or "Partner"."""
        return gettext("Partner") if self.is_partner else gettext("Staff")

    def kept_because(self) -> str:
        return self.round.kept_because()


class ResponseQuerySet(models.QuerySet):
    def of_round(self, round_: "Round") -> "ResponseQuerySet":
        return self.filter(respondent__round=round_)

    def distribution(self):
        """How many answers each (round, area, group, rung position) got: one aggregate query."""
        return (self.order_by().values("respondent__round", "area", "respondent__group", "rung__position")
                .annotate(n=Count("pk")))

    def with_comments(self) -> "ResponseQuerySet":
        return (self.exclude(evidence="", next_step="").select_related("rung", "respondent")
                .order_by("area__order", "respondent__group", "pk"))


class Response(KeptRecord):
    """One respondent's answer for one area: where we are, why, and a realistic next step."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="responses")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="responses")
    rung = models.ForeignKey(Rung, on_delete=models.PROTECT, related_name="responses")
    evidence = models.TextField("what makes you say so", blank=True)
    next_step = models.TextField("a realistic next step", blank=True)
    entered_by = by_user()
    on_behalf = models.BooleanField(
        "entered by staff on their behalf", default=False,
        help_text="A staff member entered this answer for a partner.",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["respondent", "area"], name="one_answer_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.rung.name}"

    def kept_because(self) -> str:
        return self.respondent.round.kept_because()


class ActionQuerySet(models.QuerySet):
    def with_links(self) -> "ActionQuerySet":
        return self.select_related("area", "owner", "round", "panel", "decision")

    def open(self) -> "ActionQuerySet":
        return self.filter(status__in=Action.OPEN_STATUSES)

    def overdue(self) -> "ActionQuerySet":
        return self.open().filter(due_on__lt=timezone.localdate())

    def overdue_first(self) -> "ActionQuerySet":
        """Annotate `is_overdue` and order overdue actions first, then by due date."""
        overdue = Q(status__in=Action.OPEN_STATUSES, due_on__lt=timezone.localdate())
        return self.annotate(
            is_overdue=models.ExpressionWrapper(overdue, output_field=models.BooleanField())
        ).order_by("-is_overdue", models.F("due_on").asc(nulls_last=True), "pk")


class Action(models.Model):
    """An agreed next step in the action plan."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    OPEN_STATUSES = [Status.NOT_STARTED, Status.IN_PROGRESS]

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="ladder_actions", limit_choices_to={"is_staff_member": True})
    due_on = models.DateField(_("due date"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    round = models.ForeignKey(Round, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions",
                              help_text=_("The assessment round this step came from, if any."))
    source = models.ForeignKey(Response, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="actions", help_text=_("The suggested next step it came from."))
    panel = models.ForeignKey("panels.Panel", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="ladder_actions", verbose_name=_("linked panel"),
                              help_text=_("The panel that takes this step forward or checks on it, if any."))
    decision = models.ForeignKey("panels.Decision", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="ladder_actions", verbose_name=_("linked decision"),
                                 help_text=_("The logged decision this step carries out, if any."))
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def overdue(self) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_on < timezone.localdate()
