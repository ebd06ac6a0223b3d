"""`python manage.py seed_scale`: an organisation of 10,000 partners (by default) that stays in
the database, for the load test (`make loadtest`) and for trying pages at scale by hand.

It is the benchmark's synthetic data (coprod.demo.benchmark), built in batches, each batch committed
on its own, so a progress bar can follow it and an interrupted run keeps what it built. The
benchmark's logins of this organisation (`benchmark-scale-…@example.invalid`) have unusable
passwords: the load test signs in with sessions the command issues (`--sessions FILE`), which
work only against this database.

The core knows no partners: the participants app registers (from its `demo/benchmark.py`) how
to count the scale organisation's partners and which partner logins the load test signs in as.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client

from coprod.registry import Registry

from . import benchmark

TAG = "scale"
DEFAULT_PARTNERS = 10_000
BATCH = 500
# How many people of each role the load test signs in as (each locust user picks one).
SESSION_PEOPLE = {"partner": 40, "staff": 8, "trustee": 4}

# `count() -> int`: the scale organisation's partners an app holds.
partner_counts = Registry("scale organisation partners")
# `logins(tag, how_many) -> list[User]`: logins of active partners the load test signs in as.
partner_logins = Registry("scale organisation partner logins")


@dataclass
class Seeded:
    partners: int  # partners of the scale organisation in the database now
    added: int  # partners this run added
    seconds: float


def staff_email(tag: str = TAG) -> str:
    return f"benchmark-{tag}-staff@example.invalid"


def already_seeded() -> bool:
    return get_user_model().objects.filter(email=staff_email()).exists()


def seed(partners: int = DEFAULT_PARTNERS, *, batch: int = BATCH,
         advance: Callable[[int], None] = lambda added: None) -> Seeded:
    """Build `partners` partners' worth of data in batches of `batch`, each in its own transaction;
    `advance(n)` after each batch of n partners. A database that already holds the scale
    organisation is left as it is (drop the database to build it again)."""
    if partners < 1 or batch < 1:
        raise ValueError("partners and batch must be at least 1")
    started = time.perf_counter()
    if already_seeded():
        return Seeded(partners=existing_partners(), added=0, seconds=time.perf_counter() - started)
    with transaction.atomic():
        world = benchmark.world_create(TAG)
    while world.partners < partners:
        size = min(batch, partners - world.partners)
        with transaction.atomic():
            benchmark.world_grow(world, size)
        advance(size)
    benchmark.refresh_planner_statistics()
    return Seeded(partners=world.partners, added=world.partners, seconds=time.perf_counter() - started)


def existing_partners() -> int:
    """Partners of the scale organisation (the synthetic ones, named partner-<batch>-<n>)."""
    return sum(count() for count in partner_counts)


def issue_sessions(path: Path) -> dict:
    """Sign in (server-side sessions, as a browser would hold) as some partners with a login, staff
    members allowed to approve claims and trustees of the scale organisation, and write the session
    cookies to `path` (JSON) for the load test. Returns what was written."""
    User = get_user_model()
    approver = User.objects.get(email=staff_email())
    staff = [approver, *User.objects.filter(email__startswith=f"benchmark-{TAG}-staff-")
             .order_by("pk")[:SESSION_PEOPLE["staff"] - 1]]
    approve = list(Permission.objects.filter(user=approver))
    for user in staff[1:]:
        user.user_permissions.add(*approve)
    trustees = [User.objects.get(email=f"benchmark-{TAG}-trustee@example.invalid")]
    trustees += [
        User.objects.get_or_create(email=f"benchmark-{TAG}-trustee-{n}@example.invalid",
                                   defaults={"full_name": f"Trustee {n}", "is_trustee": True,
                                             "password": approver.password})[0]
        for n in range(1, SESSION_PEOPLE["trustee"])
    ]
    wanted = SESSION_PEOPLE["partner"]
    partners = [user for logins in partner_logins for user in logins(TAG, wanted)][:wanted]
    cookie = settings.SESSION_COOKIE_NAME
    sessions = {}
    for role, users in [("partner", partners), ("staff", staff), ("trustee", trustees)]:
        sessions[role] = []
        for user in users:
            client = Client()
            client.force_login(user)
            sessions[role].append(client.cookies[cookie].value)
    data = {"cookie": cookie, "sessions": sessions}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2))
    path.chmod(0o600)
    return data
