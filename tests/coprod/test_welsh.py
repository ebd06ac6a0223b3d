"""The core in Welsh (and Polish money): sign-in and error pages follow the browser's language,
the governance report follows the language of the trustee who asked for it, and money is
written the active language's way. English stays exactly as it was."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from coprod.models import Report
from coprod.money import pounds
from coprod.periods import custom

from ..helpers import pdf_text
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import TrusteeFactory

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_in_welsh_when_the_browser_asks_for_welsh(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert '<html lang="cy" dir="ltr">' in page
    assert "Mewngofnodwch gyda’ch cyfeiriad e-bost a’ch cyfrinair" in page
    assert "E-bostiwch god mewngofnodi ataf" in page
    assert "Neidio i’r prif gynnwys" in page
    assert "Sign in with your e-mail address" not in page


def test_the_sign_in_page_stays_in_english_for_an_english_browser(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    assert '<html lang="en-gb" dir="ltr">' in page
    assert "Sign in with your e-mail address and password" in page
    assert "Mewngofnodwch" not in page


def test_a_sign_in_code_goes_in_the_language_the_person_chose_not_the_browsers(
        mailoutbox, django_capture_on_commit_callbacks):
    """A Welsh speaker asking for a code from an English browser (a library computer, say)
    gets the e-mail in Welsh; someone who chose nothing gets the browser's language."""
    PartnerWithLoginFactory(user__email="gwen@example.test", user__language="cy")
    PartnerWithLoginFactory(user__email="erin@example.test")
    for email in ("gwen@example.test", "erin@example.test"):
        with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves once the request commits
            Client().post(reverse("account_request_login_code"), {"email": email},
                          HTTP_ACCEPT_LANGUAGE="en-GB")
    welsh, english = (next(m for m in mailoutbox if m.to == [address])
                      for address in ("gwen@example.test", "erin@example.test"))
    with translation.override("cy"):
        welsh_words = translation.gettext("Your sign-in code")
    assert welsh_words != "Your sign-in code"
    assert welsh_words in welsh.subject + welsh.body
    assert "Your sign-in code" in english.subject + english.body


def test_the_sign_in_code_screen_is_in_welsh(client):
    page = client.get(reverse("account_request_login_code"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Cael cod mewngofnodi" in page and "E-bostiwch god ataf" in page


def test_a_missing_page_says_so_in_welsh(trustee_client):
    response = trustee_client.get("/dim-tudalen-yma/", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Heb ddod o hyd i’r dudalen" in page and "Ewch i’ch tudalen gartref" in page


def test_the_governance_report_is_in_the_welsh_trustees_language(client, world,
                                                                 django_capture_on_commit_callbacks):
    trustee = TrusteeFactory(language="cy")
    client.force_login(trustee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coprod:governance_report_request"),
                    {"period": "custom", "start": "2026-07-01", "end": "2026-09-30"})
    report = Report.objects.get(kind=Report.Kind.GOVERNANCE, requested_by=trustee)
    assert report.status == Report.Status.DONE
    text = " ".join(pdf_text(report.file.read()).split())
    for words in ("Adroddiad llywodraethu", "i 30 Medi 2026", "Crynodeb gweithredol",
                  "Atodiad: beth mae’r ffigurau’n ei olygu", "Ar gyfer y bwrdd ymddiriedolwyr"):
        assert words in text, words
    assert "Executive summary" not in text


def test_money_and_periods_are_written_the_active_languages_way():
    assert pounds(Decimal("1486.1")) == "£1,486.10"
    with translation.override("cy"):
        assert pounds(Decimal("1486.1")) == "£1,486.10"
        label = custom(datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)).label
        assert label.startswith("1 ") and label.endswith(" 2026 i 30 Medi 2026")
    with translation.override("pl"):
        assert pounds(Decimal("1486.1")).replace("\xa0", " ") == "£1 486,10"
    assert pounds(None) == "—"
