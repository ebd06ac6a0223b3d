from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody registers themselves: accounts come only from a staff invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
