"""Sign-in lock-out: limits per account and per internet address, a lock that says
for how long, known devices and e-mailed codes that get the owner past a lock
someone else caused, and the plain-English "too many requests" page."""

import re
import time

import pytest
from django.core import mail
from django.core import signing
from django.test import Client
from django.test import TestCase
from django.urls import reverse

from participants import lockout

from .factories import PASSWORD
from .factories import PartnerWithLoginFactory
from .factories import StaffFactory

pytestmark = pytest.mark.django_db

OWNER_ADDRESS = "203.0.113.10"
ATTACKER_ADDRESS = "198.51.100.7"
ACCOUNT_LOCKED = "Too many wrong passwords for this account."
OR_CODE = "or e-mail yourself a sign-in code."


@pytest.fixture
def clock(monkeypatch):
    """Stands still until told to move on, for everything that reads `time.time()`
    (the rate-limit counters and the cache that keeps them)."""

    class Clock:
        now = time.time()

        def advance(self, seconds: float) -> None:
            self.now += seconds

    clock = Clock()
    monkeypatch.setattr(time, "time", lambda: clock.now)
    return clock


def _sign_in(client, email: str, password: str = PASSWORD, address: str = OWNER_ADDRESS, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password},
                       REMOTE_ADDR=address, **headers)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _known_device(email: str) -> Client:
    """A browser on which `email`'s owner signed in (and out again)."""
    browser = Client()
    assert _sign_in(browser, email).status_code == 302
    browser.post(reverse("account_logout"))
    assert not _signed_in(browser)
    return browser


def _lock_out(email: str, *, address: str = ATTACKER_ADDRESS, client: Client | None = None, tries: int = 5):
    client = client or Client()
    for _ in range(tries):
        _sign_in(client, email, "a-guess", address=address)
    return client


# --- Per account ------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_and_the_page_says_for_how_long(clock):
    StaffFactory(email="amira@example.test")
    client = _lock_out("amira@example.test")

    response = _sign_in(client, "amira@example.test")  # even the right password now waits
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{ACCOUNT_LOCKED} Try again in 5 minutes, {OR_CODE}" in page
    assert reverse("account_request_login_code") in page
    assert not _signed_in(client)

    clock.advance(61)
    assert "Try again in 4 minutes," in _sign_in(client, "amira@example.test").content.decode()
    clock.advance(3 * 60)
    assert "Try again in 1 minute," in _sign_in(client, "amira@example.test").content.decode()
    clock.advance(60)
    assert _sign_in(client, "amira@example.test").status_code == 302
    assert _signed_in(client)


def test_the_lock_follows_the_account_whatever_address_the_wrong_passwords_came_from():
    StaffFactory(email="amira@example.test")
    for n in range(5):
        _sign_in(Client(), "amira@example.test", "a-guess", address=f"192.0.2.{n + 1}")
    new_browser = Client()
    response = _sign_in(new_browser, "amira@example.test", address=OWNER_ADDRESS)
    assert ACCOUNT_LOCKED in response.content.decode()
    assert not _signed_in(new_browser)


def test_a_lock_on_one_account_leaves_other_accounts_alone():
    StaffFactory(email="amira@example.test")
    StaffFactory(email="ben@example.test")
    client = _lock_out("amira@example.test", address=OWNER_ADDRESS)
    assert _sign_in(client, "ben@example.test", address=OWNER_ADDRESS).status_code == 302


def test_a_right_password_before_the_limit_does_not_reset_the_count_for_an_attacker():
    """allauth gives back only the attempt that succeeded, so signing in between
    guesses cannot be used to keep guessing for ever."""
    StaffFactory(email="amira@example.test")
    client = _lock_out("amira@example.test", tries=4)
    assert _sign_in(Client(), "amira@example.test").status_code == 302
    _sign_in(client, "amira@example.test", "a-guess", address=ATTACKER_ADDRESS)
    assert ACCOUNT_LOCKED in _sign_in(client, "amira@example.test", address=ATTACKER_ADDRESS).content.decode()


# --- Per internet address ---------------------------------------------------


def test_wrong_passwords_for_many_accounts_from_one_address_are_stopped(clock):
    accounts = [StaffFactory(email=f"person{n}@example.test") for n in range(11)]
    attacker = Client()
    for account in accounts[:10]:  # one guess each: no account reaches its own limit
        _sign_in(attacker, account.email, "a-guess", address=ATTACKER_ADDRESS)

    response = _sign_in(attacker, accounts[10].email, address=ATTACKER_ADDRESS)
    assert ("Too many wrong passwords have been tried from your internet connection. "
            f"Try again in 1 minute, {OR_CODE}") in response.content.decode()
    assert not _signed_in(attacker)

    # Someone else, elsewhere, signs in as usual; the address is free again a minute later.
    assert _sign_in(Client(), accounts[10].email, address=OWNER_ADDRESS).status_code == 302
    clock.advance(61)
    assert _sign_in(attacker, accounts[10].email, address=ATTACKER_ADDRESS).status_code == 302


def test_behind_a_proxy_each_visitor_is_counted_by_the_address_the_proxy_forwards(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    accounts = [StaffFactory(email=f"person{n}@example.test") for n in range(11)]
    proxy = "10.0.0.2"
    for account in accounts[:10]:
        _sign_in(Client(), account.email, "a-guess", address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER_ADDRESS)
    owner = Client()
    _sign_in(owner, accounts[10].email, address=proxy, HTTP_X_FORWARDED_FOR=OWNER_ADDRESS)
    assert _signed_in(owner)
    attacker = Client()
    response = _sign_in(attacker, accounts[10].email, address=proxy, HTTP_X_FORWARDED_FOR=ATTACKER_ADDRESS)
    assert "from your internet connection" in response.content.decode()
    assert not _signed_in(attacker)


# --- Known devices ----------------------------------------------------------


def test_a_known_device_signs_in_with_the_right_password_while_someone_else_locked_the_account():
    StaffFactory(email="amira@example.test")
    laptop = _known_device("amira@example.test")
    _lock_out("amira@example.test", tries=8)
    assert ACCOUNT_LOCKED in _sign_in(Client(), "amira@example.test").content.decode()

    response = _sign_in(laptop, "amira@example.test")
    assert response.status_code == 302
    assert _signed_in(laptop)


def test_an_attacker_on_another_address_cannot_lock_out_the_owners_known_device(clock):
    """However long they keep guessing, from however many addresses."""
    StaffFactory(email="amira@example.test")
    laptop = _known_device("amira@example.test")
    for minute in range(10):
        for n in range(3):
            _lock_out("amira@example.test", address=f"198.51.100.{n + 1}", tries=4)
        clock.advance(60)
        assert _sign_in(laptop, "amira@example.test").status_code == 302, f"locked out after {minute} min"
        laptop.post(reverse("account_logout"))


def test_wrong_passwords_on_a_known_device_are_limited_there_too():
    StaffFactory(email="amira@example.test")
    laptop = _known_device("amira@example.test")
    _lock_out("amira@example.test", address=OWNER_ADDRESS, client=laptop)
    response = _sign_in(laptop, "amira@example.test")
    assert f"{ACCOUNT_LOCKED} Try again in 5 minutes" in response.content.decode()
    assert not _signed_in(laptop)
    # That lock is the laptop's own: a new browser is not stopped by it.
    assert _sign_in(Client(), "amira@example.test").status_code == 302


def test_a_device_known_for_one_account_gets_no_way_round_the_lock_of_another():
    StaffFactory(email="amira@example.test")
    StaffFactory(email="mallory@example.test")
    attackers_browser = _known_device("mallory@example.test")
    _lock_out("amira@example.test", client=attackers_browser)
    response = _sign_in(attackers_browser, "amira@example.test", address=ATTACKER_ADDRESS)
    assert ACCOUNT_LOCKED in response.content.decode()
    assert not _signed_in(attackers_browser)


def test_a_forged_or_altered_device_cookie_counts_for_nothing():
    StaffFactory(email="amira@example.test")
    laptop = _known_device("amira@example.test")
    _lock_out("amira@example.test")
    stolen = laptop.cookies[lockout.KNOWN_DEVICE_COOKIE].value
    for value in (stolen[:-2] + "xx", "eyJkZXZpY2UiOiAiYSIsICJhY2NvdW50cyI6IFtdfQ"):
        forger = Client()
        forger.cookies[lockout.KNOWN_DEVICE_COOKIE] = value
        assert ACCOUNT_LOCKED in _sign_in(forger, "amira@example.test").content.decode()


def test_the_device_cookie_is_long_lived_hidden_from_scripts_and_does_not_show_the_address():
    StaffFactory(email="amira@example.test")
    response = _sign_in(Client(), "amira@example.test")
    cookie = response.cookies[lockout.KNOWN_DEVICE_COOKIE]
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # Signed, not encrypted: what it holds can be read, so it holds no e-mail address.
    held = signing.loads(cookie.value, salt=lockout.KNOWN_DEVICE_SALT)
    assert set(held) == {"device", "accounts"} and len(held["accounts"]) == 1
    assert "amira" not in str(held)


def test_one_browser_remembers_each_account_signed_in_on_it():
    StaffFactory(email="amira@example.test")
    PartnerWithLoginFactory(user__email="pat@example.test")
    shared = _known_device("amira@example.test")
    assert _sign_in(shared, "pat@example.test").status_code == 302
    shared.post(reverse("account_logout"))
    _lock_out("amira@example.test")
    _lock_out("pat@example.test")
    assert _sign_in(shared, "amira@example.test").status_code == 302
    shared.post(reverse("account_logout"))
    assert _sign_in(shared, "pat@example.test").status_code == 302


# --- E-mailed codes ---------------------------------------------------------


def _ask_for_code(client, email: str, address: str = OWNER_ADDRESS):
    # The code leaves through the outbox once the request's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("account_request_login_code"), {"email": email}, REMOTE_ADDR=address)


def test_signing_in_with_an_emailed_code_is_not_stopped_by_the_password_lock():
    partner = PartnerWithLoginFactory(user__email="pat@example.test")
    _lock_out("pat@example.test")
    browser = Client()
    assert ACCOUNT_LOCKED in _sign_in(browser, "pat@example.test").content.decode()

    assert _ask_for_code(browser, "pat@example.test").status_code == 302
    code = re.search(r"^\s*(\d{6})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = browser.post(reverse("account_confirm_login_code"), {"code": code}, REMOTE_ADDR=OWNER_ADDRESS)
    assert response.status_code == 302
    assert int(browser.session["_auth_user_id"]) == partner.user.pk
    # ...and that browser is now a known device for the partner's password too.
    browser.post(reverse("account_logout"))
    assert _sign_in(browser, "pat@example.test").status_code == 302


def test_asking_for_codes_has_its_own_limit_and_says_when_to_ask_again(clock):
    """Counted per address whichever browser asks (a browser waiting for its code
    is sent back to the page to type it in, so each ask here is a new browser)."""
    PartnerWithLoginFactory(user__email="pat@example.test")
    for _ in range(3):
        assert _ask_for_code(Client(), "pat@example.test").status_code == 302
    response = _ask_for_code(Client(), "pat@example.test")
    assert response.status_code == 200
    assert ("We have sent several sign-in codes to this address in a short time. "
            "Use the newest one in your e-mail, or ask for another in 1 minute.") in response.content.decode()
    assert len(mail.outbox) == 3


def test_codes_are_limited_per_hour_so_six_digits_cannot_be_worn_down(clock):
    PartnerWithLoginFactory(user__email="pat@example.test")
    for _ in range(12):
        assert _ask_for_code(Client(), "pat@example.test").status_code == 302
        clock.advance(61)
    response = _ask_for_code(Client(), "pat@example.test")
    # The first of the twelve was asked for 732 seconds ago: an hour after it is 48 minutes away.
    assert "ask for another in 48 minutes." in response.content.decode()
    assert len(mail.outbox) == 12


def test_too_many_code_requests_from_one_address_are_stopped(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "request_login_code": "2/m/ip,3/m/key"}
    for n in range(2):
        assert _ask_for_code(Client(), f"person{n}@example.test", address=ATTACKER_ADDRESS).status_code == 302
    response = _ask_for_code(Client(), "pat@example.test", address=ATTACKER_ADDRESS)
    assert ("Too many sign-in codes have been asked for from your internet connection. "
            "Try again in 1 minute.") in response.content.decode()


# --- The "too many requests" page -------------------------------------------


def test_too_many_sign_in_requests_get_a_plain_english_page_in_the_site_layout(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    StaffFactory(email="amira@example.test")
    client = Client()
    for _ in range(2):
        _sign_in(client, "amira@example.test", "a-guess")
    response = _sign_in(client, "amira@example.test")

    assert response.status_code == 429
    assert [t.name for t in response.templates][:2] == ["429.html", "base.html"]
    page = response.content.decode()
    assert "<title>Too many tries" in page and "<h1>Please wait a minute</h1>" in page
    assert "paused it for a minute" in page and "Nothing has been changed or sent." in page
    assert reverse("account_request_login_code") in page and reverse("account_login") in page
    assert "Too Many Requests" not in page
    assert not _signed_in(client)


def test_a_signed_in_person_who_is_rate_limited_gets_the_same_page_pointing_home(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "change_password": "1/m/user"}
    user = StaffFactory()
    client = Client()
    client.force_login(user)
    data = {"oldpassword": "a-guess", "password1": "x", "password2": "x"}
    client.post(reverse("account_change_password"), data)
    response = client.post(reverse("account_change_password"), data)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait a minute" in page and reverse("home") in page
    assert reverse("account_login") not in page.split("<main", 1)[1]
