from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from coprod.tasks import worker_status


class Command(BaseCommand):
    help = "Send a task to the Celery workers and wait for an answer (checks REDIS_URL deployments)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds to wait.")

    def handle(self, *args, timeout: float, **options):
        if not settings.REDIS_URL:
            self.stdout.write("REDIS_URL is not set: tasks run inside the web process, no workers needed.")
        try:
            answer = worker_status.delay().get(timeout=timeout)
        except CeleryTimeoutError as exc:
            raise CommandError(f"No worker answered within {timeout:g} seconds.") from exc
        self.stdout.write(
            f"Worker {answer['hostname']} answered: database {answer['database']}, "
            f"{answer['partners']} partner records."
        )
