"""Every URL × every role. See tests/permissions.py for the table, and tests/downloads.py for
what each download may hold per role."""

import pytest
from django.db import transaction
from django.urls import URLPattern
from django.urls import URLResolver
from django.urls import get_resolver
from django.urls import reverse

from .downloads import DOWNLOAD_NAMES
from .participants.factories import UserFactory
from .permissions import ADMIN_NAMESPACE
from .permissions import LOGIN
from .permissions import PAGES
from .permissions import ROLES


def _named_patterns(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}{pattern.name or f'<unnamed {pattern.pattern}>'}")
    return names


def test_every_url_pattern_has_a_row_in_the_matrix():
    declared = {page.name for page in PAGES}
    project = {
        name for name in _named_patterns(get_resolver().url_patterns)
        if not name.startswith(f"{ADMIN_NAMESPACE}:")
    }
    assert not project - declared, f"URLs with no permission expectation: {sorted(project - declared)}"
    assert not declared - project, f"rows for URLs that no longer exist: {sorted(declared - project)}"


def test_every_row_declares_every_role():
    for page in PAGES:
        assert len(page.expect) == len(ROLES), page.name


def _mismatch(response, expected, url: str) -> str | None:
    if expected == LOGIN:
        if response.status_code != 302 or not response.url.startswith(reverse("account_login")):
            return f"{url}: expected a redirect to sign in, got {response.status_code}"
        return None
    if response.status_code != expected:
        return f"{url}: expected {expected}, got {response.status_code}"
    return None


def _is_download(response) -> bool:
    """A file or data rather than a page: sent as an attachment, or not HTML."""
    return ("attachment" in response.get("Content-Disposition", "")
            or not response.get("Content-Type", "").startswith("text/html"))


def _unchecked_download(page, response, url: str) -> str | None:
    """A download must also say what its body holds per role (tests/downloads.py)."""
    if response.status_code == 200 and _is_download(response) and page.name not in DOWNLOAD_NAMES:
        return (f"{url} answers with a download ({response.get('Content-Type')}) but has no row in "
                "tests/downloads.py saying what each role may find in it")
    return None


def test_a_download_without_a_content_row_fails_the_matrix():
    from django.http import HttpResponse
    from django.http import JsonResponse

    from .permissions import Page

    csv = HttpResponse("Partner,Access needs\r\n", content_type="text/csv")
    csv["Content-Disposition"] = 'attachment; filename="partners.csv"'
    unlisted = Page("participants:partner_list_csv", ())
    assert "no row in tests/downloads.py" in _unchecked_download(unlisted, csv, "/partners.csv")
    assert _unchecked_download(unlisted, JsonResponse({}), "/partners.json")
    assert _unchecked_download(Page("reciprocity:finance_export", ()), csv, "/export.csv") is None
    assert _unchecked_download(unlisted, HttpResponse("<h1>Partners</h1>"), "/partners/") is None


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role: str, world, client_for):
    """Every row for this role. Each request runs inside a savepoint that is rolled
    back, so an action (a POST) leaves the shared records as they were for the next
    row, and the world is built once per role rather than once per cell."""
    failures = []
    for page in PAGES:
        try:
            with transaction.atomic():
                url = reverse(page.name, kwargs=page.kwargs(world))
                client = client_for(role)
                response = client.post(url, page.data(world)) if page.method == "post" else client.get(url)
                problem = _mismatch(response, page.expected(role), url) or _unchecked_download(
                    page, response, url)
                transaction.set_rollback(True)
        except Exception as error:  # noqa: BLE001 - report the row, then go on to the next
            problem = f"raised {error!r}"
        if problem:
            failures.append(f"{page.name} as {role}: {problem}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", ["admin:index", "admin:participants_user_changelist",
                                      "admin:participants_partner_changelist"])
def test_django_admin_is_for_superusers_only(url_name, role, world, client_for):
    url = reverse(url_name)
    response = client_for(role).get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_superuser_reaches_the_django_admin(client, db):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200
