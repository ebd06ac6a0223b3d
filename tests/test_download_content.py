"""Every download × every role, checked for what the body holds, not only its status.
See tests/downloads.py for the table and the marker words planted in the world."""

import pytest
from django.test import Client
from django.urls import reverse

from .downloads import CONTENT_ROLES
from .downloads import DOWNLOADS
from .downloads import SENSITIVE_JSON
from .downloads import SENSITIVE_READ
from .downloads import populate
from .helpers import pdf_text
from .permissions import LOGIN
from .permissions import PAGES

pytestmark = pytest.mark.django_db

EXTRA_ROLES = ("sensitive_staff", "plain_staff", "finance_staff")


def test_every_download_row_declares_every_role_for_a_url_of_the_permission_matrix():
    pages = {page.name for page in PAGES if page.method == "get"}
    for download in DOWNLOADS:
        assert len(download.bodies) == len(CONTENT_ROLES), download.name
        assert download.name in pages, f"{download.name} has no row in the permission matrix"


def _user(world, role: str):
    return getattr(world, role) if role in EXTRA_ROLES else world.user_for(role)


def _read(response, *, pdf: bool) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if pdf and response.status_code == 200:
        return " ".join(pdf_text(content).split())
    return content.decode("utf-8", errors="replace")


def _problems(download, role: str, response, body: str, url: str) -> list[str]:
    expected = download.expected(role)
    where = f"{download.what or download.name} ({url}) as {role}"
    if expected.status == LOGIN:
        if response.status_code != 302 or not response.url.startswith(reverse("account_login")):
            return [f"{where}: expected a redirect to sign in, got {response.status_code}"]
        return []
    if response.status_code != expected.status:
        return [f"{where}: expected {expected.status}, got {response.status_code}"]
    if response.status_code != 200:
        # Refused: the answer carries none of the partner's sensitive details.
        leaked = [marker for marker in (*SENSITIVE_READ, *SENSITIVE_JSON) if marker in body]
        return [f"{where}: refused, yet the answer holds {leaked}"] if leaked else []
    missing = [text for text in expected.contains if text not in body]
    leaked = [text for text in expected.excludes if text in body]
    return ([f"{where}: missing {missing}"] if missing else []) + (
        [f"{where}: must not hold {leaked}"] if leaked else [])


def test_every_download_holds_what_each_role_may_see_and_nothing_more(world):
    populate(world)
    failures = []
    for role in CONTENT_ROLES:
        client = Client()
        user = _user(world, role)
        if user is not None:
            client.force_login(user)
        for download in DOWNLOADS:
            url = reverse(download.name, kwargs=download.kwargs(world)) + download.query
            response = client.get(url)
            failures += _problems(download, role, response, _read(response, pdf=download.pdf), url)
    assert not failures, "\n".join(failures)
