"""factory_boy factories shared by every app's tests."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from coprod.models import Service
from participants.models import ConsentStatement, Course, Partner

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])


class StaffFactory(UserFactory):
    is_staff_member = True


class TrusteeFactory(UserFactory):
    is_trustee = True


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    """A partner without a login; use `PartnerWithLoginFactory` for one who signs in."""

    class Meta:
        model = Partner

    full_name = factory.Faker("name", locale="en_GB")
    status = Partner.Status.ACTIVE


class PartnerWithLoginFactory(PartnerFactory):
    user = factory.SubFactory(UserFactory, full_name=factory.SelfAttribute("..full_name"))
    email = factory.SelfAttribute("user.email")


# --- Invitations ---


def _days_from_now(days: int):
    import datetime

    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=days)


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending trustee invitation, sent once. Set `expires_at`, `revoked_at` or
    `accepted_at` for the other states; `PartnerInvitationFactory` for a partner."""

    class Meta:
        model = "participants.Invitation"

    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    full_name = factory.Faker("name", locale="en_GB")
    role = "trustee"
    token = factory.Sequence(lambda n: f"test-invitation-token-{n:05d}")
    created_by = factory.SubFactory(StaffFactory)
    send_count = 1
    sent_at = factory.LazyFunction(lambda: _days_from_now(0))
    expires_at = factory.LazyFunction(lambda: _days_from_now(14))


class PartnerInvitationFactory(InvitationFactory):
    """A pending invitation for a partner record without a login."""

    role = "partner"
    partner = factory.SubFactory(
        PartnerFactory, full_name=factory.SelfAttribute("..full_name"),
        email=factory.SelfAttribute("..email"), status=Partner.Status.INDUCTION,
    )


# --- Consent and training ---


class ConsentFactory(factory.django.DjangoModelFactory):
    """An agreement in force to the first wording of a topic (`statement__topic`)."""

    class Meta:
        model = "participants.Consent"

    partner = factory.SubFactory(PartnerFactory)
    statement = factory.LazyFunction(lambda: ConsentStatement.objects.get(topic="data", version=1))


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    """A partner's completion of a course today, with no expiry unless given."""

    class Meta:
        model = "participants.TrainingRecord"

    course = factory.LazyFunction(lambda: Course.objects.get(name="Induction"))
    partner = factory.SubFactory(PartnerFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate())


# --- Partner records (staff) ---


class SensitiveStaffFactory(StaffFactory):
    """A staff member allowed to see and change partners' lived experience, access needs
    and benefit flag (`participants.view_sensitive_partner_data`)."""

    @factory.post_generation
    def _sensitive_permission(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            from django.contrib.auth.models import Permission

            obj.user_permissions.add(Permission.objects.get(
                codename="view_sensitive_partner_data", content_type__app_label="participants"))


class LivedExperienceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participants.LivedExperienceArea"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")



# --- Ladder of participation ---


def _current_ladder():
    """The current ladder, installing the shipped ladders and areas if a test flushed them."""
    from ladder.defaults import install_defaults
    from ladder.models import Area, Ladder, Rung

    install_defaults(Ladder, Rung, Area)
    return Ladder.current()


def _first_area():
    from ladder.models import Area

    _current_ladder()
    return Area.objects.first()


def _in_days(days: int):
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=days)


class LadderRoundFactory(factory.django.DjangoModelFactory):
    """An open, organisation-wide round on the current ladder closing in two weeks, asking
    about every active area unless `areas=[...]` is given."""

    class Meta:
        model = "ladder.Round"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Self-assessment {n}")
    ladder = factory.LazyFunction(_current_ladder)
    closes_on = factory.LazyFunction(lambda: _in_days(14))
    status = "open"

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            from ladder.models import Area

            obj.areas.set(extracted if extracted is not None else Area.objects.active())


class StaffRespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ladder.Respondent"

    round = factory.SubFactory(LadderRoundFactory)
    group = "staff"
    user = factory.SubFactory(StaffFactory)


class PartnerRespondentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ladder.Respondent"

    round = factory.SubFactory(LadderRoundFactory)
    group = "partner"
    partner = factory.SubFactory(PartnerFactory)


class LadderResponseFactory(factory.django.DjangoModelFactory):
    """An answer on rung `position` (default 4) of the round's ladder."""

    class Meta:
        model = "ladder.Response"
        exclude = ["position"]

    respondent = factory.SubFactory(StaffRespondentFactory)
    area = factory.LazyAttribute(lambda o: o.respondent.round.areas.order_by("order").first())
    position = 4
    rung = factory.LazyAttribute(lambda o: o.respondent.round.ladder.rungs.get(position=o.position))
    entered_by = factory.LazyAttribute(lambda o: o.respondent.user or o.respondent.partner.user)


class LadderActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ladder.Action"

    area = factory.LazyFunction(_first_area)
    description = factory.Sequence(lambda n: f"Agreed next step {n}")
    owner = factory.SubFactory(StaffFactory)
    due_on = factory.LazyFunction(lambda: _in_days(30))


# --- Panels, memberships, meetings, papers and attendance ---


def _today_plus(days: int):
    import datetime

    return timezone.localdate() + datetime.timedelta(days=days)


def _at(days: int, hour: int = 10):
    """An aware datetime `days` from today (negative: in the past) at `hour` o'clock, local time."""
    import datetime

    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class PanelFactory(factory.django.DjangoModelFactory):
    """A running challenge panel that started 90 days ago, with no end date."""

    class Meta:
        model = "panels.Panel"

    name = factory.Sequence(lambda n: f"Panel {n}")
    kind = "challenge"
    purpose = "Reviews draft proposals before they are decided."
    starts_on = factory.LazyFunction(lambda: _today_plus(-90))
    status = "active"


class MembershipFactory(factory.django.DjangoModelFactory):
    """A partner on a panel since 30 days ago; pass `partner=None, user=<staff>` for staff."""

    class Meta:
        model = "panels.Membership"

    panel = factory.SubFactory(PanelFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = "member"
    joined_on = factory.LazyFunction(lambda: _today_plus(-30))


class MeetingFactory(factory.django.DjangoModelFactory):
    """An in-person two-hour meeting a week from now (`days=-7` for one a week ago)."""

    class Meta:
        model = "panels.Meeting"
        exclude = ["days"]

    days = 7
    panel = factory.SubFactory(PanelFactory)
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyAttribute(lambda o: _at(o.days, 10))
    ends_at = factory.LazyAttribute(lambda o: _at(o.days, 12))
    format = "in_person"
    venue = "Riverside Community Centre, Room 2"
    access_information = "Step-free entrance on Mill Lane; hearing loop in Room 2."


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A partner invited to a meeting."""

    class Meta:
        model = "panels.Attendance"

    meeting = factory.SubFactory(MeetingFactory)
    partner = factory.SubFactory(PartnerFactory)
    status = "invited"


class MeetingPaperFactory(factory.django.DjangoModelFactory):
    """A small PDF paper stored under MEDIA_ROOT."""

    class Meta:
        model = "panels.MeetingPaper"

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Paper {n}")
    file = factory.django.FileField(filename="paper.pdf", data=b"%PDF-1.4\n% a test paper\n%%EOF\n")


# --- Proposals, decisions, staff time and recruitment ---


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal sent to a challenge panel, answers due in a fortnight (pass `status="draft"`
    for one not sent yet)."""

    class Meta:
        model = "panels.Proposal"

    title = factory.Sequence(lambda n: f"Proposal {n}")
    summary = "Change the opening hours of the drop-in advice session."
    owner = factory.SubFactory(StaffFactory)
    panel = factory.SubFactory(PanelFactory)
    response_deadline = factory.LazyFunction(lambda: _today_plus(14))
    status = "with_panel"


class FeedbackPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.FeedbackPoint"

    proposal = factory.SubFactory(ProposalFactory)
    text = factory.Sequence(lambda n: f"Point {n}: open later on Thursdays so people who work can come.")


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.FeedbackResponse"

    point = factory.SubFactory(FeedbackPointFactory)
    outcome = "accepted"
    response = "We will open until 7pm on Thursdays from next month."


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision taken by the leadership team a week ago, not placed on the ladder."""

    class Meta:
        model = "panels.Decision"

    title = factory.Sequence(lambda n: f"Decision {n}")
    decided_on = factory.LazyFunction(lambda: _today_plus(-7))
    decided_by = "leadership"


class StaffTimeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.StaffTime"

    user = factory.SubFactory(StaffFactory)
    panel = factory.SubFactory(PanelFactory)
    category = "preparation"
    spent_on = factory.LazyFunction(lambda: timezone.localdate())
    hours = 2


class RecruitmentRoundFactory(factory.django.DjangoModelFactory):
    """A round that opened 60 days ago and closed 10 days ago, with no stages."""

    class Meta:
        model = "panels.RecruitmentRound"

    post_title = factory.Sequence(lambda n: f"Adviser {n}")
    opens_on = factory.LazyFunction(lambda: _today_plus(-60))
    closes_on = factory.LazyFunction(lambda: _today_plus(-10))


class RecruitmentStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "panels.RecruitmentStage"

    round = factory.SubFactory(RecruitmentRoundFactory)
    kind = "interview"


class StageParticipantFactory(factory.django.DjangoModelFactory):
    """A partner on a stage; pass `partner=None, user=<staff>` for staff."""

    class Meta:
        model = "panels.StageParticipant"

    stage = factory.SubFactory(RecruitmentStageFactory)
    partner = factory.SubFactory(PartnerFactory)


# --- Reciprocity ---

from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402


class FundingSourceFactory(factory.django.DjangoModelFactory):
    """A launch grant of £1,000 running from a year ago to a year ahead."""

    class Meta:
        model = "reciprocity.FundingSource"

    funder = factory.Sequence(lambda n: f"Funder {n}")
    grant = "Partner payments"
    kind = "launch"
    amount = factory.LazyFunction(lambda: Decimal("1000.00"))
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))


class BenefitRuleFactory(factory.django.DjangoModelFactory):
    """A weekly limit of £100 counting fees and vouchers; link partners with `partners=[...]`."""

    class Meta:
        model = "reciprocity.BenefitRule"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Earnings limit {n}")
    period = "week"
    limit = factory.LazyFunction(lambda: Decimal("100.00"))

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.partners.add(*extracted)


class RecognitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reciprocity.Recognition"

    partner = factory.SubFactory(PartnerFactory)
    title = "Chaired the panel"
    message = "Thank you."
    given_on = factory.LazyFunction(lambda: timezone.localdate())
