"""Sign-in lock-out that protects accounts without locking their owners out.

allauth counts wrong passwords under its "login_failed" rate limit
(`ACCOUNT_RATE_LIMITS`): per internet address ("ip") and per account ("key").
Anyone who knows an e-mail address can use up an account's allowance, so:

- a browser where the account signed in before (a *known device*: a signed,
  long-lived cookie) is counted under a key of its own, and a lock someone
  else caused does not stop its owner's correct password there;
- a refused sign-in says which limit it hit and for how long, in minutes;
- signing in with an e-mailed code never counts against the password limits:
  asking for codes has its own ("request_login_code").
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.http import HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import ngettext

# --- Known devices ---------------------------------------------------------

KNOWN_DEVICE_COOKIE = "coprod_device"
KNOWN_DEVICE_SALT = "coprod.participants.known-device"
KNOWN_DEVICE_MAX_AGE = 365 * 24 * 60 * 60  # a year from the last sign-in on that browser
# A shared computer (a drop-in centre, a family laptop) remembers this many accounts at most.
KNOWN_DEVICE_MAX_ACCOUNTS = 10


def _account_digest(email: str) -> str:
    """The cookie names accounts by a keyed digest of their e-mail address, so the
    addresses cannot be read from a shared computer's cookies (signing is not encryption)."""
    return salted_hmac(KNOWN_DEVICE_SALT, email.strip().lower()).hexdigest()[:32]


def _read_device(request: HttpRequest) -> dict | None:
    raw = request.COOKIES.get(KNOWN_DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=KNOWN_DEVICE_SALT, max_age=KNOWN_DEVICE_MAX_AGE)
    except signing.BadSignature:  # tampered, forged or older than a year
        return None
    if (not isinstance(data, dict) or not isinstance(data.get("device"), str)
            or not isinstance(data.get("accounts"), list)):
        return None
    return data


def known_device(request: HttpRequest, email: str) -> str | None:
    """This browser's device id if the account with `email` has signed in on it, else None."""
    data = _read_device(request)
    if data is None or not email or _account_digest(email) not in data["accounts"]:
        return None
    return data["device"]


def remember_device(request: HttpRequest, response: HttpResponse, *, email: str) -> None:
    """After a successful sign-in, mark this browser as a known device for that account."""
    data = _read_device(request) or {"device": secrets.token_urlsafe(16), "accounts": []}
    digest = _account_digest(email)
    accounts = [digest] + [a for a in data["accounts"] if a != digest]
    value = signing.dumps({"device": data["device"], "accounts": accounts[:KNOWN_DEVICE_MAX_ACCOUNTS]},
                          salt=KNOWN_DEVICE_SALT, compress=True)
    response.set_cookie(KNOWN_DEVICE_COOKIE, value, max_age=KNOWN_DEVICE_MAX_AGE, httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")


# --- How long a lock lasts --------------------------------------------------


@dataclass(frozen=True)
class Lock:
    per: str  # "key": this account (or e-mail address); "ip": this internet address
    seconds: float

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def current_lock(request: HttpRequest, *, action: str, key: str) -> Lock | None:
    """The longest of `action`'s limits now used up for this request and key, or None.

    Reads the same counters allauth keeps: a list of attempt times, newest first,
    per limit. A limit of N per period frees up when the N-th newest attempt is
    older than the period."""
    now = time.time()
    longest = None
    for rate in ratelimit.get_rates(app="allauth.account", action=action):
        cache_key = ratelimit.get_cache_key(request, app="allauth.account", action=action,
                                            rate=rate, key=key)
        recent = sorted((t for t in cache.get(cache_key, []) if t > now - rate.duration), reverse=True)
        if len(recent) >= rate.amount:
            seconds = recent[rate.amount - 1] + rate.duration - now
            if longest is None or seconds > longest.seconds:
                longest = Lock(per=rate.per, seconds=seconds)
    return longest


def _in_minutes(lock: Lock | None) -> str:
    minutes = lock.minutes if lock else 1
    return ngettext("in %(n)d minute", "in %(n)d minutes", minutes) % {"n": minutes}


def wrong_passwords_message(lock: Lock | None) -> str:
    if lock is not None and lock.per == "key":
        text = gettext("Too many wrong passwords for this account. Try again %(when)s, "
                       "or e-mail yourself a sign-in code.")
    elif lock is not None and lock.per == "ip":
        text = gettext("Too many wrong passwords have been tried from your internet connection. "
                       "Try again %(when)s, or e-mail yourself a sign-in code.")
    else:  # another sign-in for this account was being checked at the same moment
        text = gettext("Too many sign-in attempts at once. Try again %(when)s, "
                       "or e-mail yourself a sign-in code.")
    return text % {"when": _in_minutes(lock)}


def login_code_requests_message(lock: Lock | None) -> str:
    if lock is not None and lock.per == "ip":
        text = gettext("Too many sign-in codes have been asked for from your internet connection. "
                       "Try again %(when)s.")
    else:
        text = gettext("We have sent several sign-in codes to this address in a short time. "
                       "Use the newest one in your e-mail, or ask for another %(when)s.")
    return text % {"when": _in_minutes(lock)}
