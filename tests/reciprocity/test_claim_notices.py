"""A partner hears of each step of their claim on their own channel (e-mail, text message,
letter, or a call from staff), in their own language, whoever took the step; someone who
has not agreed to be contacted, or is reached through their link worker, hears nothing."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from coprod.models import Notice
from coprod.models import Report
from coprod.reports import report_request
from coprod.reports import report_run
from reciprocity import services

from ..helpers import pdf_text
from .helpers import make_claim

pytestmark = pytest.mark.django_db


def _prefers(partner, method: str, **details) -> None:
    for name, value in {"preferred_contact": method, **details}.items():
        setattr(partner, name, value)
    partner.save()


def _claim_notices(partner):
    return list(Notice.objects.filter(kind__startswith="claim_", user=partner.user).order_by("pk"))


def test_an_e_mail_partner_gets_an_e_mail(partner, django_capture_on_commit_callbacks):
    _prefers(partner, "email")
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(partner)
    [notice] = _claim_notices(partner)
    assert (notice.kind, notice.channel) == ("claim_submitted", "email")
    [message] = mail.outbox
    assert "we have your claim" in message.subject
    assert "Dear Pat Partner," in message.body and "£40.00" in message.body


def test_a_text_partner_gets_a_short_text(partner, django_capture_on_commit_callbacks):
    _prefers(partner, "text", phone="07700 900123")
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(partner)
    [notice] = _claim_notices(partner)
    assert notice.channel == "text" and notice.to == "07700 900123"
    assert "we have your claim" in notice.body and "£40.00" in notice.body
    assert len(notice.body) <= 300 and "Dear" not in notice.body
    assert mail.outbox == []


def test_a_partner_who_wants_post_gets_a_letter(partner, finance, django_capture_on_commit_callbacks):
    _prefers(partner, "post", address="1 High Street, Cardiff, CF10 1AA")
    claim = make_claim(partner)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_reject(claim=claim, by=finance, reason="The meeting was cancelled.")
    notice = _claim_notices(partner)[-1]
    assert (notice.kind, notice.channel) == ("claim_rejected", "letter")
    assert notice.to.splitlines() == ["Pat Partner", "1 High Street", "Cardiff", "CF10 1AA"]
    assert "The meeting was cancelled." in notice.body
    assert "please ring or write to us" in notice.body and "reply to this e-mail" not in notice.body
    assert mail.outbox == []


def test_a_partner_who_wants_a_call_goes_on_the_call_list(partner, finance):
    _prefers(partner, "phone", phone="07700 900123")
    services.claim_approve(claim=make_claim(partner), by=finance)
    notice = _claim_notices(partner)[-1]
    assert (notice.kind, notice.channel, notice.status) == ("claim_approved", "phone", "to_call")
    assert notice.body.startswith("Ring Pat Partner (07700 900123)")


@pytest.mark.parametrize("method", ["email", "link"])
def test_nobody_is_told_without_consent_or_through_a_link_worker(method, partner, other, finance):
    if method == "link":
        _prefers(partner, "link")
        who = partner
    else:
        who = other  # has not agreed to be contacted
    services.claim_approve(claim=make_claim(who), by=finance)
    assert _claim_notices(who) == []
    assert mail.outbox == []


@pytest.mark.parametrize("by_staff", [False, True])
def test_a_welsh_partner_hears_in_welsh_whoever_sends_the_claim(by_staff, partner, plain_staff,
                                                                  django_capture_on_commit_callbacks):
    _prefers(partner, "email", language="cy")
    with translation.override("en-gb"), django_capture_on_commit_callbacks(execute=True):
        make_claim(partner, by=plain_staff if by_staff else None)
    [notice] = _claim_notices(partner)
    assert "mae eich hawliad gyda ni" in notice.subject
    assert "Annwyl Pat Partner," in notice.body
    assert "Mae eich hawliad" in notice.body
    assert "Dear" not in notice.body and "we have your claim" not in notice.subject
    assert translation.get_language() != "cy"  # the sender's language is left as it was


def test_an_english_partner_still_hears_in_english_when_staff_use_welsh(partner, plain_staff):
    plain_staff.language = "cy"
    plain_staff.save()
    with translation.override("cy"):
        make_claim(partner, by=plain_staff)
    [notice] = _claim_notices(partner)
    assert "we have your claim" in notice.subject and "Dear Pat Partner," in notice.body


def test_a_welsh_partners_statement_is_in_welsh_whoever_asks(partner, plain_staff, settings, tmp_path,
                                                            django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    partner.language = "cy"
    partner.save()
    with translation.override("en-gb"):
        report = report_request(kind=Report.Kind.STATEMENT, title="Statement", by=plain_staff,
                                partner=partner)
        report = report_run(report_id=report.pk)
    assert report.status == Report.Status.DONE, report.error
    with report.file.open("rb") as pdf:
        text = " ".join(pdf_text(pdf.read()).split())
    assert "Datganiad" in text  # "Statement of involvement"
    assert "Oriau a roddwyd" in text
    assert "Statement of involvement" not in text and "Hours given" not in text


def test_a_welsh_partners_claim_pages_are_in_welsh(client, partner):
    partner.user.language = "cy"
    partner.user.save()
    claim = make_claim(partner)
    client.force_login(partner.user)
    # The language a request turns on is put back afterwards, so later tests read English.
    with translation.override("en-gb"):
        page = client.get(reverse("reciprocity:my_claims")).content.decode()
        detail = client.get(reverse("reciprocity:my_claim_detail", args=[claim.pk])).content.decode()
    assert "Eich hawliadau" in page and "Hawlio arian yn ôl" in page
    assert "Wedi&#x27;i anfon atom: yn aros am benderfyniad" in page or "Wedi'i anfon atom" in page
    assert "Eich hawliad:" in detail and "£40.00" in detail
    assert "Your claims" not in page
