"""The demo organisation: a community law centre with its services, staff and
trustees. Each app seeds its own demo records in its own `demo` package (partners:
participants/demo/) and registers its steps in `coprod.registry.demo_steps` from its
`AppConfig.ready()`; `seed_demo()` runs every registered step in order.

Every step is idempotent (keyed on natural keys such as e-mail addresses and
names), so running it twice adds nothing.
"""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image
from PIL import ImageDraw

from coprod import firstrun
from coprod.models import Organisation
from coprod.models import Service
from coprod.models import SetupStep
from coprod.registry import demo_steps
from coprod.roles import MANAGE_TEAM
from coprod.roles import TEAM_PERMISSION_NAMES
from coprod.services import staff_permissions_set

from . import benchmark
from .reports import seed_governance_report
from .reports import seed_library

DEMO_PASSWORD = "coprod-demo"

DEMO_LOGINS = {
    "staff": "staff@example.org",
    "partner": "partner@example.org",
    "trustee": "trustee@example.org",
}

ORGANISATION = {
    "name": "Riverside Community Law Centre",
    "description": (
        "Free legal advice on housing, debt, welfare benefits and immigration for people "
        "in the Riverside area, shaped by people who have used our services."
    ),
    "address": "12 Quay Street\nRiverside\nRV1 2AB",
    "signatory_name": "Grace Okafor",
    "signatory_role": "Chief Executive",
}

STAFF = [
    # email, full name, service championed (or None)
    ("staff@example.org", "Amira Haddad", None),
    ("j.okafor@example.org", "Joseph Okafor", "Housing and homelessness advice"),
    ("p.lindqvist@example.org", "Petra Lindqvist", "Debt and money advice"),
    ("s.begum@example.org", "Shirin Begum", "Welfare benefits"),
    ("d.mensah@example.org", "Daniel Mensah", "Immigration and asylum"),
]

TRUSTEES = [
    ("trustee@example.org", "Margaret Ellis"),
    ("r.chowdhury@example.org", "Rafiq Chowdhury"),
]

SERVICES = [
    ("Housing and homelessness advice",
     "Advice and representation for people facing eviction, disrepair or homelessness."),
    ("Debt and money advice", "Help with priority debts, bailiffs and budgeting."),
    ("Welfare benefits", "Benefit checks, mandatory reconsiderations and tribunal appeals."),
    ("Immigration and asylum", "Advice on status, family reunion and asylum support."),
]


def _user(email: str, full_name: str, **roles):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, **roles})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _demo_logo() -> bytes:
    """A plain logo for the demo: a river's three waves in the house blue."""
    image = Image.new("RGBA", (360, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 119, 119), radius=22, fill="#0a3069")
    for row in range(3):
        top = 34 + row * 22
        draw.arc((14, top, 62, top + 24), 200, 340, fill="white", width=7)
        draw.arc((58, top, 106, top + 24), 200, 340, fill="white", width=7)
    draw.text((136, 34), "Riverside", fill="#0a3069", font_size=34)
    draw.text((136, 72), "Community Law Centre", fill="#57606a", font_size=20)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@transaction.atomic
def seed_organisation() -> None:
    organisation = Organisation.current()
    for field, value in ORGANISATION.items():
        setattr(organisation, field, value)
    if not organisation.logo:
        organisation.logo.save("riverside-logo.png", ContentFile(_demo_logo()), save=False)
    organisation.save()

    services = {
        name: Service.objects.get_or_create(name=name, defaults={"description": description})[0]
        for name, description in SERVICES
    }
    for email, full_name, championed in STAFF:
        staff = _user(email, full_name, is_staff_member=True)
        if championed and services[championed].champion_id is None:
            services[championed].champion = staff
            services[championed].save(update_fields=["champion"])
    for email, full_name in TRUSTEES:
        _user(email, full_name, is_trustee=True)


# The Team page: the demo's staff login manages the team, and gave Shirin Begum the
# organisation settings there, so the page shows a recorded change. Other demo staff hold
# other permissions (participants.demo: sensitive details, erasure; reciprocity.demo: finance).
TEAM_MANAGER = DEMO_LOGINS["staff"]
SETTINGS_ADMIN = "s.begum@example.org"


@transaction.atomic
def seed_team() -> None:
    User = get_user_model()
    manager = User.objects.get(email=TEAM_MANAGER)
    app_label, codename = MANAGE_TEAM.split(".")
    manager.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    admin = User.objects.get(email=SETTINGS_ADMIN)
    held = {f"{p.content_type.app_label}.{p.codename}"
            for p in admin.user_permissions.select_related("content_type")} & set(TEAM_PERMISSION_NAMES)
    staff_permissions_set(user=admin, permissions=held | {"coprod.change_organisation"}, by=manager)
    # The demo organisation has been running for a while: its first-run checklist is done.
    for row in firstrun.progress():
        if row.state == "todo":
            SetupStep.objects.create(key=row.step.key, state=SetupStep.State.DONE, marked_by=admin)


# Where each app's steps go (`order`): the organisation first, then partners (20s), the
# ladder vocabulary and rounds (30s), panels and decisions (40s), the ladder's actions that
# point at panels and decisions (50s), reciprocity (60s); the team, the library and, last,
# the governance report, which reports on everything above (90s).
ORGANISATION_STEP = 10
TEAM_STEP = 90


def seed_demo() -> None:
    """Build (or top up) the whole demo organisation: every registered step, in order."""
    for step in demo_steps:
        step()


def register() -> None:
    """The core's demo steps (called from `CoprodConfig.ready()`)."""
    benchmark.register()
    demo_steps.register("coprod.organisation", seed_organisation, order=ORGANISATION_STEP)
    demo_steps.register("coprod.team", seed_team, order=TEAM_STEP)
    demo_steps.register("coprod.library", seed_library, order=TEAM_STEP + 1)
    demo_steps.register("coprod.governance_report", seed_governance_report, order=TEAM_STEP + 9)
