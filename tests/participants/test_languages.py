"""A partner's language: they choose it in their portal, staff set it for them, and their
pages, e-mails and data export then speak it (Welsh here; English stays as it was)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from coprod.models import OutgoingEmail
from coprod.models import Report
from participants import data_protection
from participants import forms
from participants import services
from participants.models import ConsentStatement
from participants.models import Partner
from tests.helpers import pdf_text

from .factories import ConsentFactory
from .factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Welsh page leaves Welsh active in this thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _my_details(**changes) -> dict:
    data = {"preferred_name": "", "pronouns": "", "language": "", "preferred_contact": "email",
            "email": "partner@example.test", "phone": "", "address": "", "interpreter_language": "",
            "access_notes": "", "availability": ""}
    data.update(changes)
    return data


def _staff_form(partner: Partner, **changes) -> dict:
    data = {"full_name": partner.full_name, "preferred_name": "", "pronouns": "", "email": partner.email,
            "phone": "", "address": "", "preferred_contact": "email", "strengths": "", "skills": "",
            "interests": "", "availability": "", "service": "", "link_worker": "",
            "payment_preference": "bank_transfer", "language": ""}
    data.update(changes)
    return data


def test_partner_chooses_welsh_for_their_record_and_their_login(world, partner_client):
    response = partner_client.post(reverse("participants:my_details_edit"), _my_details(language="cy"))
    assert response.url == reverse("participants:my_details")
    partner = Partner.objects.select_related("user").get(pk=world.partner.pk)
    assert partner.language == "cy"
    assert partner.user.language == "cy", "portal and notices agree"
    assert partner.history.latest().history_user == world.partner.user, "the history names who did it"


def test_the_thank_you_after_choosing_welsh_is_in_welsh(world, partner_client):
    response = partner_client.post(reverse("participants:my_details_edit"), _my_details(language="cy"),
                                   follow=True)
    assert "Diolch. Mae eich manylion wedi’u cadw." in response.content.decode()


def test_staff_set_the_language_of_a_partner_without_a_login(world, staff_client):
    partner = PartnerFactory(full_name="Nia Ddim-Mewngofnodi", email="nia.ddim@example.test")
    response = staff_client.post(reverse("participants:partner_edit", args=[partner.pk]),
                                 _staff_form(partner, language="pl"))
    assert response.status_code == 302, response.context["form"].errors
    partner.refresh_from_db()
    assert partner.language == "pl"
    assert partner.history.latest().history_user == world.staff
    page = staff_client.get(reverse("participants:partner_detail", args=[partner.pk])).content.decode()
    assert "Polski" in page, "the staff page shows their language"


def test_staff_set_the_language_of_a_partner_with_a_login_for_both(world, staff_client):
    partner = world.partner
    staff_client.post(reverse("participants:partner_edit", args=[partner.pk]),
                      _staff_form(partner, language="cy"))
    partner = Partner.objects.select_related("user").get(pk=partner.pk)
    assert (partner.language, partner.user.language) == ("cy", "cy")
    page = staff_client.get(reverse("participants:partner_detail", args=[partner.pk])).content.decode()
    assert "Cymraeg" in page
    assert "Preferred way to contact" in page, "the staff member's page stays in English"


@pytest.mark.parametrize("form_class", [forms.MyDetailsForm, forms.PartnerForm])
def test_the_forms_refuse_a_language_coprod_does_not_speak(world, form_class):
    kwargs = {"sensitive": False} if form_class is forms.PartnerForm else {}
    data = _my_details(language="fr") if form_class is forms.MyDetailsForm else _staff_form(
        world.partner, language="fr")
    form = form_class(data, instance=world.partner, **kwargs)
    assert not form.is_valid()
    assert "language" in form.errors


def test_the_services_refuse_a_language_coprod_does_not_speak(world):
    with pytest.raises(ValidationError) as refused:
        services.partner_update_own_details(partner=world.partner, data={"language": "xx"},
                                            by=world.partner.user)
    assert "language" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.partner_update(partner=world.partner, data={"language": "fr"}, by=world.staff)
    world.partner.refresh_from_db()
    assert world.partner.language == ""


def _speaking(partner: Partner, language: str) -> None:
    Partner.objects.filter(pk=partner.pk).update(language=language)
    partner.user.language = language
    partner.user.save(update_fields=["language"])


def test_a_welsh_partners_portal_home_and_details_are_in_welsh(world, partner_client):
    _speaking(world.partner, "cy")
    home = partner_client.get(reverse("participants:portal_home")).content.decode()
    assert "Helo, Pat<" in home
    assert "Dyma eich tudalen eich hun." in home
    assert "Amdanoch chi" in home
    assert "This is your own page." not in home
    details = partner_client.get(reverse("participants:my_details")).content.decode()
    assert "Eich manylion" in details
    assert "Newid eich manylion" in details
    assert "Sut rydym yn cysylltu â chi" in details
    form = partner_client.get(reverse("participants:my_details_edit")).content.decode()
    assert "Pa iaith hoffech i ni ei defnyddio?" in form


def test_an_english_speaking_partners_pages_are_unchanged(world, client_for):
    _speaking(world.other_partner, "")
    client = client_for("other_partner")
    home = client.get(reverse("participants:portal_home")).content.decode()
    assert "Hello, Olly Other" in home
    assert "This is your own page. Only you and the staff team can see it." in home
    details = client.get(reverse("participants:my_details")).content.decode()
    assert "How we contact you" in details
    assert "No preference (English)" in details


def _agrees_to_be_contacted(partner: Partner) -> None:
    ConsentFactory(partner=partner, statement=ConsentStatement.objects.current("contact"))


def test_a_welsh_partner_is_told_of_a_change_of_status_in_welsh(world):
    _speaking(world.partner, "cy")
    _agrees_to_be_contacted(world.partner)
    services.partner_change_status(partner=world.partner, status=Partner.Status.ACTIVE, by=world.staff)
    email = OutgoingEmail.objects.filter(partner=world.partner, kind="partner_status_changed").latest("pk")
    assert "Annwyl Pat," in email.body
    assert "Dear Pat" not in email.body
    assert "eich cyfranogiad" in email.subject


def test_an_english_speaking_partner_is_told_in_english(world):
    _agrees_to_be_contacted(world.partner)
    services.partner_change_status(partner=world.partner, status=Partner.Status.ACTIVE, by=world.staff)
    email = OutgoingEmail.objects.filter(partner=world.partner, kind="partner_status_changed").latest("pk")
    assert email.body.startswith("Dear Pat,")


def test_money_in_a_data_export_is_in_pounds_and_hours_are_not():
    assert data_protection.readable(Decimal("1234.5"), key="paid") == "£1,234.50"
    assert data_protection.readable(Decimal("1234.5"), key="approved_amount") == "£1,234.50"
    assert data_protection.readable(Decimal("2.50"), key="hours") == "2.50"
    lines = data_protection.readable([{"kind": "Travel", "amount": Decimal("3000")}])
    assert "£3,000.00" in lines


def test_the_partners_data_export_pdf_shows_their_payments_in_pounds(
    world, partner_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        partner_client.post(reverse("participants:my_data_pdf"))
    report = Report.objects.get(kind=Report.Kind.DATA_EXPORT, partner=world.partner)
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(report.file.read())
    assert "Claims and payments" in text
    assert "£" in text


def test_a_welsh_partners_data_export_pdf_is_in_welsh(
    world, partner_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    _speaking(world.partner, "cy")
    with django_capture_on_commit_callbacks(execute=True):
        partner_client.post(reverse("participants:my_data_pdf"))
    report = Report.objects.get(kind=Report.Kind.DATA_EXPORT, partner=world.partner)
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(report.file.read())
    assert "Popeth sydd gan" in text
    assert "Proffil" in text and "Hanes statws" in text
    assert "Status history" not in text
    assert "£" in text
