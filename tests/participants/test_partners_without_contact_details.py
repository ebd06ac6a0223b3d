"""Partners with no e-mail, phone or address of their own (people in homelessness
services, say) are reached through their link worker; staff see at a glance on a
partner's page what they must not do, withdrawn consent to be contacted included."""

import pytest
from django.urls import reverse

from participants import services
from participants.models import ConsentStatement
from participants.models import Partner

from .factories import ConsentFactory
from .factories import PartnerFactory
from .factories import PartnerWithLoginFactory
from .factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_staff_add_a_partner_with_nothing_but_a_name(client):
    staff = StaffFactory()
    client.force_login(staff)
    # What the browser sends when only the name is typed: the first contact choice is still selected.
    response = client.post(reverse("participants:partner_create"), {
        "full_name": "Sam Street", "preferred_contact": "email", "payment_preference": "cash",
        "status": "enquiry",
    })
    partner = Partner.objects.get(full_name="Sam Street")
    assert response.url == reverse("participants:partner_detail", args=[partner.pk])
    assert partner.preferred_contact == Partner.ContactMethod.LINK_WORKER
    page = client.get(response.url).content.decode()
    assert "No contact details: through their link worker" in page


def test_staff_can_choose_through_their_link_worker(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.post(reverse("participants:partner_create"), {
        "full_name": "Lee Link", "preferred_contact": "link", "link_worker": staff.pk,
        "payment_preference": "cash", "status": "active",
    })
    partner = Partner.objects.get(full_name="Lee Link")
    assert (partner.preferred_contact, partner.link_worker) == (Partner.ContactMethod.LINK_WORKER, staff)


def test_a_chosen_way_of_contact_still_needs_its_detail():
    staff = StaffFactory()
    with pytest.raises(Exception, match="They prefer post, but there is no postal address"):
        services.partner_create(data={"full_name": "Pat Post", "preferred_contact": "post"}, by=staff)
    assert not Partner.objects.filter(full_name="Pat Post").exists()


def test_a_partner_may_choose_their_link_worker_on_their_own_details(client):
    partner = PartnerWithLoginFactory(preferred_contact="email")
    client.force_login(partner.user)
    response = client.post(reverse("participants:my_details_edit"), {
        "preferred_contact": "link", "email": partner.email, "phone": "", "address": "",
    })
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.preferred_contact == Partner.ContactMethod.LINK_WORKER


def test_withdrawn_consent_to_be_contacted_shows_do_not_contact_on_the_partner_page(client):
    partner = PartnerFactory(full_name="Wren Withdrawn")
    consent = ConsentFactory(partner=partner,
                             statement=ConsentStatement.objects.filter(topic="contact").order_by("-version").first())
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("participants:partner_detail", args=[partner.pk])
    assert "Do not contact" not in client.get(url).content.decode()

    services.consent_withdraw(consent=consent, by=staff)

    page = client.get(url).content.decode()
    assert "Do not contact" in page
    assert "Being contacted: not agreed" in page
