"""Invitation pages the permission sweep cannot reach (links that are no longer
valid, a login that already exists, errors on the form), audited with axe-core in
Chromium, and the whole acceptance done in the browser."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ..browser import axe_violations
from .factories import PartnerFactory
from .factories import PartnerInvitationFactory
from .factories import TrusteeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accept_url(invitation) -> str:
    return reverse("participants:invitation_accept", kwargs={"token": invitation.token})


def _accept_with_passwords(tab, invitation, password: str, again: str):
    """On `invitation`'s page in `tab`, choose to set a password, type it twice and send."""
    tab.goto(_accept_url(invitation))
    tab.get_by_label("Set a password").check()
    tab.get_by_label("Choose a password").fill(password)
    tab.get_by_label("Type the password again").fill(again)
    tab.get_by_role("button", name="Set up my login").click()
    return tab


def _audit(tab, url: str, status: int = 200) -> list[str]:
    tab.errors.clear()
    response = tab.goto(url)
    problems = [] if response.status == status else [f"{url}: answered {response.status}"]
    problems += [f"{url}: {line}" for line in axe_violations(tab)]
    # Chromium logs any non-2xx document as a failed resource; for a 410 that is the point.
    expected = f"status of {status}" if status != 200 else None
    problems += [f"{url}: console error: {error}" for error in tab.errors
                 if not (expected and "Failed to load resource" in error and expected in error)]
    return problems


def test_invitation_pages_outside_the_sweep_pass_axe(world, browser_page_for):
    margaret = TrusteeFactory(email="margaret@example.test")
    for_margaret = PartnerInvitationFactory(email=margaret.email)
    used = PartnerInvitationFactory(accepted_at=timezone.now())
    uninvited = PartnerFactory(full_name="Una Uninvited")

    anonymous = browser_page_for(None)
    problems = _audit(anonymous, _accept_url(world.invitation_expired), status=410)
    problems += _audit(anonymous, _accept_url(world.invitation_revoked), status=410)
    problems += _audit(anonymous, _accept_url(used), status=410)
    problems += _audit(anonymous, _accept_url(for_margaret))  # sign in first

    signed_in = browser_page_for(margaret)
    problems += _audit(signed_in, _accept_url(for_margaret))  # add the role to this login

    staff = browser_page_for(world.staff)
    problems += _audit(staff, f"{reverse('participants:invitation_create')}?partner={uninvited.pk}")
    problems += _audit(staff, reverse("participants:partner_detail", args=[uninvited.pk]))
    problems += _audit(staff, reverse("participants:partner_detail", args=[world.invitation.partner.pk]))
    problems += _audit(staff, reverse("participants:invitation_list") + "?state=expired")
    assert not problems, "\n".join(problems)


def test_form_errors_pass_axe(world, browser_page_for):
    tab = _accept_with_passwords(browser_page_for(None), world.invitation, "short", "different")
    assert "not the same" in tab.content()
    problems = [f"accept form with errors: {line}" for line in axe_violations(tab)]

    staff = browser_page_for(world.staff)
    staff.goto(reverse("participants:invitation_create"))
    staff.get_by_role("button", name="Send the invitation").click()
    assert "Enter the name of the person you are inviting" in staff.content()
    problems += [f"invitation form with errors: {line}" for line in axe_violations(staff)]
    assert not problems, "\n".join(problems)


def test_newcomer_accepts_in_the_browser_and_lands_on_their_page(world, browser_page_for):
    tab = _accept_with_passwords(browser_page_for(None), world.invitation, "Riverside-bus-pass-2024",
                                 "Riverside-bus-pass-2024")
    tab.wait_for_url("**/my/")
    assert tab.locator("h1").inner_text() == "Hello, Nia Newcomer"
    assert not tab.errors
