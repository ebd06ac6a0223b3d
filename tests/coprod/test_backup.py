"""`make backup` / `make restore`: the database and every uploaded file go into one dated
archive, and a restore into a fresh database gives back every table's rows and every file."""

import subprocess
import tarfile
import uuid

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError
from django.core.management import call_command
from django.db import connection
from django.db import connections

from coprod.backup import media_files
from coprod.backup import row_counts
from coprod.models import Organisation
from coprod.models import Report

from ..helpers import PNG
from ..participants.factories import PartnerFactory
from ..participants.factories import StaffFactory
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def records(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # only this test's files
    staff = StaffFactory(full_name="Bea Backup")
    ServiceFactory(name="Housing advice", champion=staff)
    for name in ["Siân Llŷr", "Zoë O’Brien", "Ravi Shah"]:
        PartnerFactory(full_name=name)
    organisation = Organisation.current()
    organisation.logo.save("logo.png", ContentFile(PNG))
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title="Governance report", status="done")
    report.file.save("governance.pdf", ContentFile(b"%PDF-1.4 the report"))
    return staff


@pytest.fixture
def fresh_database(settings, tmp_path):
    """A new, empty database on the same server as the tests' own."""
    database = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        yield {**database, "NAME": str(tmp_path / "restored.sqlite3"), "TEST": {}}
        return
    name = f"coprod_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(dbname="postgres", user=database["USER"], password=database["PASSWORD"],
                             host=database["HOST"], port=database["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**database, "NAME": name}
    finally:
        for alias in connections:
            connections[alias].close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _counts_in(database: dict) -> dict[str, int]:
    other = connections.create_connection("default")
    other.settings_dict = {**other.settings_dict, **database}
    try:
        return row_counts(other)
    finally:
        other.close()


def test_a_backup_restored_into_a_fresh_database_reproduces_every_table_and_file(
        records, fresh_database, settings, tmp_path):
    tables, files = row_counts(), media_files()
    assert tables["participants_partner"] == 3 and len(files) == 2
    call_command("backup", to=str(tmp_path / "backups"))
    [archive] = (tmp_path / "backups").glob("coprod-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "database.dump" in names and "manifest.json" in names
    assert {f"media/{name}" for name in files} <= set(names)
    assert archive.stat().st_mode & 0o077 == 0  # only its owner may read it

    # A new machine: an empty database and an empty media folder.
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive), database_url=_url(fresh_database))
    assert _counts_in(fresh_database) == tables
    assert media_files() == files
    with open(settings.MEDIA_ROOT / Organisation.current().logo.name, "rb") as logo:
        assert logo.read() == PNG


def test_restore_refuses_a_database_that_is_not_empty(records, settings, tmp_path):
    call_command("backup", to=str(tmp_path))
    [archive] = tmp_path.glob("coprod-backup-*.tar.gz")
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    in_use = dict(connection.settings_dict)
    if connection.vendor == "sqlite":  # the tests' own database lives in memory: use a file in use
        in_use["NAME"] = str(tmp_path / "in-use.sqlite3")
        (tmp_path / "in-use.sqlite3").write_bytes(b"SQLite format 3\x00 and data")
    with pytest.raises(CommandError, match="not empty|already exists"):
        call_command("restore", str(archive), database_url=_url(in_use))
    assert media_files() == {}


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, fresh_database):
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz"):
        pass
    with pytest.raises(CommandError, match="not a coprod backup"):
        call_command("restore", str(bogus), database_url=_url(fresh_database))


def _url(database: dict) -> str:
    if "sqlite" in database["ENGINE"]:
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/"
            f"{database['NAME']}")


def test_with_compose_the_database_goes_through_the_servers_own_tools(records, fresh_database, settings,
                                                                      tmp_path):
    """docker compose: pg_dump and pg_restore of the database container, the files and the
    check by coprod."""
    if connection.vendor != "postgresql":
        pytest.skip("the compose way is for PostgreSQL (set DATABASE_URL to run it)")
    tables = row_counts()
    dump = tmp_path / "db.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}",
                    f"--dbname={_url(connection.settings_dict)}"], check=True, timeout=120)
    call_command("backup", to=str(tmp_path / "backups"), database_dump=str(dump))
    [archive] = (tmp_path / "backups").glob("coprod-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "database.dump").write_bytes(tar.extractfile("database.dump").read())
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_url(fresh_database)}",
                    str(tmp_path / "out" / "database.dump")], check=True, timeout=120)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", str(archive), database_url=_url(fresh_database), database_restored=True)
    assert _counts_in(fresh_database) == tables
