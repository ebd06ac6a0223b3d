"""Invitations: staff invite people by e-mail; the link sets up a login (or adds the
role to an existing one), once, until it expires or is revoked."""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coprod import notify
from coprod.models import Organisation
from coprod.models import OutgoingEmail
from participants import services
from participants.models import Consent
from participants.models import ConsentStatement
from participants.models import Invitation
from participants.models import Partner
from participants.models import StatusChange

from ..helpers import assert_queries_bounded
from .factories import PASSWORD
from .factories import InvitationFactory
from .factories import PartnerFactory
from .factories import PartnerInvitationFactory
from .factories import StaffFactory
from .factories import TrusteeFactory
from .factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Riverside-bus-pass-2024"
CREATE = reverse("participants:invitation_create")
LIST = reverse("participants:invitation_list")


def _accept_url(invitation) -> str:
    return reverse("participants:invitation_accept", kwargs={"token": invitation.token})


def _form_data(**overrides) -> dict:
    return {"full_name": "Nadia Osei", "email": "nadia@example.test", "role": "partner", "days_valid": "14",
            **overrides}


def _page(response) -> str:
    return response.content.decode()


def _withdraw_contact_consent(partner) -> None:
    statement = ConsentStatement.objects.create(topic="contact", version=99, wording="We may contact you.")
    Consent.objects.create(partner=partner, statement=statement, withdrawn_at=timezone.now())


# --- Staff send invitations -----------------------------------------------------


def test_staff_invite_a_new_partner_which_creates_their_record_at_induction(staff_client, world):
    Organisation.objects.update_or_create(pk=1, defaults={"name": "Riverside Law Centre"})
    response = staff_client.post(CREATE, _form_data())
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nadia@example.test")
    assert invitation.state == "pending"
    assert invitation.created_by == world.staff
    assert invitation.send_count == 1 and invitation.sent_at is not None
    assert timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    partner = invitation.partner
    assert (partner.full_name, partner.email) == ("Nadia Osei", "nadia@example.test")
    assert partner.status == Partner.Status.INDUCTION
    assert partner.user is None
    steps = StatusChange.objects.filter(partner=partner)
    assert [(step.to_status, step.changed_by) for step in steps] == [("induction", world.staff)]
    assert invitation.history.first().history_user == world.staff


def test_invitation_email_names_the_organisation_and_the_inviter_with_the_absolute_link(
        staff_client, world, django_capture_on_commit_callbacks):
    Organisation.objects.update_or_create(pk=1, defaults={"name": "Riverside Law Centre"})
    with django_capture_on_commit_callbacks(execute=True):  # e-mail leaves once the request commits
        staff_client.post(CREATE, _form_data(full_name="Nadia O'Neil"))
    invitation = Invitation.objects.get(email="nadia@example.test")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia@example.test"]
    assert "Riverside Law Centre" in message.subject and "Sam Staff" in message.subject
    assert "Hello Nadia O'Neil," in message.body  # plain text: no HTML escaping
    assert "Sam Staff at Riverside Law Centre has invited you" in message.body
    assert f"http://testserver{_accept_url(invitation)}" in message.body
    assert "sign-in code" in message.body
    assert timezone.localtime(invitation.expires_at).strftime("%B %Y") in message.body


def test_staff_invite_an_existing_partner_from_their_page_with_the_form_prefilled(staff_client, world):
    partner = PartnerFactory(full_name="Kwame Asante", email="kwame@example.test")
    url = f"{CREATE}?partner={partner.pk}"
    page = _page(staff_client.get(url))
    assert "Invite Kwame Asante to sign in" in page
    assert 'value="kwame@example.test"' in page and 'value="Kwame Asante"' in page
    partners_before = Partner.objects.count()
    response = staff_client.post(url, _form_data(full_name="Kwame Asante", email="kwame@example.test"))
    assert response.status_code == 302
    assert response.url == reverse("participants:partner_detail", kwargs={"pk": partner.pk})
    assert Invitation.objects.get(email="kwame@example.test").partner == partner
    assert Partner.objects.count() == partners_before, "no second partner record"


def test_inviting_from_a_partners_page_only_offers_the_partner_role(staff_client, world):
    partner = PartnerFactory(email="kwame@example.test")
    response = staff_client.post(f"{CREATE}?partner={partner.pk}", _form_data(role="trustee"))
    assert response.status_code == 200
    assert "Select a valid choice" in _page(response)
    assert not Invitation.objects.filter(email="nadia@example.test").exists()


@pytest.mark.parametrize("role", ["trustee", "staff"])
def test_staff_invite_a_trustee_or_staff_member_without_a_partner_record(staff_client, world, role):
    partners_before = Partner.objects.count()
    staff_client.post(CREATE, _form_data(role=role))
    invitation = Invitation.objects.get(email="nadia@example.test")
    assert invitation.role == role and invitation.partner is None
    assert Partner.objects.count() == partners_before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": ""}, "Enter the name of the person you are inviting"),
        ({"email": "not-an-address"}, "Enter a whole e-mail address"),
        ({"email": ""}, "Enter the e-mail address the invitation should go to"),
        ({"role": ""}, "Choose whether they join as a partner, a trustee or staff"),
        ({"role": "superuser"}, "Select a valid choice"),
        ({"days_valid": "0"}, "greater than or equal to 1"),
        ({"days_valid": "90"}, "less than or equal to 60"),
    ],
    ids=["no-name", "bad-email", "no-email", "no-role", "unknown-role", "zero-days", "too-many-days"],
)
def test_bad_invitation_input_is_rejected_with_a_message_and_nothing_saved(staff_client, world, overrides,
                                                                         message):
    invitations, partners = Invitation.objects.count(), Partner.objects.count()
    response = staff_client.post(CREATE, _form_data(**overrides))
    assert response.status_code == 200
    assert message in _page(response)
    assert (Invitation.objects.count(), Partner.objects.count()) == (invitations, partners)
    assert mail.outbox == []


def test_a_second_invitation_to_an_address_with_one_pending_is_refused(staff_client, world):
    InvitationFactory(email="nadia@example.test")
    invitations, partners = Invitation.objects.count(), Partner.objects.count()
    response = staff_client.post(CREATE, _form_data(email="Nadia@Example.test"))
    assert "already waiting to be accepted" in _page(response)
    assert (Invitation.objects.count(), Partner.objects.count()) == (invitations, partners)
    assert mail.outbox == []


def test_inviting_someone_to_a_role_their_login_already_has_is_refused(staff_client, world):
    response = staff_client.post(CREATE, _form_data(email=world.trustee.email, role="trustee"))
    assert "already signs in as a trustee" in _page(response)
    assert not Invitation.objects.filter(email=world.trustee.email, accepted_at__isnull=True).exists()


def test_a_new_partner_with_the_address_of_an_existing_record_is_refused(staff_client, world):
    PartnerFactory(full_name="Kwame Asante", email="kwame@example.test")
    partners = Partner.objects.count()
    response = staff_client.post(CREATE, _form_data(email="Kwame@example.test"))
    assert "Kwame Asante already has a partner record" in _page(response)
    assert Partner.objects.count() == partners
    assert not Invitation.objects.filter(email="kwame@example.test").exists()


def test_a_partner_who_already_has_a_login_cannot_be_invited_again(staff_client, world):
    url = f"{CREATE}?partner={world.partner.pk}"
    assert "already signs in as" in _page(staff_client.get(url))
    response = staff_client.post(url, _form_data(email="new-address@example.test"))
    assert "No invitation is needed" in _page(response)
    assert not Invitation.objects.filter(email="new-address@example.test").exists()


def test_a_partner_who_withdrew_consent_to_be_contacted_is_not_emailed(staff_client, world):
    partner = PartnerFactory(email="kwame@example.test")
    _withdraw_contact_consent(partner)
    response = staff_client.post(f"{CREATE}?partner={partner.pk}", _form_data(email="kwame@example.test"))
    assert "withdrawn consent to be contacted" in _page(response)
    assert not Invitation.objects.filter(partner=partner).exists()
    assert mail.outbox == []


def test_when_the_mail_server_fails_the_invitation_is_kept_and_the_email_retried_then_marked_failed(
        staff_client, world, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.helpers.RefusingEmailBackend"
    with caplog.at_level(logging.WARNING, logger="coprod.notify"), \
            django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(CREATE, _form_data())
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nadia@example.test")
    assert invitation.state == "pending" and invitation.partner is not None
    email = OutgoingEmail.objects.get(kind="invitation")
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, notify.MAX_ATTEMPTS)
    assert email.partner == invitation.partner and "the mail server went away" in email.last_error
    assert "could not be sent after 8 attempt(s)" in caplog.text
    assert mail.outbox == []


def test_unknown_or_erased_partner_in_the_link_answers_404(staff_client, world):
    erased = PartnerFactory(erased_at=timezone.now())
    assert staff_client.get(f"{CREATE}?partner=999999").status_code == 404
    assert staff_client.get(f"{CREATE}?partner=abc").status_code == 404
    assert staff_client.get(f"{CREATE}?partner={erased.pk}").status_code == 404


def test_service_refuses_a_partner_who_already_has_a_login(world):
    with pytest.raises(ValidationError, match="already has a login"):
        services.invitation_create(email="new-address@example.test", full_name="Pat", role="partner",
                                   partner=world.partner, by=world.staff)


def test_service_refuses_a_partner_record_on_a_trustee_invitation(world):
    with pytest.raises(ValidationError, match="only be linked to a partner invitation"):
        services.invitation_create(email="x@example.test", full_name="X", role="trustee",
                                   partner=PartnerFactory(), by=world.staff)


# --- Re-send and revoke ------------------------------------------------------------


def test_resending_a_pending_invitation_sends_it_again_without_changing_its_expiry(
        staff_client, world, django_capture_on_commit_callbacks):
    invitation = world.invitation
    expires = invitation.expires_at
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("participants:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302 and response.url == LIST
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert invitation.expires_at == expires
    assert len(mail.outbox) == 1 and _accept_url(invitation) in mail.outbox[0].body


def test_resending_an_expired_invitation_gives_it_fourteen_more_days(
        staff_client, world, django_capture_on_commit_callbacks):
    invitation = world.invitation_expired
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("participants:invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    assert timedelta(days=13, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=14)
    assert len(mail.outbox) == 1
    assert staff_client.get(_accept_url(invitation)).status_code == 200


@pytest.mark.parametrize("which", ["invitation_revoked", "invitation_accepted"])
def test_a_revoked_or_accepted_invitation_cannot_be_resent(staff_client, world, which):
    invitation = getattr(world, which)
    response = staff_client.post(reverse("participants:invitation_resend", args=[invitation.pk]), follow=True)
    assert "cannot be sent again" in _page(response) or "already accepted" in _page(response)
    invitation.refresh_from_db()
    assert invitation.send_count == 1
    assert mail.outbox == []


def test_an_old_invitation_is_not_resent_while_a_newer_one_is_pending(staff_client, world):
    InvitationFactory(email=world.invitation_expired.email)
    response = staff_client.post(
        reverse("participants:invitation_resend", args=[world.invitation_expired.pk]), follow=True
    )
    assert "already waiting to be accepted" in _page(response)
    assert mail.outbox == []


def test_revoking_stops_the_link_working(staff_client, client, world):
    invitation = world.invitation
    staff_client.post(reverse("participants:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.state == "revoked" and invitation.revoked_by == world.staff
    assert invitation.history.first().history_user == world.staff
    response = client.get(_accept_url(invitation))
    assert response.status_code == 410
    assert "This invitation has been cancelled" in _page(response)


def test_an_accepted_invitation_cannot_be_revoked(staff_client, world):
    invitation = world.invitation_accepted
    response = staff_client.post(reverse("participants:invitation_revoke", args=[invitation.pk]), follow=True)
    assert "cannot be revoked" in _page(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_buttons_return_to_the_page_they_were_on_but_never_to_another_site(staff_client, world):
    detail = reverse("participants:partner_detail", args=[world.invitation.partner.pk])
    resend = reverse("participants:invitation_resend", args=[world.invitation.pk])
    assert staff_client.post(resend, {"next": detail}).url == detail
    assert staff_client.post(resend, {"next": "https://evil.example/"}).url == LIST


def test_resend_and_revoke_only_accept_post(staff_client, world):
    for name in ("participants:invitation_resend", "participants:invitation_revoke"):
        assert staff_client.get(reverse(name, args=[world.invitation.pk])).status_code == 405
    world.invitation.refresh_from_db()
    assert world.invitation.state == "pending"


# --- The staff list ----------------------------------------------------------------


def test_invitation_list_filters_by_state(staff_client, world):
    expected = {
        "pending": world.invitation, "expired": world.invitation_expired,
        "accepted": world.invitation_accepted, "revoked": world.invitation_revoked,
    }
    for state, invitation in expected.items():
        page = _page(staff_client.get(LIST, {"state": state}))
        assert invitation.email in page, state
        for other_state, other in expected.items():
            if other_state != state:
                assert other.email not in page, f"{other_state} shown under {state}"
    everything = _page(staff_client.get(LIST))
    assert all(invitation.email in everything for invitation in expected.values())


def test_invitation_list_shows_counts_and_offers_resend_only_where_it_can_work(staff_client, world):
    page = _page(staff_client.get(LIST))
    assert re.search(r"Pending <span[^>]*>1</span>", page)
    assert f"the invitation to {world.invitation.email}" in page
    assert f"the invitation to {world.invitation_expired.email}" in page
    assert f"the invitation to {world.invitation_revoked.email}" not in page
    assert f"the invitation to {world.invitation_accepted.email}" not in page


def test_invitation_list_paginates_and_runs_a_bounded_number_of_queries(staff_client, world):
    def grow():
        staff = StaffFactory()
        for _ in range(10):
            PartnerInvitationFactory(created_by=staff)
            InvitationFactory(created_by=staff, revoked_at=timezone.now(), revoked_by=staff)
            InvitationFactory(created_by=staff, accepted_at=timezone.now(), accepted_user=UserFactory())

    Organisation.current()
    assert_queries_bounded(staff_client, LIST, grow, most=10)
    InvitationFactory.create_batch(30, created_by=world.staff)
    page = _page(staff_client.get(LIST))
    assert "Page 1 of 3" in page and "Next page" in page


def test_staff_menu_links_to_invitations(staff_client):
    assert f'href="{LIST}" aria-current="page"' in _page(staff_client.get(LIST))


# --- The partner's record on the staff side -------------------------------------------


def test_partner_without_a_login_offers_an_invite_link(staff_client, world):
    partner = PartnerFactory(full_name="Kwame Asante")
    page = _page(staff_client.get(reverse("participants:partner_detail", args=[partner.pk])))
    assert f"{CREATE}?partner={partner.pk}" in page
    assert "Invite Kwame Asante to sign in" in page


def test_partner_with_a_pending_invitation_shows_resend_and_revoke(staff_client, world):
    partner = world.invitation.partner
    page = _page(staff_client.get(reverse("participants:partner_detail", args=[partner.pk])))
    assert reverse("participants:invitation_resend", args=[world.invitation.pk]) in page
    assert reverse("participants:invitation_revoke", args=[world.invitation.pk]) in page
    assert f"{CREATE}?partner={partner.pk}" not in page


# --- Accepting -------------------------------------------------------------------------


def test_newcomer_sets_a_password_and_lands_on_their_own_page(client, world):
    invitation = world.invitation
    page = _page(client.get(_accept_url(invitation)))
    assert "Welcome to" in page and "Sam Staff has invited you" in page
    response = client.post(_accept_url(invitation), {"how": "password", "password1": NEW_PASSWORD,
                                                     "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(email=invitation.email)
    assert user.check_password(NEW_PASSWORD)
    assert user.full_name == invitation.full_name
    assert not (user.is_staff_member or user.is_trustee)
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.accepted_user == user
    assert invitation.partner.user == user
    assert invitation.partner.history.first().history_user == user
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(reverse("home")).url == reverse("participants:portal_home")
    home = _page(client.get(reverse("participants:portal_home")))
    assert "sign in with your e-mail address and password" in home
    client.logout()
    assert client.login(email=invitation.email, password=NEW_PASSWORD)


def test_newcomer_who_prefers_a_code_gets_no_password_and_can_sign_in_by_code(
        client, world, django_capture_on_commit_callbacks):
    invitation = world.invitation
    response = client.post(_accept_url(invitation), {"how": "code"}, follow=True)
    assert "E-mail me a sign-in code" in _page(response)
    user = User.objects.get(email=invitation.email)
    assert not user.has_usable_password()
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_request_login_code"), {"email": invitation.email})
    code = re.search(r"^\s*(\d{6})\s*$", mail.outbox[-1].body, re.M).group(1)
    client.post(reverse("account_confirm_login_code"), {"code": code})
    assert int(client.session["_auth_user_id"]) == user.pk


def test_accepting_fills_in_the_partners_email_when_their_record_has_none(client, world):
    partner = PartnerFactory(email="")
    invitation = PartnerInvitationFactory(partner=partner, email="fresh@example.test")
    client.post(_accept_url(invitation), {"how": "code"})
    partner.refresh_from_db()
    assert partner.email == "fresh@example.test"


@pytest.mark.parametrize("role", ["trustee", "staff"])
def test_newcomer_invited_as_trustee_or_staff_gets_that_role(client, world, role):
    invitation = InvitationFactory(role=role)
    client.post(_accept_url(invitation), {"how": "code"})
    user = User.objects.get(email=invitation.email)
    assert user.is_trustee == (role == "trustee")
    assert user.is_staff_member == (role == "staff")
    assert not Partner.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose how you would like to sign in"),
        ({"how": "password"}, "Type a password, or choose a sign-in code"),
        ({"how": "password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}, "not the same"),
        ({"how": "password", "password1": "short", "password2": "short"}, "too short"),
        ({"how": "password", "password1": "password123", "password2": "password123"}, "too common"),
        ({"how": "password", "password1": "84736291045", "password2": "84736291045"}, "entirely numeric"),
        ({"how": "telepathy"}, "Select a valid choice"),
    ],
    ids=["no-choice", "no-password", "mismatch", "too-short", "common", "numeric", "unknown-choice"],
)
def test_bad_accept_input_is_rejected_with_a_message_and_nothing_created(client, world, data, message):
    users = User.objects.count()
    response = client.post(_accept_url(world.invitation), data)
    assert response.status_code == 200
    assert message in _page(response)
    assert User.objects.count() == users
    world.invitation.refresh_from_db()
    assert world.invitation.state == "pending"
    assert "_auth_user_id" not in client.session


def test_password_like_the_email_address_is_refused(client, world):
    invitation = InvitationFactory(email="riversideresident@example.test")
    response = client.post(_accept_url(invitation), {"how": "password", "password1": "riversideresident",
                                                     "password2": "riversideresident"})
    assert "too similar" in _page(response)
    assert not User.objects.filter(email=invitation.email).exists()


def test_expired_link_says_so_and_creates_nothing(client, world):
    users = User.objects.count()
    url = _accept_url(world.invitation_expired)
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation has run out" in _page(response)
    assert "send you a new one" in _page(response)
    response = client.post(url, {"how": "code"})
    assert response.status_code == 410
    assert User.objects.count() == users
    world.invitation_expired.refresh_from_db()
    assert world.invitation_expired.accepted_at is None


def test_a_used_link_cannot_be_used_again(client, world):
    url = _accept_url(world.invitation)
    client.post(url, {"how": "code"})
    client.logout()
    users = User.objects.count()
    response = client.post(url, {"how": "password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "already been used" in _page(response)
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session


def test_unknown_link_answers_404(client, world):
    assert client.get(reverse("participants:invitation_accept", args=["made-up-token"])).status_code == 404


def test_someone_signed_in_as_another_person_is_told_and_nothing_is_created(other_partner_client, world):
    url = _accept_url(world.invitation)
    page = _page(other_partner_client.get(url))
    assert "This invitation is for someone else" in page
    assert world.invitation.email in page
    users = User.objects.count()
    response = other_partner_client.post(url, {"how": "password", "password1": NEW_PASSWORD,
                                               "password2": NEW_PASSWORD})
    assert response.status_code == 200
    assert User.objects.count() == users
    world.invitation.refresh_from_db()
    assert world.invitation.state == "pending"
    assert world.invitation.partner.user is None
    assert world.other_partner.user.check_password(PASSWORD)


def test_an_existing_login_must_sign_in_first_and_no_second_login_is_made(client, world):
    trustee = TrusteeFactory(email="margaret@example.test")
    invitation = PartnerInvitationFactory(email="Margaret@example.test")
    url = _accept_url(invitation)
    page = _page(client.get(url))
    assert "Sign in first" in page
    assert f"{reverse('account_login')}?next={url}" in page.replace("%2F", "/")
    client.post(url, {"how": "password", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert User.objects.filter(email__iexact="margaret@example.test").count() == 1
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    trustee.refresh_from_db()
    assert trustee.check_password(PASSWORD)


def test_signing_in_from_the_invitation_comes_back_to_it(client, world):
    TrusteeFactory(email="margaret@example.test")
    invitation = PartnerInvitationFactory(email="margaret@example.test")
    login = f"{reverse('account_login')}?next={_accept_url(invitation)}"
    response = client.post(login, {"login": "margaret@example.test", "password": PASSWORD})
    assert response.url == _accept_url(invitation)
    assert "Add this to your login" in _page(client.get(response.url))


def test_trustee_accepts_a_partner_invitation_and_keeps_one_login_with_both_roles(client, world):
    trustee = TrusteeFactory(email="margaret@example.test")
    invitation = PartnerInvitationFactory(email="margaret@example.test")
    client.force_login(trustee)
    page = _page(client.get(_accept_url(invitation)))
    assert "Add this to your login" in page
    assert 'type="password"' not in page, "an existing login keeps its password"
    response = client.post(_accept_url(invitation))
    assert response.status_code == 302
    trustee.refresh_from_db()
    assert trustee.is_trustee and trustee.check_password(PASSWORD)
    assert Partner.objects.get(pk=invitation.partner.pk).user == trustee
    assert User.objects.filter(email="margaret@example.test").count() == 1
    assert client.get(reverse("participants:portal_home")).status_code == 200
    assert client.get(reverse("coprod:dashboard")).status_code == 200


def test_partner_accepts_a_trustee_invitation_and_becomes_a_trustee_too(client, world):
    invitation = InvitationFactory(role="trustee", email=world.partner.user.email)
    client.force_login(world.partner.user)
    client.post(_accept_url(invitation))
    world.partner.user.refresh_from_db()
    assert world.partner.user.is_trustee
    assert Partner.objects.get(pk=world.partner.pk).user == world.partner.user


def test_a_login_already_linked_to_a_partner_record_is_not_linked_to_a_second(client, world):
    invitation = PartnerInvitationFactory(email=world.partner.user.email)
    client.force_login(world.partner.user)
    response = client.post(_accept_url(invitation), follow=True)
    assert "already signs in as a lived-experience partner" not in _page(response)  # not the create rule
    assert "already linked to another partner record" in _page(response)
    invitation.refresh_from_db()
    assert invitation.state == "pending"
    assert invitation.partner.user is None


def test_an_invitation_to_an_erased_partner_cannot_be_accepted(client, world):
    invitation = world.invitation
    Partner.objects.filter(pk=invitation.partner.pk).update(erased_at=timezone.now())
    users = User.objects.count()
    response = client.post(_accept_url(invitation), {"how": "code"})
    assert response.status_code == 200
    assert "can no longer be used" in _page(response)
    assert User.objects.count() == users


def test_service_refuses_to_accept_twice(world):
    services.invitation_accept(invitation=world.invitation, password=None)
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(invitation=world.invitation, password=None)
    assert User.objects.filter(email=world.invitation.email).count() == 1


def test_service_validates_the_password_before_creating_a_login(world):
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=world.invitation, password="123")
    assert not User.objects.filter(email=world.invitation.email).exists()


def test_sign_up_stays_closed_while_invitations_are_open(client, world):
    client.post(reverse("account_signup"), {"email": world.invitation.email, "password1": NEW_PASSWORD,
                                            "password2": NEW_PASSWORD})
    assert not User.objects.filter(email=world.invitation.email).exists()
