"""The helpers every app's views and services share: running a service from a form or a
button (coprod.web), paginating a list with its filters kept (templates/_pagination.html),
and saving a change with its history (coprod.changes)."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from coprod.changes import model_create
from coprod.changes import model_delete
from coprod.changes import model_update
from coprod.models import Service
from coprod.web import act
from coprod.web import form_page
from coprod.web import paginate
from coprod.web import submit

from ..participants.factories import StaffFactory
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


class DateForm(forms.Form):
    title = forms.CharField()
    starts = forms.CharField(required=False)


def _request(method: str = "get", path: str = "/", data=None):
    request = getattr(RequestFactory(), method)(path, data or {})
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    request.user = AnonymousUser()
    return request


def _refuse(error):
    def action(data):
        raise error
    return action


def test_submit_runs_the_service_with_the_cleaned_data_and_answers_what_it_made():
    request = _request("post", data={"title": "  Board  "})
    form = DateForm(request.POST)
    assert submit(request, form, lambda data: f"made {data['title']}") == "made Board"


def test_submit_runs_nothing_on_a_get_or_an_invalid_form():
    ran = []
    get = _request()
    assert submit(get, DateForm(None), ran.append) is None
    post = _request("post", data={"title": ""})
    form = DateForm(post.POST)
    assert submit(post, form, ran.append) is None
    assert ran == [] and "title" in form.errors


def test_a_refusal_is_shown_beside_its_field_or_above_the_form():
    request = _request("post", data={"title": "Board"})
    form = DateForm(request.POST)
    refusal = ValidationError({"title": "There is one already.", "service": "Choose a service.",
                               "starts_at": "Start after 8am."})
    assert submit(request, form, _refuse(refusal), rename={"starts_at": "starts"}) is None
    assert form.errors["title"] == ["There is one already."]
    assert form.errors["starts"] == ["Start after 8am."]
    # The form has no "service" field: the message stands above the form.
    assert form.non_field_errors() == ["Choose a service."]

    form = DateForm(request.POST)
    submit(request, form, _refuse(ValidationError("This panel is closed.")))
    assert form.non_field_errors() == ["This panel is closed."]


def test_a_form_page_says_what_was_saved_and_moves_on_or_shows_the_form_again():
    request = _request("post", data={"title": "Board"})
    response = form_page(request, DateForm(request.POST), lambda data: data["title"],
                         success=lambda title: f"{title} saved.", done="/services/",
                         template="coprod/service_form.html")
    assert (response.status_code, response.url) == (302, "/services/")
    assert [str(m) for m in get_messages(request)] == ["Board saved."]

    request = _request("post", data={"title": "Board"})
    response = form_page(request, DateForm(request.POST), _refuse(ValidationError("Closed today.")),
                         success="Saved.", done="/services/", template="coprod/service_form.html",
                         context={"service": None})
    assert response.status_code == 200
    assert "Closed today." in response.content.decode()
    assert list(get_messages(request)) == []


def test_act_says_what_was_done_or_why_it_was_refused():
    request = _request("post")

    def pay():
        raise ValidationError("Already paid.")

    assert act(request, lambda: 7, lambda n: f"{n} codes added.") == 7
    assert act(request, pay, "Paid.", refused="Not paid: ") is None
    assert [str(m) for m in get_messages(request)] == ["7 codes added.", "Not paid: Already paid."]


def test_pagination_keeps_every_filter_value_and_other_lists_pages():
    request = _request(path="/claims/",
                       data={"status": ["submitted", "approved"], "due_page": "3", "page": "2"})
    page = paginate(request, list(range(60)))
    assert page.number == 2 and list(page) == list(range(25, 50))
    html = render_to_string("_pagination.html", {"page_obj": page, "what": "claims"}, request=request)
    # The repeated parameter keeps both values; the page number comes last.
    assert 'href="?status=submitted&amp;status=approved&amp;due_page=3&amp;page=1"' in html
    assert 'href="?status=submitted&amp;status=approved&amp;due_page=3&amp;page=3"' in html
    assert "Page 2 of 3" in html and 'aria-label="Pages of claims"' in html


def test_a_second_list_on_the_same_page_has_its_own_parameter():
    request = _request(data={"page": "2", "staff_page": "1"})
    staff = paginate(request, list(range(30)), param="staff_page")
    html = render_to_string("_pagination.html", {"page_obj": staff, "what": "staff"}, request=request)
    assert 'href="?page=2&amp;staff_page=2"' in html and "Previous page" not in html


def test_one_page_shows_no_page_links():
    request = _request()
    assert "Next page" not in render_to_string(
        "_pagination.html", {"page_obj": paginate(request, [1, 2])}, request=request)


def test_model_update_saves_only_what_changed_and_names_who_changed_it():
    champion, other, editor = StaffFactory(), StaffFactory(), StaffFactory()
    service = model_create(Service, by=editor, name="Housing", description="", champion=champion)
    assert service.history.get().history_user == editor

    changed = model_update(instance=service, data={"name": "Housing", "description": "Advice.",
                                                   "champion": other}, by=editor)
    assert changed == ["description", "champion"]
    service.refresh_from_db()
    assert (service.description, service.champion) == ("Advice.", other)
    latest = service.history.first()
    assert latest.history_user == editor and latest.history_type == "~"

    assert model_update(instance=service, data={"name": "Housing", "champion": other.pk}, by=editor) == []
    assert service.history.count() == 2, "nothing changed, nothing recorded"


def test_model_update_compares_a_related_row_by_its_key(django_assert_num_queries):
    service = ServiceFactory(champion=StaffFactory())
    service = Service.objects.get(pk=service.pk)  # the champion is not loaded
    with django_assert_num_queries(0):
        assert model_update(instance=service, data={"champion": service.champion_id}, by=None) == []


def test_model_delete_records_who_deleted_the_row():
    editor = StaffFactory()
    service = ServiceFactory()
    pk = service.pk
    model_delete(service, by=editor)
    assert not Service.objects.filter(pk=pk).exists()
    assert Service.history.filter(id=pk, history_type="-").get().history_user == editor
