from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from coprod.models import Organisation


class AccountAdapter(DefaultAccountAdapter):
    """Nobody registers themselves: accounts come only from a staff invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        return f"{Organisation.current().name}: {subject}"
