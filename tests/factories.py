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
