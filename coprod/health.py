"""Probes of the components the application depends on."""

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "unreachable" to the probe
        return "unreachable"
    return "ok"


def broker_status() -> str:
    if not settings.REDIS_URL:
        return "not configured (tasks run in the web process)"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError:
        return "unreachable"
    return "ok"
