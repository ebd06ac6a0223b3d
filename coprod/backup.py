"""Backups: the database and every uploaded file in one dated archive, and putting them back
into a fresh database (`manage.py backup`, `manage.py restore`; `make backup`, `make restore`).

An archive `coprod-backup-YYYYMMDD-HHMMSS.tar.gz` holds:

- `database.dump`: PostgreSQL's own format (`pg_dump --format=custom`), or, for the embedded
  SQLite database, a consistent copy of the file (SQLite's backup API);
- `media/...`: every file in the file storage (the media folder, or the S3 bucket);
- `manifest.json`: when and from which database kind it was made, the number of rows of
  every table and the size of every file, which a restore checks its result against.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump and pg_restore with arguments we build, never a shell
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import environ
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media/"
PG_TIMEOUT = 60 * 60


class BackupError(Exception):
    """Something an operator must put right; the message says what."""


def row_counts(using_connection=connection) -> dict[str, int]:
    """Rows in every table of the database, by table name."""
    with using_connection.cursor() as cursor:
        tables = sorted(using_connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {using_connection.ops.quote_name(table)}")  # nosec B608
            counts[table] = cursor.fetchone()[0]
    return counts


def media_files(storage=default_storage, folder: str = "") -> dict[str, int]:
    """Every file in the storage, with its size."""
    found = {}
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return found
    for name in files:
        path = f"{folder}/{name}" if folder else name
        found[path] = storage.size(path)
    for sub in folders:
        found.update(media_files(storage, f"{folder}/{sub}" if folder else sub))
    return found


def _pg_url(database: dict) -> str:
    user = quote(database.get("USER") or "", safe="")
    password = quote(str(database.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgresql://{credentials}{host}{port}/{quote(database['NAME'], safe='')}"


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client "
                          "(Debian: apt-get install postgresql-client).")
    result = subprocess.run(command, capture_output=True, text=True, timeout=PG_TIMEOUT, check=False)  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _dump_database(target: Path) -> str:
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
              f"--dbname={_pg_url(database)}"])
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return "sqlite"
    raise BackupError(f"Backups of a {connection.vendor} database are not supported.")


def backup(folder: Path, database_dump: Path | None = None) -> Path:
    """Write a dated archive of the database and the files into `folder`; answer its path.
    `database_dump`: a `pg_dump --format=custom` file made elsewhere (docker compose runs the
    database server's own pg_dump, whose version matches it) instead of running pg_dump here."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    archive = folder / f"coprod-backup-{stamp}.tar.gz"
    if database_dump is not None and not database_dump.is_file():
        raise BackupError(f"There is no database dump at {database_dump}.")
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMP
        if database_dump is not None:
            shutil.copyfile(database_dump, dump)
            kind = connection.vendor
        else:
            kind = _dump_database(dump)
        files = media_files()
        manifest = {"made_at": timezone.now().isoformat(), "database": kind, "tables": row_counts(),
                    "files": files}
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(dump, arcname=DUMP)
            for name in sorted(files):
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                info = tarfile.TarInfo(MEDIA + name)
                info.size = len(content)
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(content))
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    os.chmod(archive, 0o600)  # it holds everyone's personal data
    return archive


@dataclass
class Difference:
    what: str
    expected: object
    found: object


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        return json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError) as error:
        raise BackupError("This is not a coprod backup: it has no manifest.") from error


def _check_fresh(database: dict, vendor: str) -> None:
    if vendor == "sqlite":
        name = Path(database["NAME"])
        if name.exists() and name.stat().st_size > 0:
            raise BackupError(f"{name} already exists: restore into a new database file.")
        return
    probe = connections.create_connection("default")
    probe.settings_dict = {**probe.settings_dict, **database}
    try:
        with probe.cursor() as cursor:
            tables = probe.introspection.table_names(cursor)
    finally:
        probe.close()
    if tables:
        raise BackupError(f"The database {database['NAME']} is not empty ({len(tables)} tables): create "
                          "a fresh one (createdb) and point DATABASE_URL at it.")


def restore(archive: Path, database: dict | None = None, *,
            database_restored: bool = False) -> list[Difference]:
    """Put an archive back: the database into a fresh, empty database (`database`, a Django
    database settings dict; the configured one by default) and the files into the file
    storage. Answers how the result differs from the manifest (nothing, when it worked).
    `database_restored`: the database was already put back with the server's own pg_restore
    (docker compose); only the files are restored, and everything is checked."""
    database = database or connection.settings_dict
    vendor = "postgresql" if "postgresql" in database["ENGINE"] else (
        "sqlite" if "sqlite" in database["ENGINE"] else database["ENGINE"])
    if not archive.is_file():
        raise BackupError(f"There is no backup at {archive}.")
    with tarfile.open(archive, "r:gz") as tar, tempfile.TemporaryDirectory() as work:
        manifest = _read_manifest(tar)
        if manifest["database"] != vendor:
            raise BackupError(f"This backup is of a {manifest['database']} database; the target is {vendor}.")
        if not database_restored:
            _check_fresh(database, vendor)
            dump = Path(work) / DUMP
            with tar.extractfile(DUMP) as source, open(dump, "wb") as target:
                shutil.copyfileobj(source, target)
            if vendor == "postgresql":
                _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                      f"--dbname={_pg_url(database)}", str(dump)])
            else:
                shutil.copyfile(dump, database["NAME"])
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(MEDIA):
                continue
            name = member.name[len(MEDIA):]
            if name.startswith("/") or ".." in Path(name).parts:
                raise BackupError(f"The backup holds a file with an unsafe name: {member.name}")
            if default_storage.exists(name):
                default_storage.delete(name)
            saved = default_storage.save(name, File(tar.extractfile(member)))
            if saved != name:
                raise BackupError(f"{name} could not be put back under its own name.")
    return compare(manifest, database)


def compare(manifest: dict, database: dict) -> list[Difference]:
    target = connections.create_connection("default")
    target.settings_dict = {**target.settings_dict, **database}
    try:
        tables = row_counts(target)
    finally:
        target.close()
    differences = [Difference(f"rows in {table}", count, tables.get(table))
                   for table, count in manifest["tables"].items() if tables.get(table) != count]
    differences += [Difference(f"table {table}", None, count) for table, count in tables.items()
                    if table not in manifest["tables"]]
    files = media_files()
    differences += [Difference(f"file {name}", size, files.get(name))
                    for name, size in manifest["files"].items() if files.get(name) != size]
    return differences


def database_from_url(url: str) -> dict:
    """Django database settings for a DATABASE_URL-style address."""
    try:
        parsed = environ.Env.db_url_config(url)
    except (ValueError, environ.ImproperlyConfigured) as error:
        raise ImproperlyConfigured(f"Not a database address: {error}") from error
    return {**settings.DATABASES["default"], **parsed}
