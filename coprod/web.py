"""What every app's views share: running a service from a form or a button and showing
what it refused, a whole form page and its add and change views, a button's whole view,
turning a request away, and paginating a list (shown with `templates/_pagination.html`)."""

from collections.abc import Callable
from collections.abc import Mapping
from typing import Any
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .access import staff_required

T = TypeVar("T")

PER_PAGE = 25


def show_errors(form: BaseForm, error: ValidationError, *, rename: Mapping[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: beside its field when the form has a
    field of that name (after `rename`, for a service that calls a field something else),
    above the form otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def submit(request: HttpRequest, form: BaseForm, action: Callable[[dict[str, Any]], T], *,
           rename: Mapping[str, str] | None = None) -> T | None:
    """Run `action(form.cleaned_data)` (one call to a service) when the request is a POST and
    the form is valid, and answer what it returned. Answers None when nothing was saved:
    nothing posted, the form invalid, or the service refused with a ValidationError, which
    is then shown on the form (see `show_errors`). So `action` answers something other than
    None when it succeeds (the object saved, say)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        show_errors(form, error, rename=rename)
        return None


def form_page(request: HttpRequest, form: BaseForm, action: Callable[[dict[str, Any]], T], *,
              success: str | Callable[[T], str], done: str | Callable[[T], HttpResponse],
              template: str | Callable[[BaseForm], HttpResponse], context: Mapping[str, Any] | None = None,
              rename: Mapping[str, str] | None = None) -> HttpResponse:
    """A page whose form runs one service: on success say `success` (or `success(result)`)
    and go to `done` (a URL or URL name, or `done(result)` answering the response);
    otherwise show `template` with the form (and its errors) and `context`, or answer
    `template(form)` (a page that shows the form among others, say)."""
    result = submit(request, form, action, rename=rename)
    if result is None and callable(template):
        return template(form)
    if result is None:
        return render(request, template, {"form": form, **(context or {})})
    messages.success(request, success(result) if callable(success) else success)
    return done(result) if callable(done) else redirect(done)


def create_and_edit(form_view: Callable[[HttpRequest, Any], HttpResponse],
                    load: Callable[[HttpRequest, int], Any], *,
                    role: Callable = staff_required) -> tuple[Callable, Callable]:
    """The "add" and "change" views (for `role`) of one form page, `form_view(request,
    instance)`: instance None when adding, `load(request, pk)` (which authorises) when
    changing."""

    @role
    def create(request: HttpRequest) -> HttpResponse:
        return form_view(request, None)

    @role
    def edit(request: HttpRequest, pk: int) -> HttpResponse:
        return form_view(request, load(request, pk))

    return create, edit


def refusal(error: ValidationError) -> str:
    """A service's refusal as one line, for a message shown after a redirect."""
    return " ".join(error.messages)


def act(request: HttpRequest, action: Callable[[], T], success: str | Callable[[T], str], *,
        refused: str = "") -> T | None:
    """Run `action()` (one call to a service, for a button without a form) and say how it went
    in a message: `success` (or `success(result)`) when it worked, otherwise the service's
    refusal after the `refused` prefix. Answers what `action` returned, None when refused."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, refused + refusal(error))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


def act_on_form(request: HttpRequest, form: BaseForm, action: Callable[[dict[str, Any]], T],
                success: str | Callable[[T], str], *, refused: str) -> T | None:
    """A small form on a page shown again after a redirect: run `action(cleaned_data)` as
    `act` does, or say after `refused` what is wrong with the form. Answers what `action`
    returned, None when nothing was saved."""
    if not form.is_valid():
        problem = " ".join(message for errors in form.errors.values() for message in errors)
        messages.error(request, refused + problem)
        return None
    return act(request, lambda: action(form.cleaned_data), success, refused=refused)


def turn_away(request: HttpRequest, message: str, to: str, *args: Any, level: int = messages.ERROR,
              **kwargs: Any) -> HttpResponse:
    """Say why the page cannot do what was asked (`message`, at `level`) and go to `to` (a URL
    or URL name, with the arguments `redirect` takes)."""
    messages.add_message(request, level, message)
    return redirect(to, *args, **kwargs)


def button(load: Callable[[HttpRequest, int], T], action: Callable[[HttpRequest, T], Any],
           success: Callable[[T], str], done: str | Callable[[T], str], *,
           role: Callable = staff_required) -> Callable[[HttpRequest, int], HttpResponse]:
    """The view of a button (a POST without a form, for `role`) on a record's page: load the
    record (`load(request, pk)`, which authorises), run `action(request, record)` (one call to
    a service) as `act` does, saying `success(record)` or the refusal, then go to `done`: a
    URL name given the record's pk, or `done(record)` answering the URL."""

    @require_POST
    @role
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        record = load(request, pk)
        act(request, lambda: action(request, record), success(record))
        return redirect(done(record) if callable(done) else reverse(done, args=[record.pk]))

    return view


def _query_with(query: QueryDict, param: str, number: int) -> QueryDict:
    # The page number goes last, after the list's filters (a repeated one keeps every value).
    query = query.copy()
    query.pop(param, None)
    query[param] = str(number)
    return query


def paginate(request: HttpRequest, queryset, per_page: int = PER_PAGE, param: str = "page") -> Page:
    """The page of `queryset` asked for by `?<param>=` (the last page when it is past the end,
    the first when it is not a number). The page carries the query strings of its neighbours
    (`previous_query`, `next_query`), which keep the list's filters and the page numbers of
    other lists on the same screen."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))
    page.previous_query = _query_with(request.GET, param, page.number - 1) if page.has_previous() else None
    page.next_query = _query_with(request.GET, param, page.number + 1) if page.has_next() else None
    return page
