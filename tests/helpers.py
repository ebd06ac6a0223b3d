"""Assertions shared by the tests of every app."""

import smtplib
import threading
from collections.abc import Callable

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError
from django.db import connection
from django.db import connections
from django.db import transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082"
)


def count_queries(client, url: str) -> int:
    """Fetch `url` (expecting 200) and return how many SQL queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries)


def assert_queries_bounded(client, url: str, grow: Callable[[], None], *, most: int) -> None:
    """A page runs the same number of queries however much data it shows.

    Fetch `url`, call `grow()` to add (typically ten times) more rows, fetch it
    again: the count must not change and must stay at or under `most`.
    """
    before = count_queries(client, url)
    grow()
    after = count_queries(client, url)
    assert after == before, f"{url}: {before} queries before growing the data, {after} after"
    assert after <= most, f"{url}: {after} queries, more than the {most} allowed"


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF, via poppler's pdftotext (installed by `make test`)."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (bin/system-packages test)")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                            check=True, timeout=60)
    return result.stdout.decode()


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that is down: every attempt to send fails as smtplib would.
    Use with `settings.EMAIL_BACKEND = "tests.helpers.RefusingEmailBackend"`."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("the mail server went away")


def migrate(targets):
    """Move the test database to `targets` (a list of (app, migration)) and answer the apps
    as they stood there, for tests of what a migration does to existing rows."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Going back also unapplies every later migration of those apps and of the apps that
    depend on them; the tests that run next need the whole schema back."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def rows_in(*app_labels: str) -> dict[str, int]:
    """How many rows each model of these apps holds (history included): compare before and
    after to show that a refused action saved nothing."""
    return {model._meta.label: model._default_manager.count()
            for label in app_labels for model in apps.get_app_config(label).get_models()}


def assert_permission_denied(call: Callable[[], object], *, apps: tuple[str, ...], match: str) -> None:
    """`call()` is refused with PermissionDenied (its message matching `match`) and leaves every
    table of `apps` as it was."""
    before = rows_in(*apps)
    with pytest.raises(PermissionDenied, match=match):
        call()
    assert rows_in(*apps) == before


def break_with(monkeypatch, target: str, error: Exception) -> None:
    """Replace the callable at dotted path `target` with one that raises `error`."""

    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, broken)


def in_parallel(work: Callable[[int], object], count: int) -> list:
    """Run `work(index)` in `count` threads released at the same moment; answer the results
    (an exception raised in a thread is its result, for the test's assertions to report)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - reported by the test's assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def assert_form_refused(client, url: str, data: dict, message: str, *, model) -> None:
    """Posting `data` to `url` shows the form again (200) with `message`, and adds no `model` row."""
    before = model.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert model.objects.count() == before


def signed_in_client(name: str, person: str, login: Callable = lambda user: user):
    """The fixture `name`: the test client, signed in as `login(<the fixture person>)` (a
    partner signs in with `login=lambda partner: partner.user`)."""

    @pytest.fixture(name=name)
    def client_signed_in(client, request):
        client.force_login(login(request.getfixturevalue(person)))
        return client

    return client_signed_in


def raw_delete(table: str, pk: int) -> None:
    """Delete row `pk` of `table` in SQL, past the models, as a database client would."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])


def assert_never_deleted(record, *, refused: str, database: str, raw: str | None = None) -> None:
    """Deleting `record` is refused by its model (ValidationError matching `refused`) and by the
    database, through the ORM (IntegrityError matching `database`) and in SQL (matching `raw`,
    or `database` when not given)."""
    with pytest.raises(ValidationError, match=refused):
        record.delete()
    with pytest.raises(IntegrityError, match=database):
        with transaction.atomic():
            type(record).objects.filter(pk=record.pk).delete()
    with pytest.raises(IntegrityError, match=raw or database):
        raw_delete(record._meta.db_table, record.pk)
