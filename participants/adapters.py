from contextlib import nullcontext
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from coprod import notify
from coprod.i18n import in_language
from coprod.models import Organisation

from . import lockout


class AccountAdapter(DefaultAccountAdapter):
    """Nobody registers themselves: accounts come only from a staff invitation.

    Sign-in lock-out (see `participants.lockout`): wrong passwords are limited per
    internet address and per account, a browser where the account signed in before
    is counted apart from everyone else, and a refused sign-in says for how long."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Too many wrong codes, or too many tries of anything else allauth limits.
        "too_many_login_attempts": _("Too many wrong tries. Ask for a new sign-in code, "
                                     "or wait a few minutes and try again."),
        "rate_limited": _("You have asked too many times in a short while. "
                          "Wait a minute, then try again."),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        return f"{Organisation.current().name}: {subject}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count this password attempt, or refuse it saying for how long.

        As allauth's own, but a known device has its own per-account count, so
        someone else's wrong passwords cannot keep the owner out there; the limit
        per internet address applies to everyone."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        device = lockout.known_device(request, credentials.get("email") or "")
        if device:
            key = f"{key}:device:{device}"
        # allauth rolls this usage back when the password turns out right.
        self._login_failed_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed", key=key
        )
        if not self._login_failed_rl_usage:
            lock = lockout.current_lock(request, action="login_failed", key=key)
            raise ValidationError(lockout.wrong_passwords_message(lock), code="too_many_login_attempts")

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse:
        response = super().post_login(request, user, **kwargs)
        lockout.remember_device(request, response, email=user.email)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Sign-in codes, password resets and account notices go through the outbox like
        every other e-mail. They hold codes and links that open an account, so their
        text is removed from the outbox once sent. Written in the language the person chose, if
        they did, whatever language the browser asking for it uses."""
        request = allauth_context.request
        user = context.get("user")
        known = user if isinstance(user, get_user_model()) else (
            get_user_model().objects.filter(email__iexact=email).first())
        chosen = getattr(known, "language", "")
        with in_language(chosen) if chosen else nullcontext():
            message = self.render_mail(template_prefix, email, {
                "request": request, "email": email, "current_site": get_current_site(request), **context,
            })
        alternatives = getattr(message, "alternatives", [])  # plain EmailMessage when only HTML exists
        html = next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
        notify.email_queue(
            kind=f"account_{template_prefix.rsplit('/', 1)[-1]}", to=message.to, subject=message.subject,
            body=message.body, html_body=html, secret=True,
            user=user if isinstance(user, get_user_model()) and user.pk else None,
        )
