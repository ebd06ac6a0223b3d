"""The sign-in screens, the code e-mail and allauth's messages speak plain English."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from .factories import PartnerWithLoginFactory

pytestmark = pytest.mark.django_db

JARGON = ("Remember Me", "Request Code", "Sign-In Code", "Sign In", "Successfully signed in")


def _text(response) -> str:
    return response.content.decode()


def test_the_sign_in_page_is_plain_english(client):
    page = _text(client.get(reverse("account_login")))
    assert "Keep me signed in on this device" in page
    assert "E-mail address" in page
    assert not [word for word in JARGON if word in page]


def test_asking_for_a_code_and_typing_it_is_plain_english(client, django_capture_on_commit_callbacks):
    partner = PartnerWithLoginFactory()
    page = _text(client.get(reverse("account_request_login_code")))
    assert "Get a sign-in code" in page and "E-mail me a code" in page
    assert not [word for word in JARGON if word in page]

    with django_capture_on_commit_callbacks(execute=True):  # the code leaves once the request commits
        response = client.post(reverse("account_request_login_code"), {"email": partner.user.email},
                               follow=True)
    page = _text(response)
    assert "Type your sign-in code" in page and "Sign-in code" in page
    assert f"We have e-mailed a sign-in code to {partner.user.email}" in page
    assert not [word for word in JARGON if word in page]

    message = mail.outbox[-1]
    assert message.subject.endswith("Your sign-in code")
    assert "Your sign-in code is:" in message.body
    code = re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    assert response.context["user"] == partner.user
    assert "You are signed in as" in _text(response)
