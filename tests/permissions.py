"""The permission matrix: every URL of the project × every role.

Each `Page` declares what every role gets from a GET of one URL (or, for
actions, a POST of `data`). The matrix
test checks each cell; the coverage test fails when a URL pattern exists that
no row declares; the browser sweep visits every cell that answers OK.

Roles, in the order of each row's `expect` tuple:
anonymous, partner, other_partner (a second partner who must never see the
first partner's records), trustee, staff.
"""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

ROLES = ("anonymous", "partner", "other_partner", "trustee", "staff")

OK = 200
LOGIN = "login"  # redirected to the sign-in page
REDIRECT = 302  # redirected somewhere else (e.g. a signed-in user visiting the sign-in page)
FORBIDDEN = 403
NOT_FOUND = 404

# Rows used again and again.
STAFF_ONLY = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)
STAFF_AND_TRUSTEES = (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)
PARTNERS_ONLY = (LOGIN, OK, OK, FORBIDDEN, FORBIDDEN)
SIGNED_IN = (LOGIN, OK, OK, OK, OK)
EVERYONE = (OK, OK, OK, OK, OK)
ANONYMOUS_ONLY = (OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT)
# A partner's own record (theirs only; staff use the staff pages), and an action on it.
OWN_RECORD = (LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN)
OWN_RECORD_POST = (LOGIN, REDIRECT, NOT_FOUND, FORBIDDEN, FORBIDDEN)
# An action of staff.
STAFF_POST = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT)


def no_kwargs(world) -> dict:
    return {}


@dataclass(frozen=True)
class Page:
    name: str
    expect: tuple
    kwargs: Callable = field(default=no_kwargs)
    sweep: bool = True  # an HTML page the browser sweep audits
    method: str = "get"  # "post" for actions: posted with `data`
    data: Callable = field(default=no_kwargs)

    def expected(self, role: str):
        return self.expect[ROLES.index(role)]


PAGES = [
    # Core
    Page("home", (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT), sweep=False),
    Page("healthz", EVERYONE, sweep=False),
    # The language switcher: everyone may choose, and is sent back to the page they were on.
    Page("set_language", (REDIRECT,) * 5, sweep=False, method="post",
         data=lambda world: {"language": "en-gb", "next": "/"}),
    Page("coprod:staff_home", STAFF_ONLY),
    Page("coprod:dashboard", STAFF_AND_TRUSTEES),
    # Partner self-service
    Page("participants:portal_home", PARTNERS_ONLY),
    # Accounts (django-allauth)
    Page("account_login", ANONYMOUS_ONLY),
    Page("account_logout", (REDIRECT, OK, OK, OK, OK)),
    Page("account_signup", (OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT)),  # shows "by invitation"
    Page("account_inactive", EVERYONE),
    Page("account_reauthenticate", SIGNED_IN),
    Page("account_email", SIGNED_IN),
    Page("account_email_verification_sent", EVERYONE),
    Page("account_confirm_email", EVERYONE, kwargs=lambda world: {"key": "not-a-real-key"}),
    Page("account_change_password", SIGNED_IN),
    Page("account_set_password", (LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT), sweep=False),
    Page("account_reset_password", EVERYONE),
    Page("account_reset_password_done", EVERYONE),
    Page(
        "account_reset_password_from_key",
        EVERYONE,
        kwargs=lambda world: {"uidb36": "zz", "key": "not-a-real-key"},
    ),
    Page("account_reset_password_from_key_done", EVERYONE),
    Page("account_request_login_code", ANONYMOUS_ONLY),
    Page("account_confirm_login_code", (REDIRECT,) * 5, sweep=False),
    # Re-entering a code instead of a password: only inside a reauthentication started elsewhere.
    Page("account_request_reauthentication_code", (LOGIN,) + (REDIRECT,) * 4, sweep=False),
    Page("account_confirm_reauthentication_code", (LOGIN,) + (REDIRECT,) * 4, sweep=False),
]


def _app_pages() -> list:
    """Each app's tests declare their own rows in `tests/<app>/pages.py` (`PAGES`)."""
    import importlib

    pages = []
    for app in APPS_WITH_PAGES:
        pages += importlib.import_module(f"tests.{app}.pages").PAGES
    return pages


APPS_WITH_PAGES: list[str] = ["coprod", "participants", "ladder", "panels", "reciprocity"]
PAGES += _app_pages()

# The Django admin is for superusers only: every other role is sent to its sign-in page.
ADMIN_NAMESPACE = "admin"
