"""People: the login account and the lived-experience partner record."""

import calendar
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.models import BaseUserManager
from django.contrib.auth.models import Group
from django.contrib.auth.models import Permission
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Case
from django.db.models import Count
from django.db.models import Exists
from django.db.models import F
from django.db.models import OuterRef
from django.db.models import Q
from django.db.models import Subquery
from django.db.models import Value
from django.db.models import When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coprod.models import NamedModel
from coprod.models import by_user
from coprod.roles import MANAGE_TEAM
from coprod.welsh import welsh_column


class UserQuerySet(models.QuerySet):
    def team(self) -> "UserQuerySet":
        """Everyone with a staff or trustee login, active or not, with what the Team page
        shows: their permissions and groups (prefetched) and whether they are also a partner."""
        permissions = Permission.objects.select_related("content_type")
        return (
            self.filter(Q(is_staff_member=True) | Q(is_trustee=True))
            .annotate(is_partner_login=Exists(Partner.objects.filter(user=OuterRef("pk"))))
            .prefetch_related(
                models.Prefetch("user_permissions", queryset=permissions),
                models.Prefetch("groups", queryset=Group.objects.prefetch_related(
                    models.Prefetch("permissions", queryset=permissions))),
            )
        )

    def with_permission(self, name: str) -> "UserQuerySet":
        """Logins that hold the permission "app_label.codename": given directly, through a
        group, or as superusers, as `user.has_perm` counts it (which also needs them active)."""
        app_label, codename = name.split(".")
        permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        return self.filter(
            Q(is_superuser=True) | Q(user_permissions__in=permission) | Q(groups__permissions__in=permission)
        ).distinct()

    def missing_training(self, courses: list["Course"]) -> "UserQuerySet":
        """Active staff members missing a completion that counts of any of `courses`."""
        if not courses:
            return self.none()
        missing = Q()
        for course in courses:
            missing |= ~Exists(TrainingRecord.objects.counting().filter(course=course, user=OuterRef("pk")))
        return self.filter(missing, is_staff_member=True, is_active=True)

    def team_managers(self) -> "UserQuerySet":
        """Active staff members who may manage the team (see coprod.roles.can_manage_team)."""
        return self.filter(is_active=True, is_staff_member=True).with_permission(MANAGE_TEAM)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_superuser"] = True
        extra.setdefault("is_staff_member", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. E-mail is the login name; there is no username.

    Roles are explicit: `is_staff_member` and `is_trustee` are flags here, and a
    user is a partner when a `Partner` record is linked to them. One person can
    hold several roles. See `coprod.roles`.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(max_length=150)
    # The language their pages are shown in; blank: the switcher's or the browser's choice.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff_member = models.BooleanField(
        _("staff member"), default=False, help_text=_("Can use the staff portal.")
    )
    is_trustee = models.BooleanField(
        _("trustee"), default=False, help_text=_("Can read the dashboard and governance reports.")
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_staff(self) -> bool:
        # Django's admin site is for superusers only; everyone else uses the portals.
        return self.is_superuser

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


DUE_SOON_DAYS = 30


class AccessNeed(models.Model):
    """An entry in the organisation's editable list of access needs."""

    name = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class LivedExperienceArea(NamedModel):
    """A tag for an area of lived experience (homelessness, debt, addiction...)."""

    name = models.CharField(max_length=80, unique=True)


def _current_required_training() -> "models.QuerySet[TrainingRecord]":
    """Completions of courses required for partners that count today: no expiry, or expiring
    after DUE_SOON_DAYS from now."""
    soon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    return TrainingRecord.objects.filter(course__required_for_partners=True, partner__isnull=False).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=soon))


def _required_count() -> "models.QuerySet[Course]":
    """How many courses are required for partners, as a one-row subquery."""
    return (Course.objects.filter(required_for_partners=True).order_by()
            .annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n"))


class PartnerQuerySet(models.QuerySet):
    def for_list(self) -> "PartnerQuerySet":
        return self.select_related("service", "link_worker", "user")

    def matching(self, text: str) -> "PartnerQuerySet":
        """Partners whose name, preferred name or e-mail address contains `text`."""
        return self.filter(Q(full_name__icontains=text) | Q(preferred_name__icontains=text)
                           | Q(email__icontains=text))

    def current(self) -> "PartnerQuerySet":
        """Everyone who has not left and has not been erased."""
        return self.exclude(status=Partner.Status.LEFT).filter(erased_at__isnull=True)

    def with_training_due(self) -> "PartnerQuerySet":
        """Annotate `training_due`: how many courses required for partners they have
        no current completion of (none, expired, or expiring within DUE_SOON_DAYS)."""
        current = (
            _current_required_training().filter(partner=OuterRef("pk"))
            .order_by().values("partner").annotate(n=Count("course", distinct=True)).values("n")
        )
        return self.annotate(
            training_due=Coalesce(Subquery(_required_count()), 0) - Coalesce(Subquery(current), 0)
        )

    def training_due_q(self) -> Q:
        """The partners with a course required for partners due (`training_due` above 0),
        as a condition: while any course is required, those not among the partners with a
        current completion of every required course. One anti-join rather than a count for
        each partner, so an aggregate over the whole organisation stays quick."""
        complete = (_current_required_training().order_by().values("partner")
                    .annotate(n=Count("course", distinct=True)).filter(n__gte=Subquery(_required_count()))
                    .values("partner"))
        return Q(Exists(Course.objects.filter(required_for_partners=True))) & ~Q(pk__in=complete)

    def with_left_at(self) -> "PartnerQuerySet":
        """Annotate `left_at`: when their status last became "left" (a change *into* left;
        a note added while they had left does not count), or when the record was made if
        no change was recorded."""
        left = (StatusChange.objects.filter(partner=OuterRef("pk"), to_status=Partner.Status.LEFT)
                .exclude(from_status=Partner.Status.LEFT).order_by("-changed_at", "-pk")
                .values("changed_at")[:1])
        return self.annotate(left_at=Coalesce(Subquery(left), F("created")))

    def left_before(self, day) -> "PartnerQuerySet":
        """Partners not yet erased whose status has been "left" since before `day` (a date),
        longest gone first: those the retention rule anonymises."""
        start = timezone.make_aware(datetime.combine(day, time.min))
        return (self.filter(status=Partner.Status.LEFT, erased_at__isnull=True).with_left_at()
                .filter(left_at__lt=start).order_by("left_at", "pk"))

    def training_due(self) -> "PartnerQuerySet":
        return self.filter(self.training_due_q())

    def consenting_to(self, topic: str) -> "PartnerQuerySet":
        """Partners whose consent to the latest wording on `topic` is in force.

        Consent honoured everywhere: no quotes in reports, no photos, no contact
        unless the partner is in the matching set."""
        latest = ConsentStatement.objects.newest_of(topic).values("pk")[:1]
        return self.filter(Exists(
            Consent.objects.in_force().filter(partner=OuterRef("pk"), statement=Subquery(latest))
        ))


class Partner(models.Model):
    """A lived-experience partner. May exist without a login or an e-mail address:
    staff then act for them."""

    class Status(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry")
        INDUCTION = "induction", _("Induction")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")

    class ContactMethod(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone call")
        TEXT = "text", _("Text message")
        POST = "post", _("Post")
        # Homelessness and similar services: no e-mail, phone or address of their own.
        LINK_WORKER = "link", _("No contact details: through their link worker")

    class Reminders(models.TextChoices):
        USUAL = "usual", _("When the team usually sends them")
        WEEK = "week", _("A week before and the day before")
        TWO_DAYS = "two_days", _("Two days before")
        DAY_BEFORE = "day_before", _("The day before")
        MORNING = "morning", _("On the morning of the meeting")
        NONE = "none", _("No reminders, please")

    class PaymentPreference(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        VOUCHER = "voucher", _("Voucher")
        CASH = "cash", _("Cash")
        DECLINES = "declines", _("Declines payment")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="partner",
    )
    full_name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=80, blank=True, help_text=_("What they like to be called."))
    pronouns = models.CharField(max_length=40, blank=True, help_text=_("For example: she/her, they/them."))
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)
    preferred_contact = models.CharField(
        _("preferred way to contact"), max_length=10, choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    reminders = models.CharField(
        _("meeting reminders"), max_length=12, choices=Reminders.choices, default=Reminders.USUAL,
        help_text=_("How far ahead they are reminded of a meeting, on their preferred way to contact."),
    )
    # Sensitive: visible only with the "view sensitive partner data" permission.
    access_needs = models.ManyToManyField(AccessNeed, blank=True, related_name="partners")
    # The language everything sent to them (and, with a login, their portal) is in; blank:
    # the organisation's default language.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, blank=True)
    interpreter_language = models.CharField(
        max_length=80, blank=True, help_text=_("If an interpreter is needed: which language.")
    )
    access_notes = models.TextField(
        _("other access needs"), blank=True, help_text=_("Anything else that helps them take part.")
    )
    lived_experience = models.ManyToManyField(
        LivedExperienceArea, blank=True, related_name="partners", verbose_name=_("areas of lived experience")
    )
    benefit_check = models.BooleanField(
        _("payments checked against benefit rules"), default=False,
        help_text=_("Their payments must be checked against benefit earnings limits before approval."),
    )
    # What they bring.
    strengths = models.TextField(_("strengths"), blank=True, help_text=_("What they bring."))
    skills = models.TextField(blank=True)
    interests = models.TextField(blank=True, help_text=_("What they would like to get involved in."))
    availability = models.TextField(blank=True, help_text=_("When they can take part."))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ENQUIRY)
    service = models.ForeignKey(
        "coprod.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="partners"
    )
    link_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="linked_partners", limit_choices_to={"is_staff_member": True},
        help_text=_("The staff member they can go to."),
    )
    payment_preference = models.CharField(
        max_length=16, choices=PaymentPreference.choices, default=PaymentPreference.BANK_TRANSFER,
    )
    created = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = by_user(blank=True)

    objects = PartnerQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[access_needs, lived_experience])

    SENSITIVE_FIELDS = ["access_needs", "interpreter_language", "access_notes", "lived_experience",
                        "benefit_check"]

    class Meta:
        ordering = ["full_name"]
        indexes = [models.Index(fields=["full_name"], name="partner_by_name")]
        permissions = [
            ("view_sensitive_partner_data",
             _("Can see and change partners' lived experience, access needs and benefit flag")),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    @property
    def staff_name(self) -> str:
        """How staff lists and registers name them: full name, with the name they like
        to be called beside it ("Patricia Okafor (Pat)")."""
        if self.preferred_name and self.preferred_name != self.full_name:
            return f"{self.full_name} ({self.preferred_name})"
        return self.full_name

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    def has_consent(self, topic: str) -> bool:
        return Partner.objects.filter(pk=self.pk).consenting_to(topic).exists()

    def training_to_do(self) -> list[dict]:
        """The courses required of partners that they are due, each with their latest completion."""
        return Course.objects.filter(required_for_partners=True).due_for([self], field="partner")[self.pk]

    def next_steps(self) -> dict:
        """What the partner's home page asks them to look at next."""
        rows = ConsentStatement.objects.rows_for(self)
        return {
            "consents_to_review": [row for row in rows if row["earlier"] and not row["consent"]],
            "consents_not_given": [row for row in rows if not row["earlier"] and not row["consent"]],
            "training_to_do": self.training_to_do(),
        }

    @property
    def consent_answers(self) -> list[dict]:
        """Their answer on each topic, in the topics' order, for a partner read with
        `consent_annotations()`: agrees (to the latest words), or agreed to older words."""
        return [{"label": label, "agrees": getattr(self, f"agrees_{value}"),
                 "agreed_before": getattr(self, f"agreed_before_{value}")}
                for value, label in ConsentStatement.Topic.choices]


class StatusChange(models.Model):
    """One step of a partner's journey (enquiry → induction → active → paused → left)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Partner.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Partner.Status.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = by_user()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_from_status_display() or 'new'} → {self.get_to_status_display()}"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def expired(self) -> "InvitationQuerySet":
        """Never accepted nor revoked, and past their expiry: can still be re-sent."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now())

    def accepted(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=False)

    def outstanding(self) -> "InvitationQuerySet":
        """Neither accepted nor revoked: pending, or expired and waiting to be re-sent."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def revoked(self) -> "InvitationQuerySet":
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=False)

    def in_state(self, state: str) -> "InvitationQuerySet":
        """Filter by one of `Invitation.STATES`; any other value leaves the set as it is."""
        return getattr(self, state)() if state in Invitation.STATES else self

    def state_counts(self) -> dict[str, int]:
        """How many invitations are in each state, counted in one query."""
        now = timezone.now()
        open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
        return self.aggregate(
            pending=Count("pk", filter=open_ & Q(expires_at__gt=now)),
            expired=Count("pk", filter=open_ & Q(expires_at__lte=now)),
            accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
            revoked=Count("pk", filter=Q(accepted_at__isnull=True, revoked_at__isnull=False)),
        )

    def for_list(self) -> "InvitationQuerySet":
        return self.select_related("partner", "created_by", "accepted_user", "revoked_by")


class Invitation(models.Model):
    """A staff invitation by e-mail: the only way to get a login."""

    class Role(models.TextChoices):
        PARTNER = "partner", _("Lived-experience partner")
        TRUSTEE = "trustee", _("Trustee")
        STAFF = "staff", _("Staff member")

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=10, choices=Role.choices)
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations",
        help_text=_("The partner record the new login is linked to."),
    )
    token = models.CharField(max_length=64, unique=True)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    # The values of `state`, in the order staff see them.
    STATES = ("pending", "expired", "accepted", "revoked")
    STATE_LABELS = {"pending": _("Pending"), "expired": _("Expired"), "accepted": _("Accepted"),
                    "revoked": _("Revoked")}

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}> as {self.get_role_display()}"

    @classmethod
    def state_label(cls, state: str) -> str:
        """One of `STATES` as people read it, in their language."""
        return str(cls.STATE_LABELS.get(state, state))

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @staticmethod
    def login_with_email(email: str) -> "User | None":
        return User.objects.filter(email__iexact=email).first()

    def situation_for(self, user) -> str:
        """What opening the link means for `user` (the signed-in person, or anonymous):
        "new_login" (set one up), "add_role" (signed in as the invited person),
        "sign_in_first" (a login for that e-mail exists), "wrong_user" (signed in as
        someone else), or the invitation's state when it is no longer pending."""
        if self.state != "pending":
            return self.state
        existing = Invitation.login_with_email(self.email)
        if user is not None and user.is_authenticated:
            return "add_role" if existing is not None and existing.pk == user.pk else "wrong_user"
        return "sign_in_first" if existing is not None else "new_login"

    def accept_url(self, request_or_base_url) -> str:
        """The link that accepts it, on the site of `request_or_base_url` (a request or a URL)."""
        path = reverse("participants:invitation_accept", kwargs={"token": self.token})
        if isinstance(request_or_base_url, str):
            return request_or_base_url.rstrip("/") + path
        return request_or_base_url.build_absolute_uri(path)


class ConsentStatementQuerySet(models.QuerySet):
    def newest_of(self, topic) -> "ConsentStatementQuerySet":
        """A topic's wordings, newest first: the first is the wording in use. The one home
        of "the latest wording"; `topic` may be an `OuterRef` in a subquery."""
        return self.filter(topic=topic).order_by("-version")

    def current(self, topic: str) -> "ConsentStatement | None":
        """The wording in use for `topic`, or None before any is published."""
        return self.newest_of(topic).first()

    def latest(self) -> "ConsentStatementQuerySet":
        """The wording in use for each topic: the highest version."""
        newest = ConsentStatement.objects.newest_of(OuterRef("topic")).values("version")[:1]
        return self.filter(version=Subquery(newest))

    def current_and_earlier(self) -> tuple[list, list]:
        """The wordings with their agreed counts, in the topics' order, newest first: those
        in use, and the earlier versions."""
        statements = list(self.with_agreed_count())
        order = {topic: i for i, topic in enumerate(ConsentStatement.Topic.values)}
        statements.sort(key=lambda s: (order[s.topic], -s.version))
        latest_version = {}
        for statement in statements:
            latest_version.setdefault(statement.topic, statement.version)
        current = [s for s in statements if s.version == latest_version[s.topic]]
        return current, [s for s in statements if s.version != latest_version[s.topic]]

    def rows_for(self, partner: "Partner") -> list[dict]:
        """One row per topic, in the topics' own order: the wording in use, the
        partner's agreement to it (if in force) and any agreement to older words."""
        statements = {s.topic: s for s in self.latest()}
        in_force = list(Consent.objects.in_force().filter(partner=partner).select_related("statement"))
        rows = []
        for topic, label in ConsentStatement.Topic.choices:
            statement = statements.get(topic)
            if statement is None:
                continue
            consent = next((c for c in in_force if c.statement_id == statement.pk), None)
            earlier = next((c for c in in_force
                            if c.statement.topic == topic and c.statement_id != statement.pk), None)
            rows.append({"topic": topic, "label": label, "statement": statement, "consent": consent,
                         "earlier": earlier, "effects": CONSENT_EFFECTS[topic],
                         "restriction": None if consent else CONSENT_RESTRICTIONS[topic]})
        return rows

    def with_agreed_count(self) -> "ConsentStatementQuerySet":
        """Annotate `agreed`: how many partners' agreement to this wording is in force."""
        return self.annotate(agreed=Count("consents", filter=Q(consents__withdrawn_at__isnull=True)))


class ConsentStatement(models.Model):
    """A versioned wording of what a partner is asked to agree to."""

    class Topic(models.TextChoices):
        DATA = "data", _("Keeping your information")
        PHOTOS = "photos", _("Photos")
        QUOTES = "quotes", _("Quotes in reports")
        CONTACT = "contact", _("Being contacted")

    topic = models.CharField(max_length=10, choices=Topic.choices)
    version = models.PositiveSmallIntegerField()
    wording = models.TextField(help_text=_("The plain-English words the partner agrees to."))
    wording_cy = welsh_column()
    effective_from = models.DateField(default=timezone.localdate)

    objects = ConsentStatementQuerySet.as_manager()
    WELSH_FIELDS = ("wording",)
    history = HistoricalRecords()

    class Meta:
        ordering = ["topic", "-version"]
        constraints = [models.UniqueConstraint(fields=["topic", "version"], name="one_wording_per_version")]

    def __str__(self) -> str:
        return _("%(topic)s (version %(version)s)") % {
            "topic": self.get_topic_display(), "version": self.version}


# What happens when a partner agrees or stops agreeing, said to the partner.
CONSENT_EFFECTS = {
    ConsentStatement.Topic.DATA: {
        "agree": _("we can keep your details so that we can invite you to things and pay you."),
        "withdraw": _("we will stop using your details to invite you to things. We still keep records of "
                    "payments because the law says we must."),
    },
    ConsentStatement.Topic.PHOTOS: {
        "agree": _("we can use photos of you from meetings and events."),
        "withdraw": _("we will not use photos of you from now on."),
    },
    ConsentStatement.Topic.QUOTES: {
        "agree": _("we can quote what you say in reports, without your name."),
        "withdraw": _("we will not quote what you say in any new report."),
    },
    ConsentStatement.Topic.CONTACT: {
        "agree": _("we can contact you about meetings, opportunities and payments."),
        "withdraw": _("we will not contact you. You can still contact us, and agree again here at any time."),
    },
}
# What staff must not do while a consent is not in force.
CONSENT_RESTRICTIONS = {
    ConsentStatement.Topic.DATA: _("No agreement to keep their data"),
    ConsentStatement.Topic.PHOTOS: _("No photos"),
    ConsentStatement.Topic.QUOTES: _("No quotes"),
    ConsentStatement.Topic.CONTACT: _("Do not contact"),
}


class ConsentQuerySet(models.QuerySet):
    def in_force(self) -> "ConsentQuerySet":
        return self.filter(withdrawn_at__isnull=True)

    def for_list(self) -> "ConsentQuerySet":
        return self.select_related("statement", "recorded_by", "withdrawn_by")


def consent_annotations() -> dict:
    """Annotations for a Partner queryset, one pair per consent topic:
    `agrees_<topic>` (agreement to the latest wording in force) and
    `agreed_before_<topic>` (agreement to an older wording still on record, so
    the partner is asked to read the new words). Four topics, eight subqueries,
    whatever the number of partners."""
    annotations = {}
    for topic in ConsentStatement.Topic.values:
        latest = ConsentStatement.objects.newest_of(topic).values("pk")[:1]
        in_force = Consent.objects.in_force().filter(partner=OuterRef("pk"))
        annotations[f"agrees_{topic}"] = Exists(in_force.filter(statement=Subquery(latest)))
        annotations[f"agreed_before_{topic}"] = Exists(
            in_force.filter(statement__topic=topic).exclude(statement=Subquery(latest))
        )
    return annotations


class Consent(models.Model):
    """A partner's agreement to one version of a statement, until withdrawn."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="consents")
    statement = models.ForeignKey(ConsentStatement, on_delete=models.PROTECT, related_name="consents")
    agreed_at = models.DateTimeField(default=timezone.now)
    recorded_by = by_user(help_text=_("Who recorded it (the partner, or staff for them)."))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = ConsentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-agreed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.statement}"


class CourseQuerySet(models.QuerySet):
    def with_counts(self) -> "CourseQuerySet":
        """Annotate `completed` (people with a completion that still counts),
        `partners_due` and `staff_due` (people the course is required for who have
        none), each as one subquery."""
        soon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
        counts = Q(records__expires_on__isnull=True) | Q(records__expires_on__gt=soon)
        current_for_partner = TrainingRecord.objects.filter(
            course=OuterRef(OuterRef("pk")), partner=OuterRef("pk")
        ).counting(soon)
        current_for_user = TrainingRecord.objects.filter(
            course=OuterRef(OuterRef("pk")), user=OuterRef("pk")
        ).counting(soon)
        partners = (Partner.objects.current().exclude(Exists(current_for_partner)).order_by()
                    .annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n"))
        staff = (User.objects.filter(is_staff_member=True, is_active=True)
                 .exclude(Exists(current_for_user)).order_by()
                 .annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n"))
        return self.annotate(
            completed=Count("records__partner", filter=counts, distinct=True)
            + Count("records__user", filter=counts, distinct=True),
            partners_due=Case(When(required_for_partners=True, then=Coalesce(Subquery(partners), 0)),
                              default=0),
            staff_due=Case(When(required_for_staff=True, then=Coalesce(Subquery(staff), 0)), default=0),
        )

    def due_for(self, people: list, *, field: str) -> dict[int, list[dict]]:
        """For each person (partners, or staff users when `field` is "user"), the courses
        among these they have no completion that counts for, each with their latest
        completion if any. Two queries' worth of data (none for courses already read)."""
        courses = list(self)
        if not people or not courses:
            return {person.pk: [] for person in people}
        soon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
        records = (TrainingRecord.objects.filter(**{f"{field}__in": people, "course__in": courses})
                   .with_state().order_by("completed_on", "pk"))
        latest, counting = {}, set()
        for record in records:
            key = (getattr(record, f"{field}_id"), record.course_id)
            latest[key] = record
            if record.expires_on is None or record.expires_on > soon:
                counting.add(key)
        return {
            person.pk: [{"course": course, "record": latest.get((person.pk, course.pk))}
                        for course in courses if (person.pk, course.pk) not in counting]
            for person in people
        }


class Course(NamedModel):
    """A training or induction course (induction, safeguarding, recruitment panel training...)."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    valid_for_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Leave empty if it never needs refreshing.")
    )
    required_for_partners = models.BooleanField(
        default=False, help_text=_("Active partners are due for it until they have a current completion.")
    )
    required_for_staff = models.BooleanField(default=False)

    objects = CourseQuerySet.as_manager()
    history = HistoricalRecords()

    def expiry_for(self, completed_on: date) -> date | None:
        """When a completion on `completed_on` runs out: `valid_for_months` later (the month's
        last day when that month is shorter), or None when the course never expires."""
        if not self.valid_for_months:
            return None
        month_index = completed_on.month - 1 + self.valid_for_months
        year, month = completed_on.year + month_index // 12, month_index % 12 + 1
        return completed_on.replace(year=year, month=month,
                                    day=min(completed_on.day, calendar.monthrange(year, month)[1]))

    def partners_due(self) -> PartnerQuerySet:
        """Current partners who need this course: no completion, or one that has
        expired or expires within DUE_SOON_DAYS. Nobody when it is not required."""
        if not self.required_for_partners:
            return Partner.objects.none()
        done = TrainingRecord.objects.filter(course=self, partner=OuterRef("pk")).counting()
        return Partner.objects.current().exclude(Exists(done))

    def staff_due(self):
        """Active staff members who need this course (same rule as partners_due)."""
        if not self.required_for_staff:
            return User.objects.none()
        done = TrainingRecord.objects.filter(course=self, user=OuterRef("pk")).counting()
        return User.objects.filter(is_staff_member=True, is_active=True).exclude(Exists(done))


class TrainingRecordQuerySet(models.QuerySet):
    def counting(self, soon=None) -> "TrainingRecordQuerySet":
        """Completions that still count: no expiry, or expiring after DUE_SOON_DAYS
        from today (the rule `PartnerQuerySet.with_training_due` uses)."""
        soon = soon or timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=soon))

    def with_state(self) -> "TrainingRecordQuerySet":
        """Annotate `state`: "expired", "due_soon" (expires within DUE_SOON_DAYS) or "current"."""
        today = timezone.localdate()
        return self.annotate(state=Case(
            When(expires_on__lte=today, then=Value("expired")),
            When(expires_on__lte=today + timedelta(days=DUE_SOON_DAYS), then=Value("due_soon")),
            default=Value("current"),
        ))

    def for_list(self) -> "TrainingRecordQuerySet":
        return self.select_related("course", "partner", "user", "recorded_by").with_state()


class TrainingRecord(models.Model):
    """Someone (a partner, or a staff member) completed a course."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="training")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="training", help_text=_("For staff training."))
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = by_user()

    objects = TrainingRecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False, user__isnull=True)
                | models.Q(partner__isnull=True, user__isnull=False),
                name="training_for_a_partner_or_a_staff_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} completed {self.completed_on:%d %b %Y}"


def _import_upload_to(batch: "ImportBatch", filename: str) -> str:
    return f"imports/{filename}"


class ImportBatchQuerySet(models.QuerySet):
    def for_list(self) -> "ImportBatchQuerySet":
        return self.select_related("created_by").order_by("-created_at", "-pk")


class ImportBatch(models.Model):
    """One spreadsheet brought in by staff (participants/imports.py): uploaded, its columns
    mapped, previewed, confirmed, then imported by a worker in one transaction. It records
    who did it, when, and how many rows were created, updated or left out. The file itself
    is deleted once it is imported or given up."""

    class Kind(models.TextChoices):
        PARTNERS = "partners", _("Partners")
        PEOPLE = "people", _("Staff and trustees")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for its columns to be matched")
        MAPPED = "mapped", _("Ready to preview")
        QUEUED = "queued", _("Waiting to be imported")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")
        CANCELLED = "cancelled", _("Given up")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    filename = models.CharField(max_length=200, help_text=_("The name of the file as it was uploaded."))
    file = models.FileField(upload_to=_import_upload_to, blank=True)
    headers = models.JSONField(default=list, blank=True, help_text=_("The file's column headings, in order."))
    mapping = models.JSONField(default=dict, blank=True, help_text=_("Column heading → coprod field."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    row_count = models.PositiveIntegerField(default=0, help_text=_("Rows with something in them."))
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    left_out_count = models.PositiveIntegerField(default=0, help_text=_("Rows with a problem, not imported."))
    error = models.TextField(blank=True, help_text=_("Why it was not imported, in words people understand."))
    people = models.JSONField(
        default=list, blank=True,
        help_text=_("The partners (or, for staff and trustees, the invitations) the import created or "
                    "updated."),
    )
    invited_count = models.PositiveIntegerField(default=0)
    not_invited_count = models.PositiveIntegerField(default=0)
    created_by = by_user()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("spreadsheet import")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED}


class ImportMapping(models.Model):
    """The column matches staff chose last time, per kind of import: a heading seen before
    (compared without case or spaces) is matched the same way next time."""

    kind = models.CharField(max_length=10, choices=ImportBatch.Kind.choices, unique=True)
    mapping = models.JSONField(default=dict, blank=True, help_text=_("Heading (normalised) → coprod field."))
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Column matches for {self.get_kind_display().lower()}"
