"""The ladder in Welsh and Polish: a partner answers in their own language, the invitation
goes out in the recipient's language, and the charts are drawn (and cached) per language,
while English pages stay as they were."""

import base64
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils import translation

from coprod.models import OutgoingEmail
from ladder import services
from ladder.charts import area_chart
from ladder.models import Round
from ladder.results import round_results
from participants.models import ConsentStatement

from ..participants.factories import ConsentFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from .factories import LadderRoundFactory
from .factories import PartnerRespondentFactory
from .factories import StaffRespondentFactory

pytestmark = pytest.mark.django_db


def _partner(language: str, email: str):
    partner = PartnerWithLoginFactory(user__email=email, full_name="Ceri Jones", language=language)
    partner.user.language = language
    partner.user.save(update_fields=["language"])
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1))
    return partner


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_welsh_partners_answering_pages_are_in_welsh():
    partner = _partner("cy", "ceri@example.test")
    round_ = LadderRoundFactory(title="Hunanasesiad")
    PartnerRespondentFactory(round=round_, partner=partner)
    client = _client(partner.user)
    page = _page(client, reverse("ladder:respond", args=[round_.pk, 1]))
    assert "Dewiswch un gris. Gris 1 yw gwaelod yr ysgol" in page
    assert "gwneud i chi ddweud hynny?" in page
    assert "Cadw a mynd ymlaen" in page and "Save and next" not in page
    page = _page(client, reverse("ladder:my_rounds"))
    assert "Ble rydyn ni ar yr ysgol?" in page and "Ar agor nawr" in page
    page = _page(client, reverse("ladder:my_round", args=[round_.pk]))
    assert "Heb ei ateb eto." in page
    # A step left unanswered is refused in Welsh, and nothing is saved.
    page = client.post(reverse("ladder:respond", args=[round_.pk, 1]), {"evidence": ""}).content.decode()
    assert "Dewiswch y gris ar yr ysgol lle rydych chi" in page


def test_a_polish_partner_reads_the_ladder_in_polish_and_english_stays_english():
    polish = _partner("pl", "pawel@example.test")
    english = _partner("", "pat@example.test")
    round_ = LadderRoundFactory(title="Spring")
    for partner in (polish, english):
        PartnerRespondentFactory(round=round_, partner=partner)
    page = _page(_client(polish.user), reverse("ladder:respond", args=[round_.pk, 1]))
    assert "Zapisz i dalej" in page and "Pomiń ten obszar" in page
    page = _page(_client(english.user), reverse("ladder:respond", args=[round_.pk, 1]))
    assert "Save and next" in page and "Skip this area" in page and "Cadw" not in page


def test_the_invitation_goes_out_in_each_recipients_language(django_capture_on_commit_callbacks):
    staff = StaffFactory(email="sam@example.test")
    welsh = _partner("cy", "ceri@example.test")
    english = _partner("", "pat@example.test")
    round_ = LadderRoundFactory(title="Gwanwyn", status=Round.Status.DRAFT,
                                closes_on=timezone.localdate() + timedelta(days=10))
    StaffRespondentFactory(round=round_, user=staff)
    for partner in (welsh, english):
        PartnerRespondentFactory(round=round_, partner=partner)
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        services.round_open(round=round_, by=staff, site_url="https://coprod.example.org")
    assert OutgoingEmail.objects.filter(kind="ladder_round_opened").count() == 3
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["ceri@example.test"].subject == "Ble rydyn ni ar ysgol cydgynhyrchu? Gwanwyn"
    assert "Mewngofnodwch a dewis “Ysgol”" in sent["ceri@example.test"].body
    assert sent["pat@example.test"].subject == "Where are we on the ladder of co-production? Gwanwyn"
    assert "Sign in and choose “Ladder”" in sent["pat@example.test"].body
    assert sent["sam@example.test"].subject.startswith("Where are we on the ladder")


def _svg_text(img: str) -> str:
    encoded = re.search(r'base64,([^"]+)"', str(img)).group(1)
    return base64.b64decode(encoded).decode()


def test_charts_are_drawn_and_cached_in_the_language_asked_for(answer):
    round_ = LadderRoundFactory(status=Round.Status.CLOSED, closed_at=timezone.now(),
                                closes_on=timezone.localdate() - timedelta(days=1))
    area = round_.ordered_areas()[0]
    answer(round_, "staff", area, 4)
    answer(round_, "partner", area, 3)
    result = round_results(round_).areas[0]
    with translation.override("en-gb"):
        english = area_chart(result)
    with translation.override("cy"):
        welsh = area_chart(result)
        welsh_again = area_chart(result)
    with translation.override("en-gb"):
        english_again = area_chart(result)
    assert "Number of answers" in _svg_text(english) and "Staff" in _svg_text(english)
    assert "Nifer yr atebion" in _svg_text(welsh) and "Partneriaid" in _svg_text(welsh)
    assert "Number of answers" not in _svg_text(welsh)
    assert welsh_again == welsh, "the Welsh chart comes from its own cache entry"
    assert english_again == english, "the Welsh entry is never served for English"
    assert 'alt="Siart bar:' in str(welsh) and 'alt="Bar chart:' in str(english)


def test_a_welsh_partner_sees_the_results_and_their_chart_in_welsh(answer):
    partner = _partner("cy", "ceri@example.test")
    round_ = LadderRoundFactory(status=Round.Status.CLOSED, closed_at=timezone.now(),
                                closes_on=timezone.localdate() - timedelta(days=1))
    PartnerRespondentFactory(round=round_, partner=partner)
    area = round_.ordered_areas()[0]
    answer(round_, "staff", area, 5)
    answer(round_, "partner", area, 2)
    page = _page(_client(partner.user), reverse("ladder:my_results", args=[round_.pk]))
    assert "Beth ddywedodd pawb" in page and "Canolrif y staff" in page
    charts = re.findall(r'<img class="chart[^>]+>', page)
    assert charts and all("Nifer yr atebion" in _svg_text(img) for img in charts[1:])
