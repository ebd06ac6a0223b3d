"""Start-up settings that keep work safe when things go wrong: SQLite waits for its turn to
write, PostgreSQL connections are checked before reuse, task time limits and the broker's
redelivery agree, and beat sweeps reports."""

from .test_settings import _manage


def _last_line(result) -> list[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()[-1].split()


def test_sqlite_waits_for_the_write_lock_and_runs_in_wal_mode(tmp_path):
    result = _manage(
        "shell", "-c",
        "from django.db import connection as c; o = c.settings_dict['OPTIONS']; "
        "cursor = c.cursor(); cursor.execute('PRAGMA journal_mode'); "
        "print(o['timeout'], o['transaction_mode'], cursor.fetchone()[0], "
        "c.settings_dict['CONN_HEALTH_CHECKS'])",
        DATABASE_URL=f"sqlite:///{tmp_path / 'coprod.sqlite3'}",
    )
    assert _last_line(result) == ["20", "IMMEDIATE", "wal", "False"]


def test_postgresql_connections_are_health_checked_and_give_up_connecting_after_five_seconds():
    result = _manage(
        "shell", "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_HEALTH_CHECKS'], d['CONN_MAX_AGE'], d['OPTIONS']['connect_timeout'], "
        "'transaction_mode' in d['OPTIONS'])",
        DATABASE_URL="postgres://coprod@db.example.org:5432/coprod", CONN_MAX_AGE="60",
    )
    assert _last_line(result) == ["True", "60", "5", "False"]


def test_time_limits_redelivery_and_the_report_sweep_come_from_the_environment():
    result = _manage(
        "shell", "-c",
        "from django.conf import settings as s; "
        "print(s.CELERY_TASK_TIME_LIMIT, s.CELERY_TASK_SOFT_TIME_LIMIT, "
        "s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], "
        "s.CELERY_BEAT_SCHEDULE['sweep-reports']['schedule'], s.REPORTS_RESEND_AFTER)",
        TASK_TIME_LIMIT="100", BROKER_VISIBILITY_TIMEOUT="130", REPORTS_SWEEP_SECONDS="5",
        REPORTS_RESEND_AFTER="90",
    )
    assert _last_line(result) == ["100", "80", "130", "5", "90"]


def test_a_redelivery_timeout_shorter_than_the_time_limit_stops_start_up():
    result = _manage("check", TASK_TIME_LIMIT="600", BROKER_VISIBILITY_TIMEOUT="300")
    assert result.returncode != 0
    assert "BROKER_VISIBILITY_TIMEOUT (300) must be longer than TASK_TIME_LIMIT (600)" in result.stderr
