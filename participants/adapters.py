from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.auth import get_user_model
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest

from coprod import notify
from coprod.models import Organisation


class AccountAdapter(DefaultAccountAdapter):
    """Nobody registers themselves: accounts come only from a staff invitation."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        return f"{Organisation.current().name}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Sign-in codes, password resets and account notices go through the outbox like
        every other e-mail. They hold codes and links that open an account, so their
        text is removed from the outbox once sent."""
        request = allauth_context.request
        message = self.render_mail(template_prefix, email, {
            "request": request, "email": email, "current_site": get_current_site(request), **context,
        })
        alternatives = getattr(message, "alternatives", [])  # plain EmailMessage when only HTML exists
        html = next((content for content, mimetype in alternatives if mimetype == "text/html"), "")
        user = context.get("user")
        notify.email_queue(
            kind=f"account_{template_prefix.rsplit('/', 1)[-1]}", to=message.to, subject=message.subject,
            body=message.body, html_body=html, secret=True,
            user=user if isinstance(user, get_user_model()) and user.pk else None,
        )
