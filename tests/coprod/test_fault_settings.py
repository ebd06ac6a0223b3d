"""Start-up settings that keep work safe when things go wrong: SQLite waits for its turn to
write, PostgreSQL connections are checked before reuse, task time limits and the broker's
redelivery agree, and beat sweeps reports."""

import pytest

from .test_settings import _manage


@pytest.mark.parametrize(("code", "environment", "printed"), [
    pytest.param(
        "from django.db import connection as c; o = c.settings_dict['OPTIONS']; "
        "cursor = c.cursor(); cursor.execute('PRAGMA journal_mode'); "
        "print(o['timeout'], o['transaction_mode'], cursor.fetchone()[0], "
        "c.settings_dict['CONN_HEALTH_CHECKS'])",
        {"DATABASE_URL": "sqlite:///{tmp_path}/coprod.sqlite3"},
        ["20", "IMMEDIATE", "wal", "False"],
        id="SQLite waits for the write lock and runs in WAL mode",
    ),
    pytest.param(
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_HEALTH_CHECKS'], d['CONN_MAX_AGE'], d['OPTIONS']['connect_timeout'], "
        "'transaction_mode' in d['OPTIONS'])",
        {"DATABASE_URL": "postgres://coprod@db.example.org:5432/coprod", "CONN_MAX_AGE": "60"},
        ["True", "60", "5", "False"],
        id="PostgreSQL connections are health-checked and give up connecting after five seconds",
    ),
    pytest.param(
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_TIME_LIMIT, s.CELERY_TASK_SOFT_TIME_LIMIT, "
        "s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], "
        "s.CELERY_BEAT_SCHEDULE['sweep-reports']['schedule'], s.REPORTS_RESEND_AFTER)",
        {"TASK_TIME_LIMIT": "100", "BROKER_VISIBILITY_TIMEOUT": "130", "REPORTS_SWEEP_SECONDS": "5",
         "REPORTS_RESEND_AFTER": "90"},
        ["100", "80", "130", "5", "90"],
        id="time limits, redelivery and the report sweep come from the environment",
    ),
])
def test_a_start_up_setting_comes_out_as_configured(tmp_path, code, environment, printed):
    """`code`, run in `manage.py shell` started with `environment`, prints `printed` last."""
    environment = {name: value.format(tmp_path=tmp_path) for name, value in environment.items()}
    result = _manage("shell", "-c", code, **environment)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].split() == printed


def test_a_redelivery_timeout_shorter_than_the_time_limit_stops_start_up():
    result = _manage("check", TASK_TIME_LIMIT="600", BROKER_VISIBILITY_TIMEOUT="300")
    assert result.returncode != 0
    assert "BROKER_VISIBILITY_TIMEOUT (300) must be longer than TASK_TIME_LIMIT (600)" in result.stderr
