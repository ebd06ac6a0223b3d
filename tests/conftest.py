"""Fixtures for every role, and a shared world of objects the permission
matrix and the browser sweep walk through."""

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from coprod.celery import app as celery_app

from .coprod.factories import ServiceFactory
from .participants.factories import PartnerWithLoginFactory
from .participants.factories import StaffFactory
from .participants.factories import TrusteeFactory

# Property-based tests (tests/<app>/test_properties.py). "ci" (when CI is set) runs the same
# few examples every time, so a run is repeatable and quick; "dev" draws new ones each run and
# remembers failures in .hypothesis/. HYPOTHESIS_PROFILE chooses one by name. Examples share
# the test's fixtures and roll their own rows back (tests/properties.py), and a database call
# can be slow on a busy machine, so neither health check nor deadline applies.
_PROPERTY_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("ci", max_examples=20, derandomize=True, database=None,
                                     print_blob=True, **_PROPERTY_SETTINGS)
hypothesis_settings.register_profile("dev", max_examples=30, **_PROPERTY_SETTINGS)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _compile_catalogues() -> None:
    """Build each language's compiled catalogue (.mo, never committed) from its
    locale/<language>/LC_MESSAGES/django.po, as `make` does."""
    for catalogue in LOCALE.glob("*/LC_MESSAGES/django.po"):
        subprocess.run(["msgfmt", "--check-format", "-o", str(catalogue.with_suffix(".mo")), str(catalogue)],
                       check=True)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # once, in the controlling process
        _compile_catalogues()


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Tests run Celery tasks in-process even when REDIS_URL is set; the
    real-worker test switches this off for itself."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _media_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _private_media(settings, _media_folder):
    """Uploads and generated reports go to a temporary folder, never into the checkout."""
    settings.MEDIA_ROOT = _media_folder


@pytest.fixture(autouse=True)
def _private_cache(settings):
    """Each test starts with an empty cache of its own (rate-limit counters live
    there), even when REDIS_URL points the site's cache at a shared Redis."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@dataclass
class World:  # noqa: B903 - apps add their records as attributes
    """One small organisation: a staff member, a trustee, two partners with
    logins, and the records that belong to partner A (`partner`)."""

    staff: object
    trustee: object
    partner: object  # the Partner record of the "partner" role
    other_partner: object  # the Partner record of the "other_partner" role
    service: object

    def user_for(self, role: str):
        return {
            "anonymous": None,
            "staff": self.staff,
            "trustee": self.trustee,
            "partner": self.partner.user,
            "other_partner": self.other_partner.user,
        }[role]


@pytest.fixture
def world(db) -> World:
    """Built once per test. Each app's `tests/<app>/pages.py` may define
    `populate(world)` to add its own records as attributes (owned by `world.partner`
    where they belong to a partner), so every page has something to show."""
    import importlib

    from .permissions import APPS_WITH_PAGES

    service = ServiceFactory(name="Housing advice")
    staff = StaffFactory(email="staff@example.test", full_name="Sam Staff")
    service.champion = staff
    service.save()
    world = World(
        staff=staff,
        trustee=TrusteeFactory(email="trustee@example.test", full_name="Tess Trustee"),
        partner=PartnerWithLoginFactory(
            user__email="partner@example.test", full_name="Pat Partner", service=service
        ),
        other_partner=PartnerWithLoginFactory(
            user__email="other@example.test", full_name="Olly Other", service=service
        ),
        service=service,
    )
    for app in APPS_WITH_PAGES:
        populate = getattr(importlib.import_module(f"tests.{app}.pages"), "populate", None)
        if populate:
            populate(world)
    return world


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, _media_folder):
    """The demo organisation (`seed_demo`), loaded once for the tests of a module that
    ask for it and rolled back after the last of them: each test still runs in a
    savepoint of its own, so nothing one test changes is seen by the next.

    It stays loaded until the module's tests end, so a module that asks for it
    holds only tests that expect the demo data (or do not mind it)."""
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        with django_db_blocker.unblock(), override_settings(
            DEBUG=True, MEDIA_ROOT=_media_folder,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ):
            call_command("seed_demo", stdout=io.StringIO())
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def staff(db):
    """A member of staff of no team and no permission (an app's conftest may give its own)."""
    return StaffFactory()


@pytest.fixture
def trustee(db):
    return TrusteeFactory()


def _role_client(role: str):
    """The fixture `<role>_client`: a client of its own signed in as `world`'s `role`, so one
    test can use several."""

    @pytest.fixture(name=f"{role}_client")
    def role_client(client_for):
        return client_for(role)

    return role_client


staff_client = _role_client("staff")
trustee_client = _role_client("trustee")
partner_client = _role_client("partner")
other_partner_client = _role_client("other_partner")


@pytest.fixture
def client_for(world):
    """`client_for("partner")` gives a fresh test client signed in as that role."""

    def make(role: str) -> Client:
        client = Client()
        user = world.user_for(role)
        if user is not None:
            client.force_login(user)
        return client

    return make


# --- Browser tests -----------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from .browser import CHROMIUM_ARGS
    from .browser import chromium_or_skip

    executable = chromium_or_skip()
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls
    # from the test (creating data, sessions) are still synchronous and safe.
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def browser_page_for(browser, live_server):
    """`browser_page_for(user)` opens a browser tab signed in as `user` (None: anonymous);
    `language="cy"` has the browser ask for that language and hold the switcher's cookie for it.

    The page records console errors and uncaught exceptions in `page.errors`."""
    from django.conf import settings

    contexts = []

    def open_page(user, language: str | None = None):
        context = browser.new_context(base_url=live_server.url, **({"locale": language} if language else {}))
        contexts.append(context)
        if language:
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                  "url": live_server.url}])
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.errors = []
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
