"""Every URL × every role. See tests/permissions.py for the table."""

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .factories import UserFactory
from .permissions import ADMIN_NAMESPACE, LOGIN, PAGES, ROLES


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
                problem = _mismatch(response, page.expected(role), url)
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
