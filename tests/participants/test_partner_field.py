"""Choosing a partner by typing (participants/partner_field.py): the field's rules without
JavaScript, and the suggestions staff see as they type."""

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.models import AccessNeed
from participants.models import Course
from participants.models import Partner
from participants.models import TrainingRecord
from participants.partner_field import MOST_SHOWN
from participants.partner_field import MOST_SUGGESTED
from participants.partner_field import PartnerField

from .factories import PartnerFactory
from .factories import StaffFactory


class OnePartner(forms.Form):
    partner = PartnerField(scope="current")


class AnyoneNotErased(forms.Form):
    partner = PartnerField(scope="not_erased", required=False)


def _sent(form_class=OnePartner, **data) -> forms.Form:
    form = form_class({f"partner{'_find' if key == 'text' else ''}": value for key, value in data.items()})
    form.is_valid()
    return form


@pytest.fixture
def pats(db):
    return (PartnerFactory(full_name="Pat Partner", preferred_name="Pat", email="pat@example.test"),
            PartnerFactory(full_name="Patricia Jones", email="pj@example.test"))


def test_one_match_is_that_partner(pats):
    form = _sent(text="  jones ")
    assert form.is_valid() and form.cleaned_data["partner"] == pats[1]


def test_preferred_name_and_e_mail_address_find_them_too(pats):
    assert _sent(text="PJ@EXAMPLE").cleaned_data["partner"] == pats[1]
    PartnerFactory(full_name="Robert Brown", preferred_name="Bobby")
    assert _sent(text="bobby").cleaned_data["partner"].full_name == "Robert Brown"


def test_no_match_says_so_plainly(pats):
    form = _sent(text="Zed")
    assert form.errors["partner"] == ["No partner matches ‘Zed’. Check the spelling or search by e-mail."]


def test_several_matches_are_offered_as_radio_buttons_to_tell_apart(pats):
    form = _sent(text="pat")
    assert form.errors["partner"] == ["2 partners match ‘pat’. Choose one of them."]
    html = str(form["partner"])
    for partner in pats:
        assert f'type="radio" name="partner" value="{partner.pk}"' in html
        assert partner.email in html and f"partner no. {partner.pk}" in html
    assert "(known as Pat)" in html and "Which partner do you mean?" in html


def test_choosing_one_of_several_gives_that_partner(pats):
    form = _sent(text="pat", partner=str(pats[1].pk))
    assert form.is_valid() and form.cleaned_data["partner"] == pats[1]


def test_a_choice_that_no_longer_matches_the_text_searches_again(pats):
    olly = PartnerFactory(full_name="Olly Other")
    form = _sent(text="olly", partner=str(pats[0].pk))  # typed again after choosing Pat
    assert form.cleaned_data["partner"] == olly


def test_two_people_with_the_same_name_are_told_apart_by_the_chosen_number(db):
    first, second = PartnerFactory(full_name="Sam Smith"), PartnerFactory(full_name="Sam Smith")
    assert not _sent(text="Sam Smith").is_valid()
    assert _sent(text="Sam Smith", partner=str(second.pk)).cleaned_data["partner"] == second
    assert _sent(text="Sam Smith", partner=str(first.pk)).cleaned_data["partner"] == first


def test_too_many_matches_ask_for_more_of_the_name(db):
    for number in range(MOST_SHOWN + 1):
        PartnerFactory(full_name=f"Alex Number {number}")
    form = _sent(text="alex")
    assert form.errors["partner"] == [
        f"More than {MOST_SHOWN} partners match ‘alex’. Type more of their name, or their e-mail address."]
    assert str(form["partner"]).count('type="radio"') == MOST_SHOWN


@pytest.mark.parametrize(("data", "message"), [
    ({}, "Type part of the partner's name, preferred name or e-mail address."),
    ({"text": "   "}, "Type part of the partner's name, preferred name or e-mail address."),
    ({"partner": "not a number"}, "That partner cannot be chosen here."),
    ({"partner": "999999"}, "That partner cannot be chosen here."),
    ({"text": "x" * 151}, "Type at most 150 characters."),
])
def test_bad_input_is_refused_with_a_clear_message(pats, data, message):
    form = _sent(**data)
    assert not form.is_valid() and form.errors["partner"][0].startswith(message)


def test_partners_outside_the_forms_list_are_never_found_nor_chosen(pats):
    left = PartnerFactory(full_name="Lee Left", status=Partner.Status.LEFT)
    erased = PartnerFactory(full_name="Eddie Erased", erased_at=timezone.now())
    assert _sent(text="Lee Left").errors["partner"][0].startswith("No partner matches")
    assert not _sent(partner=str(left.pk)).is_valid()
    # A recognition may go to someone who has left, never to an erased record.
    assert _sent(AnyoneNotErased, text="Lee Left").cleaned_data["partner"] == left
    assert _sent(AnyoneNotErased, text="Eddie").errors["partner"][0].startswith("No partner matches")
    assert not _sent(AnyoneNotErased, partner=str(erased.pk)).is_valid()


def test_an_optional_field_left_empty_is_nobody(pats):
    form = _sent(AnyoneNotErased)
    assert form.is_valid() and form.cleaned_data["partner"] is None


def test_a_partner_given_as_initial_shows_their_name_and_keeps_their_number(pats):
    html = str(OnePartner(initial={"partner": pats[0].pk})["partner"])
    assert 'name="partner_find" value="Pat Partner"' in html
    assert f'name="partner" value="{pats[0].pk}"' in html
    assert "Chosen: Pat Partner (known as Pat), pat@example.test" in html


def test_the_text_box_is_labelled_and_enhanced_only_by_script(pats):
    html = OnePartner().as_div()
    assert '<label for="id_partner"' in html and 'id="id_partner"' in html
    assert 'hx-get="/staff/partners/suggest/"' in html and 'role="combobox"' not in html
    assert "<select" not in html


# --- Suggestions as staff type ---


@pytest.fixture
def staff_client(db) -> Client:
    client = Client()
    client.force_login(StaffFactory())
    return client


def _suggest(client, **params):
    return client.get(reverse("participants:partner_suggest"), params)


def test_suggestions_are_a_listbox_of_matching_current_partners(staff_client, pats):
    PartnerFactory(full_name="Patrick Left", status=Partner.Status.LEFT)
    page = _suggest(staff_client, q="pat", list="id_partner_suggestions").content.decode()
    assert 'role="listbox"' in page and page.count('role="option"') == 2
    assert 'id="id_partner_suggestions_box"' in page and f'data-pk="{pats[0].pk}"' in page
    assert "Patrick Left" not in page
    assert "Patrick Left" in _suggest(staff_client, q="pat", scope="not_erased").content.decode()


def test_at_most_a_few_suggestions_and_none_for_one_letter(staff_client, db):
    for number in range(MOST_SUGGESTED + 5):
        PartnerFactory(full_name=f"Alex Number {number}")
    assert _suggest(staff_client, q="alex").content.decode().count('role="option"') == MOST_SUGGESTED
    assert 'role="option"' not in _suggest(staff_client, q="a").content.decode()
    assert "No partner matches ‘zzz’" in _suggest(staff_client, q="zzz").content.decode()


def test_suggestions_show_no_sensitive_details(staff_client, db):
    partner = PartnerFactory(full_name="Pat Partner", interpreter_language="Tigrinya",
                             access_notes="Needs a quiet room", benefit_check=True, phone="07700 900123",
                             address="1 High Street")
    partner.access_needs.add(AccessNeed.objects.create(name="Hearing loop in every room"))
    page = _suggest(staff_client, q="pat").content.decode()
    assert "Pat Partner" in page
    for secret in ("Tigrinya", "quiet room", "Hearing loop", "07700", "High Street", "benefit"):
        assert secret not in page


def test_suggestions_refuse_an_unknown_list_and_odd_ids(staff_client, pats):
    assert _suggest(staff_client, q="pat", scope="everyone").status_code == 404
    page = _suggest(staff_client, q="pat", list='"><script>').content.decode()
    assert "<script>" not in page.split("</ul>")[0] and 'id="partner_suggestions_box"' in page


@pytest.mark.parametrize(("role", "status"), [
    ("anonymous", 302), ("partner", 403), ("other_partner", 403), ("trustee", 403), ("staff", 200)])
def test_only_staff_get_suggestions(client_for, role, status):
    response = client_for(role).get(reverse("participants:partner_suggest"), {"q": "olly"})
    assert response.status_code == status
    assert (b'role="option"' in response.content) == (role == "staff")


# --- The training record form ---


def test_staff_record_training_by_typing_the_partners_name(staff_client, pats):
    course = Course.objects.create(name="Chairing meetings")
    url = reverse("participants:training_record_create")
    data = {"course": course.pk, "partner_find": "pat", "completed_on": "2025-01-15"}
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "2 partners match ‘pat’" in response.content.decode()
    assert not TrainingRecord.objects.exists()
    response = staff_client.post(url, {**data, "partner_find": "Jones"})
    assert response.status_code == 302
    assert TrainingRecord.objects.get().partner == pats[1]
