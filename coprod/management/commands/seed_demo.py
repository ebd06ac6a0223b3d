from django.conf import settings
from django.core.management.base import BaseCommand
from django.core.management.base import CommandError

from coprod.demo import DEMO_LOGINS
from coprod.demo import DEMO_PASSWORD
from coprod.demo import seed_demo


class Command(BaseCommand):
    help = "Load the demo organisation (idempotent). Refuses to run when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password, so it only runs "
                "with DEBUG on. It must never be used on a production site."
            )
        seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo organisation ready. Sign in with:"))
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<8} {email:<24} password: {DEMO_PASSWORD}")
