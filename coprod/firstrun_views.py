"""The first-run checklist's pages (see coprod/firstrun.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.http import HttpRequest
from django.http import HttpResponse
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import firstrun
from .access import staff_required
from .web import act


def _require_setup_permission(request: HttpRequest) -> None:
    if not firstrun.may_run_setup(request.user):
        raise PermissionDenied


@staff_required
def setup_checklist(request: HttpRequest) -> HttpResponse:
    _require_setup_permission(request)
    rows = firstrun.progress()
    return render(request, "coprod/setup_checklist.html", {
        "rows": rows, "finished": firstrun.is_finished(rows),
        "done": sum(row.state == "done" for row in rows),
    })


ACTIONS = {
    "done": (gettext_lazy("marked as done"),
             lambda key, by: firstrun.setup_step_mark(key=key, state="done", by=by)),
    "skip": (gettext_lazy("skipped for now"),
             lambda key, by: firstrun.setup_step_mark(key=key, state="skipped", by=by)),
    "reopen": (gettext_lazy("back on the list"),
               lambda key, by: firstrun.setup_step_reopen(key=key, by=by)),
}


@require_POST
@staff_required
def setup_step(request: HttpRequest, key: str) -> HttpResponse:
    """Mark a step done, skip it, or put it back on the list (`action` in the form)."""
    _require_setup_permission(request)
    step = firstrun.step_for_key(key)
    if step is None or request.POST.get("action") not in ACTIONS:
        raise Http404
    said, action = ACTIONS[request.POST["action"]]
    done = _("“%(step)s” is %(said)s.") % {"step": step.title, "said": said}
    if act(request, lambda: action(key, request.user), done) is not None and firstrun.is_finished():
        messages.success(request, _("Every step is done or skipped: the checklist has left the staff home "
                                    "page. It stays here, so you can come back to any step."))
    return redirect(reverse("coprod:setup_checklist") + f"#step-{key}")
