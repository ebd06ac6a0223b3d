"""Start-up configuration comes from the environment and fails loudly when wrong."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "False",
    "SECRET_KEY": "x7Kp2vQ9mZ4rT8wB1nY6cF3hJ5dL0sA-gE2uI9oP7kR4tW1zX8vN6bM3qS5yH0jD",
    "ALLOWED_HOSTS": "coprod.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://coprod.example.org",
    "DATABASE_URL": "sqlite:////tmp/coprod-settings-test.sqlite3",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS",
                          "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_start_up_fails_with_a_clear_message_when_debug_is_off_and_secret_key_is_missing():
    result = _manage("check", DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_malformed_environment_value_fails_start_up_naming_the_variable():
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr and "bad value" in result.stderr


def test_a_bad_trusted_proxy_count_fails_start_up_naming_the_variable():
    for value in ("two", "-1"):
        result = _manage("check", TRUSTED_PROXY_COUNT=value)
        assert result.returncode != 0
        assert "TRUSTED_PROXY_COUNT has a bad value" in result.stderr, result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_values_switch_on_secure_cookies_hsts_and_https(settings):
    result = _manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.EMAIL_BACKEND, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "True", "True", "True", "31536000", "django.core.mail.backends.smtp.EmailBackend", "[\"'self'\"]",
    ]


def test_embedded_default_uses_sqlite_in_process_tasks_and_console_email():
    result = _manage(
        "shell", "-c",
        "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.sqlite3", "True", "django.core.mail.backends.console.EmailBackend",
    ]


def test_responses_carry_a_content_security_policy(client, db):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_static_files_collect_for_production(tmp_path):
    """The manifest storage used when DEBUG is off must find every file the CSS and JS refer to."""
    result = _manage("collectstatic", "--noinput", STATIC_ROOT=str(tmp_path), **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
