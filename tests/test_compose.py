"""The container deployment: docker-compose.yml, the Dockerfile and .dockerignore.

Docker is not needed: these tests read the files, and every command a container would run
is parsed by the program it names (gunicorn, celery, manage.py) and its entry point is
imported. No database is used.
"""

import importlib
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import click
import environ
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")
ONE_SHOT_SERVICES = ("migrate",)
SERVICES_WITHOUT_HTTP = ("worker", "beat")
TEST_SECRET_KEY = "compose-test-" + "k" * 50


# --- reading the files -------------------------------------------------------------------------


@cache
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service(name: str) -> dict:
    return compose()["services"][name]


def image_services() -> list[str]:
    """The services that run the coprod image (the app services and the one-shot migrate)."""
    return [name for name in (*ONE_SHOT_SERVICES, *APP_SERVICES) if name in compose()["services"]]


def environment(name: str) -> dict[str, str]:
    env = service(name).get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_]\w*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_]\w*))"
)


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error} and $$ substitution."""

    def substitute(match: re.Match) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["plain"]
        op, arg = match["op"], match["arg"] or ""
        current = variables.get(name)
        if op == ":-":
            return current or arg
        if op == "-":
            return arg if current is None else current
        if op in (":?", "?") and (current is None or (op == ":?" and not current)):
            raise LookupError(f"{name}: {arg}")
        return current or ""

    return _VARIABLE.sub(substitute, value)


def container_environment(name: str, **variables: str) -> dict[str, str]:
    """The environment the container would see, given the operator's shell variables."""
    variables = {"SECRET_KEY": TEST_SECRET_KEY, **variables}
    return {key: interpolate(value, variables) for key, value in environment(name).items()}


def depends_on(name: str) -> dict[str, str]:
    deps = service(name).get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {dep: (spec or {}).get("condition", "service_started") for dep, spec in deps.items()}


def volume_targets(name: str) -> dict[str, str]:
    """Named volume (or host path) -> mount point."""
    mounts = {}
    for volume in service(name).get("volumes") or []:
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume.get("source"), volume["target"]
        mounts[source] = target
    return mounts


@cache
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continuation lines joined."""
    instructions, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = pending + stripped
        pending = ""
        keyword, _, arguments = full.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def instruction_args(arguments: str) -> list[str]:
    """Exec (JSON) form or shell-words form."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return shlex.split(arguments)


def runs() -> list[str]:
    return [arguments for keyword, arguments in dockerfile() if keyword == "RUN"]


def copy_sources() -> list[str]:
    sources = []
    for keyword, arguments in dockerfile():
        if keyword not in ("COPY", "ADD"):
            continue
        words = instruction_args(arguments)
        flags = [word for word in words if word.startswith("--")]
        if any(flag.startswith("--from") for flag in flags):
            continue  # from another build stage or image, not the build context
        paths = [word for word in words if not word.startswith("--")]
        assert len(paths) >= 2, f"{keyword} needs a source and a destination: {arguments}"
        sources.extend(paths[:-1])
    return sources


@cache
def dockerignore() -> list[tuple[bool, re.Pattern]]:
    """(is_exception, regex) per pattern, in file order, with Docker's matching rules."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        pattern = line.lstrip("!").strip().strip("/")
        regex, i = "", 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex, i = regex + "(?:.*/)?", i + 3
            elif pattern.startswith("**", i):
                regex, i = regex + ".*", i + 2
            elif pattern[i] == "*":
                regex, i = regex + "[^/]*", i + 1
            elif pattern[i] == "?":
                regex, i = regex + "[^/]", i + 1
            else:
                regex, i = regex + re.escape(pattern[i]), i + 1
        rules.append((exception, re.compile(regex + r"\Z")))
    return rules


def ignored(path: str) -> bool:
    """Whether `docker build` leaves this path (relative to the repo root) out of the context."""
    parts = Path(path).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    result = False
    for exception, regex in dockerignore():
        if any(regex.match(prefix) for prefix in prefixes):
            result = not exception
    return result


# --- checking a command against the program it names --------------------------------------------


def command_parts(command) -> list[list[str]]:
    """A compose/Dockerfile command as argv lists: `sh -c "a && b"` gives one list per part."""
    argv = shlex.split(command) if isinstance(command, str) else [str(word) for word in command]
    if len(argv) >= 3 and Path(argv[0]).name in ("sh", "bash") and argv[1] == "-c":
        return [shlex.split(part) for part in argv[2].split("&&") if part.strip()]
    return [argv]


def check_entry_point(argv: list[str]) -> tuple[str, str]:
    """Parse argv as its program would and import what it names. Returns (program, target)."""
    while argv and (argv[0] == "exec" or re.fullmatch(r"[A-Za-z_]\w*=.*", argv[0])):
        argv = argv[1:]
    assert argv, "empty command"
    program, args = Path(argv[0]).name, argv[1:]
    if re.fullmatch(r"python[\d.]*", program):
        if args[:1] == ["-m"] and len(args) > 1:
            program, args = args[1], args[2:]
        elif args and Path(args[0]).name == "manage.py":
            return check_management_command(args[1:])
        else:
            pytest.fail(f"python runs neither manage.py nor a module: {argv}")
    if program == "gunicorn":
        return check_gunicorn(args)
    if program == "celery":
        return check_celery(args)
    pytest.fail(f"unknown entry point {argv}")


def check_gunicorn(args: list[str]) -> tuple[str, str]:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from gunicorn.config import Config

    try:
        parsed = Config().parser().parse_args(args)
    except SystemExit:
        pytest.fail(f"gunicorn rejects its arguments: {args}")
    assert len(parsed.args) == 1, f"gunicorn needs exactly one module:attr, got {parsed.args}"
    spec = parsed.args[0]
    module_name, _, attr = spec.partition(":")
    application = getattr(importlib.import_module(module_name), attr or "application")
    assert callable(application)
    assert isinstance(application, WSGIHandler), f"{spec} is not Django's WSGI application"
    assert settings.WSGI_APPLICATION == f"{module_name}.{attr}"
    return "gunicorn", spec


def check_celery(args: list[str]) -> tuple[str, str]:
    from celery import Celery
    from celery.app.utils import find_app
    from celery.bin.base import CLIContext
    from celery.bin.celery import celery as cli

    positions = [i for i, word in enumerate(args) if word in cli.commands]
    assert positions, f"no celery subcommand in {args}"
    split = positions[0]
    global_args, subcommand, sub_args = args[:split], args[split], args[split + 1 :]
    try:
        top = cli.make_context("celery", list(global_args))
    except click.ClickException as exc:
        pytest.fail(f"celery rejects {global_args}: {exc}")
    app_name = top.params.get("app")
    assert app_name, f"celery is not told which app to run (-A): {args}"
    # The CLI's own lookup: -A coprod finds coprod.celery_app / coprod.celery.app.
    app = find_app(app_name)
    celery_module = importlib.import_module("coprod.celery")
    assert isinstance(celery_module.app, Celery)
    assert app is celery_module.app
    obj = CLIContext(app=app, no_color=True, workdir=None, quiet=True)
    try:
        cli.commands[subcommand].make_context(
            subcommand, list(sub_args), parent=click.Context(cli, obj=obj)
        )
    except click.ClickException as exc:
        pytest.fail(f"celery {subcommand} rejects {sub_args}: {exc}")
    return "celery", subcommand


def check_management_command(args: list[str]) -> tuple[str, str]:
    from django.core.management import CommandError
    from django.core.management import ManagementUtility
    from django.core.management import get_commands

    assert (ROOT / "manage.py").is_file()
    assert args, "manage.py with no command"
    name, options = args[0], args[1:]
    assert name in get_commands(), f"manage.py has no command {name!r}"
    command = ManagementUtility(["manage.py", name]).fetch_command(name)
    try:
        command.create_parser("manage.py", name).parse_args(options)
    except CommandError as exc:
        pytest.fail(f"manage.py {name} rejects {options}: {exc}")
    return "manage.py", name


# --- compose: services, images, healthchecks -------------------------------------------------------


def test_compose_file_uses_the_compose_spec_without_a_version_key():
    assert "version" not in compose()


def test_compose_defines_web_worker_beat_postgres_and_redis():
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(compose()["services"])


@pytest.mark.parametrize(("name", "prefix"), [("postgres", "postgres:16"), ("redis", "redis:7")])
def test_backing_services_run_the_pinned_major_version(name, prefix):
    assert service(name)["image"].startswith(prefix)


@pytest.mark.parametrize("name", image_services())
def test_app_services_are_built_from_this_repository(name):
    build = service(name).get("build")
    context = build if isinstance(build, str) else (build or {}).get("context")
    assert context in (".", "./")


@pytest.mark.parametrize(
    "name",
    [name for name in compose()["services"] if name not in (*SERVICES_WITHOUT_HTTP, *ONE_SHOT_SERVICES)],
)
def test_long_running_services_other_than_worker_and_beat_have_a_healthcheck(name):
    healthcheck = service(name).get("healthcheck") or {}
    assert not healthcheck.get("disable")
    test = healthcheck.get("test")
    assert test, f"{name} has no healthcheck"
    if isinstance(test, list):
        assert test[0] in ("CMD", "CMD-SHELL")


def test_postgres_is_healthy_once_pg_isready_succeeds():
    test = service("postgres")["healthcheck"]["test"]
    assert "pg_isready" in (test if isinstance(test, str) else " ".join(test))


def test_redis_is_healthy_once_it_answers_ping():
    test = service("redis")["healthcheck"]["test"]
    words = shlex.split(test) if isinstance(test, str) else test
    assert "redis-cli" in words and "ping" in words


@pytest.mark.parametrize("name", ["postgres", "redis"])
def test_backing_services_keep_their_data_in_a_named_volume(name):
    named = set(compose().get("volumes") or {})
    assert set(volume_targets(name)) & named


# --- compose: the shared environment ----------------------------------------------------------------


def test_web_worker_and_beat_share_one_environment():
    environments = {name: environment(name) for name in image_services()}
    assert all(env == environments["web"] for env in environments.values()), environments


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_get_database_redis_and_secret_key_with_debug_off(name):
    env = environment(name)
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= set(env)
    assert environ.Env.parse_value(container_environment(name)["DEBUG"], bool) is False


def test_secret_key_must_come_from_the_operator():
    assert "SECRET_KEY" in environment("web")
    with pytest.raises(LookupError):
        interpolate(environment("web")["SECRET_KEY"], {})
    assert container_environment("web")["SECRET_KEY"] == TEST_SECRET_KEY


@pytest.mark.parametrize("password", [None, "s3cret"])
def test_database_url_points_at_the_postgres_service_with_its_credentials(password):
    variables = {} if password is None else {"POSTGRES_PASSWORD": password}
    database = environ.Env.db_url_config(container_environment("web", **variables)["DATABASE_URL"])
    postgres_env = {key: interpolate(str(value), variables)
                    for key, value in service("postgres")["environment"].items()}
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["HOST"] == "postgres"
    assert int(database["PORT"]) == 5432
    assert database["NAME"] == postgres_env["POSTGRES_DB"]
    assert database["USER"] == postgres_env["POSTGRES_USER"]
    assert database["PASSWORD"] == postgres_env["POSTGRES_PASSWORD"]


def test_redis_url_points_at_the_redis_service():
    url = urlparse(container_environment("web")["REDIS_URL"])
    assert url.scheme == "redis"
    assert url.hostname == "redis"
    assert (url.port or 6379) == 6379


def test_ssl_redirect_is_on_by_default_and_can_be_turned_off():
    assert environ.Env.parse_value(container_environment("web")["SECURE_SSL_REDIRECT"], bool) is True
    off = container_environment("web", SECURE_SSL_REDIRECT="False")["SECURE_SSL_REDIRECT"]
    assert environ.Env.parse_value(off, bool) is False


def test_trusted_proxy_count_reaches_the_app_and_defaults_to_no_proxy():
    assert container_environment("web")["TRUSTED_PROXY_COUNT"] == "0"
    assert container_environment("web", TRUSTED_PROXY_COUNT="1")["TRUSTED_PROXY_COUNT"] == "1"


def test_settings_load_the_compose_environment_and_pass_the_deploy_checks():
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        **container_environment("web"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- compose: ordering, ports, volumes ---------------------------------------------------------------


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(name):
    deps = depends_on(name)
    assert deps.get("postgres") == "service_healthy"
    assert deps.get("redis") == "service_healthy"


def test_web_starts_only_after_migrations_have_been_applied():
    if "migrate" in compose()["services"]:
        assert depends_on("web").get("migrate") == "service_completed_successfully"
        assert depends_on("migrate").get("postgres") == "service_healthy"
        assert str(service("migrate").get("restart", "no")) == "no"
        parts = command_parts(service("migrate")["command"])
    else:
        parts = command_parts(service("web")["command"])
    migrate = [part for part in parts if check_entry_point(part) == ("manage.py", "migrate")]
    assert migrate, "nothing runs manage.py migrate"
    assert "--noinput" in migrate[0] or "--no-input" in migrate[0]


def test_web_publishes_port_8000():
    ports = [str(port) for port in service("web").get("ports") or []]
    assert "8000:8000" in ports
    assert ("EXPOSE", "8000") in dockerfile()


def test_worker_has_no_fixed_name_or_published_port_so_it_can_be_scaled():
    assert "container_name" not in service("worker")
    assert not service("worker").get("ports")


@pytest.mark.parametrize("name", ["web", "worker"])
def test_web_and_worker_share_the_media_volume_at_media_root(name):
    assert "media" in (compose().get("volumes") or {})
    assert volume_targets(name).get("media") == container_environment(name)["MEDIA_ROOT"]


# --- compose: every command names a real entry point -------------------------------------------------


@pytest.mark.parametrize("name", image_services())
def test_app_service_commands_name_real_entry_points(name):
    command = service(name).get("command")
    if command is None:
        command = instruction_args(dict(dockerfile())["CMD"])
    for part in command_parts(command):
        check_entry_point(part)


def test_web_command_names_the_wsgi_application():
    parts = command_parts(service("web")["command"])
    assert check_entry_point(parts[-1]) == ("gunicorn", "coprod.wsgi:application")
    assert any(bind.endswith(":8000") for bind in parts[-1][parts[-1].index("--bind") + 1:][:1])


def test_worker_command_names_the_celery_app():
    (part,) = command_parts(service("worker")["command"])
    assert check_entry_point(part) == ("celery", "worker")


def test_beat_command_names_the_celery_app():
    (part,) = command_parts(service("beat")["command"])
    assert check_entry_point(part) == ("celery", "beat")


def test_command_checks_follow_each_part_of_a_shell_chain():
    chain = 'sh -c "python manage.py migrate --noinput && exec gunicorn coprod.wsgi:application"'
    parts = command_parts(chain)
    assert [check_entry_point(part) for part in parts] == [
        ("manage.py", "migrate"), ("gunicorn", "coprod.wsgi:application"),
    ]


@pytest.mark.parametrize("argv", [
    ["gunicorn", "coprod.nowhere:application"],
    ["gunicorn", "coprod.wsgi:application", "--no-such-option"],
    ["celery", "-A", "coprod", "wrker"],
    ["celery", "-A", "nowhere", "worker"],
    ["celery", "-A", "coprod", "beat", "--no-such-option"],
    ["python", "manage.py", "no_such_command"],
    ["python", "manage.py", "migrate", "--no-such-option"],
    ["uwsgi", "--module", "coprod.wsgi"],
])
def test_command_checks_reject_what_would_not_start(argv):
    with pytest.raises((AssertionError, ImportError, pytest.fail.Exception)):
        check_entry_point(argv)


@pytest.mark.parametrize(
    "allowed_hosts", [None, "coprod.example.org", ".example.org,localhost", "*"]
)
def test_web_healthcheck_requests_healthz_with_a_host_django_allows(allowed_hosts, monkeypatch, settings):
    import urllib.request

    from django.test import RequestFactory

    test = service("web")["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], "the slim image has no curl: use python"
    variables = {} if allowed_hosts is None else {"ALLOWED_HOSTS": allowed_hosts}
    env = container_environment("web", **variables)
    monkeypatch.setenv("ALLOWED_HOSTS", env["ALLOWED_HOSTS"])
    requests = []
    monkeypatch.setattr(urllib.request, "urlopen", lambda request, **kwargs: requests.append(request))
    exec(compile(test[3], "healthcheck", "exec"), {})  # noqa: S102 - the compose file's own probe
    (request,) = requests
    assert request.full_url == "http://127.0.0.1:8000/healthz"
    # Django's own host validation (DisallowedHost means a 400, a failed probe).
    settings.ALLOWED_HOSTS = environ.Env.parse_value(env["ALLOWED_HOSTS"], list)
    host = request.get_header("Host")
    assert RequestFactory().get("/healthz", HTTP_HOST=host).get_host() == host


# --- Dockerfile ------------------------------------------------------------------------------------


def test_dockerfile_builds_on_python_311_slim_bookworm():
    assert dockerfile()[0] == ("FROM", "python:3.11-slim-bookworm")


def test_dockerfile_installs_weasyprint_runtime_libraries_without_recommends():
    apt = [run for run in runs() if "apt-get install" in run]
    assert apt
    words = shlex.split(apt[0])
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu-core"):
        assert package in words
    assert "--no-install-recommends" in words
    assert "rm -rf /var/lib/apt/lists/*" in apt[0]


def test_dockerfile_installs_the_project_with_pip_within_the_tested_versions():
    assert any(re.search(r"pip install --no-cache-dir -c constraints\.txt \.(\s|$)", run) for run in runs())
    copies = [arguments.split() for keyword, arguments in dockerfile() if keyword == "COPY"]
    assert any("constraints.txt" in words[:-1] for words in copies), "copy constraints.txt before pip runs"


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_dependency_has_a_tested_version_in_constraints():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"].values()
    wanted = project["dependencies"] + [requirement for group in extras for requirement in group]
    pinned = {
        _name(line): line.split("==", 1)[1]
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {_name(r) for r in wanted} - set(pinned) == set(), "pin each new dependency in constraints.txt"


def test_dockerfile_collects_static_files_with_production_settings():
    (collect,) = [run for run in runs() if "collectstatic" in run]
    words = shlex.split(collect)
    assert "--noinput" in words or "--no-input" in words
    assignments = dict(word.split("=", 1) for word in words[: words.index("python")] if "=" in word)
    assert assignments.get("SECRET_KEY")
    assert environ.Env.parse_value(assignments["DEBUG"], bool) is False


def test_dockerfile_cmd_runs_gunicorn_with_the_wsgi_application():
    (cmd,) = [arguments for keyword, arguments in dockerfile() if keyword == "CMD"]
    argv = instruction_args(cmd)
    assert "coprod.wsgi:application" in argv
    assert check_entry_point(argv) == ("gunicorn", "coprod.wsgi:application")


def test_dockerfile_runs_the_app_as_a_non_root_user():
    users = [arguments for keyword, arguments in dockerfile() if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    last_user = max(i for i, (keyword, _) in enumerate(dockerfile()) if keyword == "USER")
    assert all(keyword != "RUN" for keyword, _ in dockerfile()[last_user:]), "RUN after USER"


def test_dockerfile_lets_the_app_user_write_to_media_root():
    user = [arguments for keyword, arguments in dockerfile() if keyword == "USER"][-1].split(":")[0]
    media_root = container_environment("worker")["MEDIA_ROOT"]
    assert any("chown" in run and user in run and media_root in run for run in runs())


def test_dockerfile_copy_sources_exist_in_the_repository():
    sources = copy_sources()
    assert sources
    for source in sources:
        assert (ROOT / source).exists() or list(ROOT.glob(source)), f"COPY {source}: no such path"


def test_dockerfile_copy_sources_are_not_dockerignored():
    for source in copy_sources():
        if source not in (".", "./"):
            assert not ignored(source), f"COPY {source} but .dockerignore leaves it out"


# --- .dockerignore ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    ".venv/bin/python", ".git/HEAD", "db.sqlite3", "media/reports/report.pdf",
    "staticfiles/css/coprod.css", "coprod/__pycache__/settings.cpython-311.pyc",
    ".pytest_cache/README.md", "tests/test_compose.py", "node_modules/bootstrap/package.json", ".env",
])
def test_dockerignore_keeps_local_state_and_tests_out_of_the_image(path):
    assert ignored(path)


def test_dockerignore_keeps_everything_the_image_needs():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    needed = ["manage.py", "pyproject.toml"]
    readme = pyproject["project"].get("readme")
    if isinstance(readme, str) and (ROOT / readme).exists():
        needed.append(readme)
    packages = [name.rstrip("*") for name in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]]
    for top in (*packages, "static", "templates"):
        needed += [
            str(path.relative_to(ROOT)) for path in (ROOT / top).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        ]
    assert "coprod/wsgi.py" in needed
    left_out = [path for path in needed if ignored(path)]
    assert not left_out


# --- compose: site address, time zone, errors, object storage; .env.example -------------------------


def test_site_url_time_zone_and_error_settings_reach_the_app():
    env = container_environment("web", SITE_URL="https://coprod.example.org", TIME_ZONE="Europe/Dublin",
                                ADMINS="Ops <ops@example.org>", SENTRY_DSN="")
    assert env["SITE_URL"] == "https://coprod.example.org" and env["TIME_ZONE"] == "Europe/Dublin"
    assert env["ADMINS"] == "Ops <ops@example.org>" and env["EMAIL_TIMEOUT"] == "30"
    assert {"NOTIFY_API_KEY", "STORAGE_BUCKET", "STORAGE_URL", "SENTRY_DSN"} <= set(env)


def test_minio_is_optional_and_healthy_once_ready():
    minio = service("minio")
    assert minio["profiles"] == ["minio"]
    assert "minio" not in depends_on("web")
    assert minio["healthcheck"]["test"] == ["CMD", "mc", "ready", "local"]
    assert set(volume_targets("minio")) & set(compose()["volumes"])


def _settings_variables() -> set[str]:
    text = (ROOT / "coprod" / "settings.py").read_text()
    return set(re.findall(r'(?:env\.\w+|_env_or_fail|env_bool)\(\s*"([A-Z][A-Z0-9_]+)"', text))


def test_env_example_lists_every_variable_the_settings_and_compose_read():
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    from_compose = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", (ROOT / "docker-compose.yml").read_text()))
    read = _settings_variables() | from_compose
    assert {"SECRET_KEY", "DATABASE_URL", "SITE_URL", "STORAGE_BUCKET", "SENTRY_DSN"} <= read
    assert read - listed == set(), "add them to .env.example with their meaning"
