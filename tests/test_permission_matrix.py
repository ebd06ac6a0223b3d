"""Every URL × every role. See tests/permissions.py for the table."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .factories import UserFactory
from .permissions import ADMIN_NAMESPACE, LOGIN, PAGES, ROLES, Page


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


def _check(response, expected, url: str):
    if expected == LOGIN:
        assert response.status_code == 302, f"{url}: expected a redirect to sign in"
        assert response.url.startswith(reverse("account_login")), f"{url} redirected to {response.url}"
    else:
        assert response.status_code == expected, (
            f"{url}: expected {expected}, got {response.status_code}"
        )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_permission_matrix(page: Page, role: str, world, client_for):
    url = reverse(page.name, kwargs=page.kwargs(world))
    client = client_for(role)
    if page.method == "post":
        response = client.post(url, page.data(world))
    else:
        response = client.get(url)
    _check(response, page.expected(role), url)


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
