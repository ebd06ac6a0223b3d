"""Proposals for challenge: draft → with the panel → points → every point answered
("you said, we did")."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from panels import services
from panels.models import FeedbackPoint
from panels.models import FeedbackResponse
from panels.models import Proposal
from participants.models import ConsentStatement
from tests.helpers import assert_queries_bounded
from tests.panels.factories import FeedbackPointFactory
from tests.panels.factories import FeedbackResponseFactory
from tests.panels.factories import MembershipFactory
from tests.panels.factories import PanelFactory
from tests.panels.factories import ProposalFactory
from tests.participants.factories import ConsentFactory
from tests.participants.factories import PartnerFactory
from tests.participants.factories import PartnerWithLoginFactory
from tests.participants.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _consents_to_contact(partner):
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.get(topic="contact", version=1))


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def member():
    """A partner with a login on a challenge panel."""
    membership = MembershipFactory(partner=PartnerWithLoginFactory(full_name="Pat Partner"))
    return membership.partner


@pytest.fixture
def panel(member):
    return member.memberships.get().panel


# --- Creating and sending ---


def test_proposal_deadline_in_the_past_is_refused(staff, panel):
    with pytest.raises(ValidationError) as error:
        services.proposal_create(title="Opening hours", summary="Later on Thursdays.", panel=panel,
                                 owner=staff, response_deadline=_today() - datetime.timedelta(days=1),
                                 by=staff)
    assert "cannot be in the past" in str(error.value.message_dict["response_deadline"])
    assert not Proposal.objects.exists()


def test_staff_form_refuses_a_past_deadline_and_saves_nothing(staff_client, staff, panel):
    response = staff_client.post(reverse("panels:proposal_create"), {
        "title": "Opening hours", "summary": "Later on Thursdays.", "panel": panel.pk, "owner": staff.pk,
        "response_deadline": (_today() - datetime.timedelta(days=3)).isoformat(),
    })
    assert response.status_code == 200
    assert "The deadline for our response cannot be in the past." in response.content.decode()
    assert not Proposal.objects.exists()


def test_proposal_goes_to_a_challenge_panel_only(staff):
    advisory = PanelFactory(kind="advisory")
    with pytest.raises(ValidationError) as error:
        services.proposal_create(title="Opening hours", summary="Later.", panel=advisory, owner=staff,
                                 response_deadline=_today(), by=staff)
    assert "challenge panel" in str(error.value.message_dict["panel"])


def test_staff_draft_a_proposal_with_its_document(staff_client, staff, panel):
    document = SimpleUploadedFile("Opening Hours (draft).pdf", b"%PDF-1.4\n% draft\n%%EOF\n",
                                  content_type="application/pdf")
    response = staff_client.post(reverse("panels:proposal_create"), {
        "title": "Opening hours", "summary": "Later on Thursdays.", "panel": panel.pk, "owner": staff.pk,
        "response_deadline": _today().isoformat(), "document": document,
    })
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("panels:proposal_detail", args=[proposal.pk])
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.created_by == staff
    assert proposal.history.first().history_user == staff
    assert proposal.document.name == f"proposals/{proposal.pk}/Opening_Hours_draft.pdf"


def test_a_document_that_is_not_what_it_claims_is_refused(staff_client, staff, panel):
    fake = SimpleUploadedFile("proposal.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = staff_client.post(reverse("panels:proposal_create"), {
        "title": "Opening hours", "summary": "Later.", "panel": panel.pk, "owner": staff.pk,
        "response_deadline": _today().isoformat(), "document": fake,
    })
    assert response.status_code == 200
    assert "does not look like a real PDF file" in response.content.decode()
    assert not Proposal.objects.exists()


def test_sending_a_proposal_tells_members_who_may_be_contacted(staff_client, staff, panel, member,
                                                                 django_capture_on_commit_callbacks):
    quiet = PartnerFactory(full_name="Quinn Quiet", email="quinn@example.test")
    MembershipFactory(panel=panel, partner=quiet)  # no consent to contact
    MembershipFactory(panel=panel, partner=None, user=StaffFactory(email="lead@example.test"))
    _consents_to_contact(member)
    proposal = ProposalFactory(panel=panel, owner=staff, status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("panels:proposal_send", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITH_PANEL
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([member.email, "lead@example.test"])
    to_partner = next(message for message in mail.outbox if message.to == [member.email])
    assert proposal.title in to_partner.body
    assert reverse("panels:my_point_add", args=[proposal.pk]) in to_partner.body


def test_a_proposal_is_sent_only_once(staff, panel):
    proposal = ProposalFactory(panel=panel, owner=staff, status="with_panel")
    with pytest.raises(ValidationError, match="already been sent"):
        services.proposal_send_to_panel(proposal=proposal, by=staff)


# --- Points ---


def test_partner_member_adds_a_point_in_the_portal(client, member, panel):
    proposal = ProposalFactory(panel=panel)
    client.force_login(member.user)
    page = client.get(reverse("panels:my_point_add", args=[proposal.pk]))
    assert page.status_code == 200
    assert proposal.summary in page.content.decode()
    response = client.post(reverse("panels:my_point_add", args=[proposal.pk]),
                           {"text": "  Put the times on the website too.  "})
    assert response.status_code == 302
    point = FeedbackPoint.objects.get()
    assert point.text == "Put the times on the website too."
    assert point.raised_by == member
    assert point.recorded_by == member.user


def test_an_empty_point_is_refused_and_nothing_is_saved(client, member, panel):
    proposal = ProposalFactory(panel=panel)
    client.force_login(member.user)
    response = client.post(reverse("panels:my_point_add", args=[proposal.pk]), {"text": "   "})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not FeedbackPoint.objects.exists()


def test_partner_cannot_see_or_add_to_a_proposal_of_a_panel_they_are_not_on(client, member):
    other_panel_proposal = ProposalFactory()
    client.force_login(member.user)
    url = reverse("panels:my_point_add", args=[other_panel_proposal.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Hello"}).status_code == 404
    assert not FeedbackPoint.objects.exists()


def test_partner_cannot_see_a_draft_of_their_own_panel(client, member, panel):
    draft = ProposalFactory(panel=panel, status="draft")
    client.force_login(member.user)
    assert client.get(reverse("panels:my_point_add", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("panels:my_feedback")).content.decode()


def test_partner_who_left_the_panel_can_no_longer_add_points(member, panel):
    proposal = ProposalFactory(panel=panel)
    membership = member.memberships.get()
    membership.left_on = _today()
    membership.save()
    with pytest.raises(PermissionDenied):
        services.feedback_point_add(proposal=proposal, text="Late point", by=member.user)


def test_partner_cannot_add_points_once_the_panel_has_its_answers(client, member, panel):
    proposal = ProposalFactory(panel=panel, status="responded")
    with pytest.raises(ValidationError, match="finished looking"):
        services.feedback_point_add(proposal=proposal, text="One more thing", by=member.user)
    client.force_login(member.user)
    page = client.get(reverse("panels:my_point_add", args=[proposal.pk]))
    assert "has finished looking at this proposal" in page.content.decode()
    client.post(reverse("panels:my_point_add", args=[proposal.pk]), {"text": "One more thing"})
    assert not FeedbackPoint.objects.exists()


def test_a_partner_cannot_record_a_point_in_someone_elses_name(member, panel):
    proposal = ProposalFactory(panel=panel)
    someone = MembershipFactory(panel=panel).partner
    with pytest.raises(PermissionDenied):
        services.feedback_point_add(proposal=proposal, text="Hello", raised_by=someone, by=member.user)


def test_staff_record_a_point_for_a_member_and_a_new_point_reopens_an_answered_proposal(staff, member, panel):
    proposal = ProposalFactory(panel=panel, status="responded")
    point = services.feedback_point_add(proposal=proposal, text="Said at the meeting", raised_by=member,
                                        by=staff)
    assert point.raised_by == member and point.recorded_by == staff
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITH_PANEL


def test_staff_cannot_record_points_on_a_draft(staff, panel):
    draft = ProposalFactory(panel=panel, status="draft")
    with pytest.raises(ValidationError, match="Send the proposal"):
        services.feedback_point_add(proposal=draft, text="Too early", by=staff)


# --- Answers ---


@pytest.mark.parametrize("outcome", ["declined", "partly"])
def test_declined_or_partly_accepted_without_a_reason_is_refused(staff_client, outcome):
    point = FeedbackPointFactory()
    response = staff_client.post(reverse("panels:point_respond", args=[point.pk]),
                                 {"outcome": outcome, "response": "We will think about it.", "reason": " "})
    assert response.status_code == 200
    assert "Give the reason the point was" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_an_accepted_point_needs_no_reason(staff):
    point = FeedbackPointFactory()
    answer = services.feedback_respond(point=point, outcome="accepted", response="Done.", by=staff)
    assert answer.responded_by == staff
    assert answer.history.first().history_user == staff


def test_answering_every_point_marks_the_proposal_responded(staff):
    proposal = ProposalFactory()
    first, second = FeedbackPointFactory(proposal=proposal), FeedbackPointFactory(proposal=proposal)
    services.feedback_respond(point=first, outcome="accepted", response="Done.", by=staff)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITH_PANEL
    services.feedback_respond(point=second, outcome="declined", response="No change.",
                              reason="The building closes at six.", by=staff)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.RESPONDED


def test_changing_an_answer_keeps_one_answer_and_its_history(staff):
    point = FeedbackPointFactory()
    services.feedback_respond(point=point, outcome="partly", response="Some of it.", reason="Cost.", by=staff)
    services.feedback_respond(point=point, outcome="accepted", response="All of it now.", by=staff)
    answer = FeedbackResponse.objects.get()
    assert answer.outcome == "accepted" and answer.reason == ""
    assert answer.history.count() == 2


def test_the_partner_who_made_the_point_hears_what_we_did(staff, member, django_capture_on_commit_callbacks):
    _consents_to_contact(member)
    point = FeedbackPointFactory(raised_by=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_respond(point=point, outcome="declined", response="We are keeping Thursdays.",
                                  reason="The building is only open late on Thursdays.", by=staff)
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject.endswith("you said, we did")
    assert point.text in message.body
    assert "The building is only open late on Thursdays." in message.body


def test_no_e_mail_about_an_answer_without_consent_to_contact(staff, member,
                                                              django_capture_on_commit_callbacks):
    point = FeedbackPointFactory(raised_by=member)
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_respond(point=point, outcome="accepted", response="Done.", by=staff)
    assert mail.outbox == []


def test_partners_cannot_answer_points(member):
    with pytest.raises(PermissionDenied):
        services.feedback_respond(point=FeedbackPointFactory(), outcome="accepted", response="Yes",
                                  by=member.user)


# --- Pages ---


def test_overdue_and_unanswered_points_are_listed_first(staff_client):
    late = ProposalFactory(title="Closing cases", response_deadline=_today() - datetime.timedelta(days=2))
    FeedbackPointFactory(proposal=late, text="The letter must say people can come back.")
    answered = FeedbackPointFactory(text="Already answered point")
    FeedbackResponseFactory(point=answered)
    FeedbackPointFactory(proposal=ProposalFactory(status="draft"), text="A point on a draft")
    page = staff_client.get(reverse("panels:proposal_list")).content.decode()
    attention = page[page.index("Overdue or unanswered points"):page.index("All proposals")]
    assert "The letter must say people can come back." in attention
    assert "1 past the deadline" in attention
    assert "Overdue" in attention
    assert "Already answered point" not in attention
    assert "A point on a draft" not in attention


def test_you_said_we_did_shows_only_the_partners_own_points(client, member, panel):
    mine = FeedbackPointFactory(proposal=ProposalFactory(panel=panel), raised_by=member, text="My own point")
    FeedbackResponseFactory(point=mine, outcome="declined", response="We kept it.", reason="Money.")
    FeedbackPointFactory(proposal=mine.proposal, raised_by=PartnerFactory(), text="Somebody else's point")
    client.force_login(member.user)
    page = client.get(reverse("panels:my_feedback")).content.decode()
    assert "My own point" in page and "We kept it." in page and "Money." in page
    assert "Somebody else&#x27;s point" not in page and "Somebody else's point" not in page


def test_proposal_document_is_served_to_members_only(client, member, panel):
    proposal = ProposalFactory(panel=panel)
    proposal.document.save("plan.pdf", SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"))
    client.force_login(member.user)
    response = client.get(reverse("panels:proposal_document", args=[proposal.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(PartnerWithLoginFactory().user)
    assert client.get(reverse("panels:proposal_document", args=[proposal.pk])).status_code == 404


def test_proposal_list_runs_the_same_queries_however_many_proposals(staff_client):
    def add(count):
        for _ in range(count):
            FeedbackPointFactory(proposal=ProposalFactory(response_deadline=_today()))

    add(10)
    assert_queries_bounded(staff_client, reverse("panels:proposal_list"), lambda: add(90), most=12)


def test_proposal_page_runs_the_same_queries_however_many_points(staff_client):
    proposal = ProposalFactory()

    def add(count):
        for _ in range(count):
            FeedbackResponseFactory(point=FeedbackPointFactory(proposal=proposal, raised_by=PartnerFactory()))
            FeedbackPointFactory(proposal=proposal)

    add(2)
    assert_queries_bounded(staff_client, reverse("panels:proposal_detail", args=[proposal.pk]),
                           lambda: add(20), most=12)
