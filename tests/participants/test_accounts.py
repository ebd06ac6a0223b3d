"""Signing in: e-mail logins, codes by e-mail, rate limiting, closed sign-up, role homes."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from .factories import PASSWORD
from .factories import PartnerWithLoginFactory
from .factories import StaffFactory
from .factories import TrusteeFactory
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.mark.parametrize(
    ("make_user", "home"),
    [
        (StaffFactory, "coprod:staff_home"),
        (TrusteeFactory, "coprod:dashboard"),
        (lambda: PartnerWithLoginFactory().user, "participants:portal_home"),
    ],
    ids=["staff", "trustee", "partner"],
)
def test_each_role_signs_in_with_email_and_lands_on_its_home(client, make_user, home):
    user = make_user()
    response = _sign_in(client, user.email)
    assert response.status_code == 302
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(home)
    assert response.status_code == 200


def test_email_login_ignores_letter_case(client):
    StaffFactory(email="amira@example.test")
    response = _sign_in(client, "Amira@Example.TEST")
    assert response.status_code == 302
    assert client.get(reverse("coprod:staff_home")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client):
    StaffFactory(email="amira@example.test")
    response = _sign_in(client, "amira@example.test", "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failed_logins_are_rate_limited(client):
    StaffFactory(email="amira@example.test")
    for _ in range(5):
        _sign_in(client, "amira@example.test", "wrong")
    response = _sign_in(client, "amira@example.test", PASSWORD)
    assert "Too many wrong passwords for this account. Try again in 5 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_person_with_several_roles_goes_to_the_staff_portal_and_sees_every_portal_in_the_menu(client):
    user = StaffFactory(is_trustee=True)
    PartnerWithLoginFactory(user=user)
    client.force_login(user)
    assert client.get(reverse("home")).url == reverse("coprod:staff_home")
    page = client.get(reverse("coprod:staff_home")).content.decode()
    for label in ("Staff portal", "Dashboard", "My page"):
        assert label in page


def test_a_login_without_any_role_is_told_so(client):
    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "no access yet" in response.content.decode()


def test_sign_up_is_closed_and_creates_no_account(client):
    page = client.get(reverse("account_signup"))
    assert "Joining is by invitation" in page.content.decode()
    client.post(reverse("account_signup"), {
        "email": "stranger@example.test",
        "password1": "a-strong-passphrase-1",
        "password2": "a-strong-passphrase-1",
    })
    assert not get_user_model().objects.filter(email="stranger@example.test").exists()


def test_sign_in_page_offers_no_sign_up_link(client):
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_signup") not in page
    assert "by invitation" in page


def test_partner_signs_in_with_a_code_sent_by_email(client, django_capture_on_commit_callbacks):
    partner = PartnerWithLoginFactory(user__email="pat@example.test")
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves once the request commits
        response = client.post(reverse("account_request_login_code"), {"email": "pat@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    code = re.search(r"^\s*(\d{6})\s*$", mail.outbox[0].body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == partner.user.pk


def test_password_reset_sends_a_link(client, django_capture_on_commit_callbacks):
    StaffFactory(email="amira@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "amira@example.test"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_signing_out_ends_the_session(staff_client):
    response = staff_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert staff_client.get(reverse("coprod:staff_home")).status_code == 302


def test_staff_flag_does_not_open_the_django_admin(staff_client):
    assert staff_client.get(reverse("admin:index")).status_code == 302


def test_account_emails_come_from_the_organisation(client, django_capture_on_commit_callbacks):
    from coprod.models import Organisation

    Organisation.objects.update_or_create(pk=1, defaults={"name": "Riverside Law Centre"})
    StaffFactory(email="amira@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "amira@example.test"})
    assert mail.outbox[0].subject.startswith("Riverside Law Centre: ")
    assert "Hello from Riverside Law Centre" in mail.outbox[0].body
