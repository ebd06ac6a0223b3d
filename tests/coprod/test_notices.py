"""Every notice the app sends, with hostile text in every field people type that reaches
a subject or header: the action succeeds, each recipient gets exactly one message, and
no header can be injected (a crafted title once raised BadHeaderError: a 500, and the
meeting saved but nobody told)."""

import datetime
import email
import email.utils
import re
import unicodedata
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coprod import governance
from coprod import notify
from coprod.models import Organisation
from coprod.models import OutgoingEmail
from coprod.models import Report
from ladder import services as ladder_services
from panels import services as panel_services
from panels.models import Meeting
from participants import services as participant_services
from participants.models import ConsentStatement
from reciprocity import services as claim_services

from ..ladder.factories import LadderRoundFactory
from ..ladder.factories import PartnerRespondentFactory
from ..ladder.factories import StaffRespondentFactory
from ..panels.factories import FeedbackPointFactory
from ..panels.factories import MembershipFactory
from ..panels.factories import PanelFactory
from ..panels.factories import ProposalFactory
from ..participants.factories import ConsentFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..participants.factories import TrusteeFactory
from ..reciprocity.factories import FundingSourceFactory
from ..reciprocity.helpers import give_finance_permissions
from ..reciprocity.helpers import make_claim

# A line break with a header after it, bare CR and LF, a tab, a bell, an escape
# sequence, a right-to-left override, and then far too much text.
HOSTILE = ("Title\r\nBcc: evil@example.com\nX-Injected: yes\rCc: spy@example.com\t\x07\x1b[31m\u202e"
           + " and on" * 60)


# What a person can type through a form or a service: forms and services refuse hidden
# control characters (coprod.bounds), so one-line fields get the same text with them turned
# into spaces, and longer text keeps its line breaks and tab. Records made directly (older
# data, the Django admin) keep HOSTILE itself.
TYPED = re.sub(r"[\x00-\x1f\x7f]+", " ", HOSTILE)
MULTILINE = HOSTILE.replace("\x07", "").replace("\x1b", "")


def hostile(limit: int) -> str:
    """HOSTILE cut to a field's maximum length (the injection is at its start)."""
    return HOSTILE[:limit]


def contact_consent(partner) -> None:
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1))


@pytest.fixture
def organisation(db):
    organisation = Organisation.current()
    organisation.name = hostile(200)
    organisation.save()
    return organisation


@pytest.fixture
def staff(db):
    return StaffFactory(email="sam@example.test", full_name=hostile(150))


@pytest.fixture
def partner(db):
    partner = PartnerWithLoginFactory(user__email="pat@example.test", full_name=hostile(150))
    contact_consent(partner)
    return partner


def assert_safe(expected_recipients: list[str]) -> None:
    """Every message sent builds without BadHeaderError, has one clean subject line and no
    header but those we set, and each expected address got exactly one message."""
    assert mail.outbox, "nothing was sent"
    for message in mail.outbox:
        parsed = email.message_from_bytes(message.message().as_bytes())
        for part in parsed.walk():  # the message's headers and those of each attachment
            assert not {name.lower() for name in part.keys()} & {"bcc", "cc", "x-injected"}, part.items()
        assert message.recipients() == message.to
        assert not {"evil@example.com", "spy@example.com"} & set(message.recipients())
        assert not any(unicodedata.category(c) == "Cc" or c == "\u202e" for c in message.subject)
        assert len(message.subject) <= notify.SUBJECT_MAX
        if "Title" in message.subject:  # the text stays readable, on one line
            assert "Title Bcc: evil@example.com X-Injected: yes Cc: spy@example.com" in message.subject
    # A notice names the person beside their address ("Pat <pat@…>"): the address is what counts.
    addresses = [email.utils.parseaddr(address)[1] for message in mail.outbox for address in message.to]
    assert sorted(addresses) == sorted(expected_recipients)
    assert not OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).exists()


# --- Partners, invitations and data protection ---


def test_invitation_with_a_hostile_inviter_and_organisation(
        organisation, staff, client, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participants:invitation_create"), {
            "full_name": hostile(150), "email": "nadia@example.test", "role": "partner", "days_valid": 14,
        })
    assert response.status_code == 302
    assert_safe(["nadia@example.test"])
    assert OutgoingEmail.objects.get().kind == "invitation"


def test_status_change_with_a_hostile_organisation(organisation, staff, partner,
                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        participant_services.partner_change_status(partner=partner, status="paused", note=hostile(300),
                                                   by=staff)
    assert_safe([partner.email])


def test_erasure_request_with_a_hostile_partner_name(organisation, staff, partner, client,
                                                     django_capture_on_commit_callbacks):
    client.force_login(partner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participants:my_data_erasure_request"),
                               {"confirm": "on", "message": HOSTILE[:900]})
    assert response.status_code == 302
    assert_safe([staff.email, partner.email])
    kinds = {row.kind for row in OutgoingEmail.objects.all()}
    assert kinds == {"erasure_request", "erasure_request_received"}


# --- Meetings, proposals and "you said, we did" ---


@pytest.fixture
def panel(organisation, staff, partner):
    panel = PanelFactory(name=hostile(150))
    MembershipFactory(panel=panel, partner=partner)
    MembershipFactory(panel=panel, partner=None, user=staff, role="facilitator")
    return panel


def test_meeting_scheduled_moved_and_cancelled_with_a_hostile_title(
        panel, staff, partner, client, django_capture_on_commit_callbacks):
    """The reported fault: a crafted title in the scheduling form. A line break in a title is
    now refused with a message (nothing saved, nothing sent); whatever the title, the
    notices that do go out have one clean subject line."""
    client.force_login(staff)
    day = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    form = {"title": hostile(150), "date": day, "starts": "10:00", "ends": "12:00", "format": "in_person",
            "venue": hostile(200), "access_information": MULTILINE, "agenda": MULTILINE}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("panels:meeting_create", args=[panel.pk]), form)
    assert response.status_code == 200
    assert "hidden control characters" in response.content.decode()
    assert not Meeting.objects.filter(panel=panel).exists() and not mail.outbox

    form.update(title=TYPED[:150], venue=TYPED[:200])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("panels:meeting_create", args=[panel.pk]), form)
    assert response.status_code == 302
    meeting = Meeting.objects.get(panel=panel)
    assert meeting.title == TYPED[:150].strip()
    assert_safe([partner.email, staff.email])
    assert all(message.attachments[0][0] == f"meeting-{meeting.pk}.ics" for message in mail.outbox)

    Meeting.objects.filter(pk=meeting.pk).update(title=hostile(150))  # made before titles were checked
    meeting.refresh_from_db()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.meeting_update(meeting=meeting, data={"venue": "Room 3"}, by=staff)
    assert_safe([partner.email, staff.email])

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.meeting_cancel(meeting=meeting, by=staff)
    assert_safe([partner.email, staff.email])
    assert {row.kind for row in OutgoingEmail.objects.all()} == {
        "meeting_scheduled", "meeting_changed", "meeting_cancelled"}


def test_proposal_to_a_panel_with_a_hostile_name_and_the_answer_to_a_point(
        panel, staff, partner, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(panel=panel, owner=staff, status="draft", title=hostile(200))
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.proposal_send_to_panel(proposal=proposal, by=staff)
    assert_safe([partner.email, staff.email])

    mail.outbox.clear()
    point = FeedbackPointFactory(proposal=proposal, raised_by=partner, text=HOSTILE)
    with django_capture_on_commit_callbacks(execute=True):
        panel_services.feedback_respond(point=point, outcome="declined", response=MULTILINE, reason=MULTILINE,
                                        by=staff)
    assert_safe([partner.email])
    assert OutgoingEmail.objects.filter(kind="you_said_we_did").count() == 1


# --- Claims ---


def test_every_step_of_a_claim_with_a_hostile_organisation(organisation, partner,
                                                           django_capture_on_commit_callbacks):
    finance = give_finance_permissions(StaffFactory(email="fran@example.test"))
    with django_capture_on_commit_callbacks(execute=True):
        paid = make_claim(partner, activity=TYPED[:200])
        claim_services.claim_approve(claim=paid, by=finance)
        claim_services.claim_pay(claim=paid, by=finance, method="bank_transfer", paid_on=timezone.localdate(),
                                 funding_source=FundingSourceFactory(), reference=TYPED[:100])
        rejected = make_claim(partner)
        claim_services.claim_reject(claim=rejected, by=finance, reason=MULTILINE)
        withdrawn = make_claim(partner)
        claim_services.claim_withdraw(claim=withdrawn, by=partner.user)
    assert_safe([partner.email] * 7)
    assert sorted(OutgoingEmail.objects.values_list("kind", flat=True)) == sorted([
        "claim_submitted", "claim_approved", "claim_paid", "claim_submitted", "claim_rejected",
        "claim_submitted", "claim_withdrawn"])
    assert Decimal(paid.total) > 0


# --- Ladder rounds and reports ---


def test_ladder_round_opened_with_a_hostile_title(organisation, staff, partner,
                                                  django_capture_on_commit_callbacks):
    round_ = LadderRoundFactory(status="draft", title=hostile(150))
    StaffRespondentFactory(round=round_, user=staff)
    PartnerRespondentFactory(round=round_, partner=partner)
    with django_capture_on_commit_callbacks(execute=True):
        ladder_services.round_open(round=round_, by=staff, site_url="https://coprod.example.org")
    assert_safe([staff.email, partner.email])
    assert set(OutgoingEmail.objects.values_list("kind", flat=True)) == {"ladder_round_opened"}


def test_governance_report_ready_with_a_hostile_title(organisation, django_capture_on_commit_callbacks):
    trustees = [TrusteeFactory(email="tess@example.test", full_name=hostile(150)),
                TrusteeFactory(email="tom@example.test")]
    report = Report.objects.create(kind=Report.Kind.GOVERNANCE, title=hostile(200), status=Report.Status.DONE,
                                   params={"scheduled": True})
    with django_capture_on_commit_callbacks(execute=True):
        assert governance.notify_ready(report) == 2
    assert_safe([trustee.email for trustee in trustees])
    assert OutgoingEmail.objects.get().kind == "report_ready"


# --- Signing in ---


def test_sign_in_code_and_password_reset_with_a_hostile_organisation(organisation, partner, client,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": partner.email})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": partner.email})
    assert_safe([partner.email, partner.email])
    assert sorted(OutgoingEmail.objects.values_list("kind", flat=True)) == [
        "account_login_code", "account_password_reset_key"]


def test_a_hostile_recipient_address_is_dropped_not_injected(organisation,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        saved = notify.email_queue(
            kind="test", to=["pat@example.test\r\nBcc: evil@example.com", "ok@example.test"],
            subject=HOSTILE, body="Hello", reply_to="x@example.test\nBcc: evil@example.com",
        )
    assert saved.recipients == ["ok@example.test"] and saved.reply_to == ""
    assert_safe(["ok@example.test"])

