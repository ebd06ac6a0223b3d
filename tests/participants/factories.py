"""factory_boy factories for people: logins, partners, invitations, consent and training."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from participants.models import ConsentStatement
from participants.models import Course
from participants.models import Partner

from ..coprod.factories import day_from_today

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
    completed_on = day_from_today()


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


def contactable_partner(**fields) -> Partner:
    """A partner who agreed to be contacted (the first "contact" wording): notices reach them."""
    partner = PartnerFactory(**fields)
    # get_or_create: a test that commits its own transactions starts from an emptied database,
    # without the wordings the migrations add.
    statement, _ = ConsentStatement.objects.get_or_create(
        topic="contact", version=1, defaults={"wording": "We may contact you about meetings."})
    ConsentFactory(partner=partner, statement=statement)
    return partner
