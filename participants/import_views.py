"""Staff pages of the spreadsheet import: upload, match columns, preview, confirm, follow
the progress, then invite the people it brought in (participants/imports.py)."""

from django.contrib import messages
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import redirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coprod.access import staff_required
from coprod.tables import table_response
from coprod.web import button
from coprod.web import form_page
from coprod.web import paginate
from coprod.web import submit

from . import imports
from . import tasks
from .import_forms import ImportConfirmForm
from .import_forms import ImportInviteForm
from .import_forms import ImportMappingForm
from .import_forms import ImportUploadForm
from .models import ImportBatch
from .tables import ImportBatchTable

NOT_QUEUED = (gettext_lazy("We could not hand this to the workers just now. It is kept: press the button "
                           "again in a few "
              "minutes."))


def get_import_for_user(request: HttpRequest, pk: int) -> ImportBatch:
    """An import, for staff (the decorator has checked the role); anyone else never gets here."""
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)


@staff_required
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    table = ImportBatchTable(ImportBatch.objects.for_list())
    if download := table_response(request, table, filename="imports"):
        return download
    return form_page(request, form, lambda data: imports.import_upload(
        kind=data["kind"], upload=data["file"], by=request.user),
        success=lambda batch: _("“%(file)s” has %(rows)s rows. Now match its columns.") % {
            "file": batch.filename, "rows": number_format(batch.row_count, force_grouping=True)},
        done=lambda batch: redirect("participants:import_columns", pk=batch.pk),
        template=lambda form: render(request, "participants/import_list.html",
                                     {"form": form, "table": table, "page_obj": table.page}))


@staff_required
def import_columns(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_import_for_user(request, pk)
    if batch.status not in {ImportBatch.Status.UPLOADED, ImportBatch.Status.MAPPED}:
        return redirect("participants:import_detail", pk=batch.pk)
    posted = request.POST if request.method == "POST" else None
    form = ImportMappingForm(posted, batch=batch, samples=imports.sample_values(batch))
    if submit(request, form, lambda data: imports.import_map(batch=batch, mapping=form.mapping(),
                                                            by=request.user)):
        return redirect("participants:import_preview", pk=batch.pk)
    return render(request, "participants/import_columns.html", {
        "form": form, "batch": batch, "fields": imports.fields_for(batch.kind)})


PREVIEW_ROWS = 50


@staff_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """What confirming would do. A POST confirms and hands the import to a worker."""
    batch = get_import_for_user(request, pk)
    if batch.status == ImportBatch.Status.UPLOADED:
        return redirect("participants:import_columns", pk=batch.pk)
    if batch.status != ImportBatch.Status.MAPPED:
        return redirect("participants:import_detail", pk=batch.pk)
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    confirmed = submit(request, form, lambda data: imports.import_confirm(
        batch=batch, leave_out_problems=data["leave_out_problems"], by=request.user))
    if confirmed is not None:
        if not tasks.queue(tasks.import_run, confirmed.pk):
            messages.warning(request, NOT_QUEUED)
        return redirect("participants:import_detail", pk=confirmed.pk)
    result = imports.preview(batch, by=request.user)
    labels = {field.key: field.label for field in imports.fields_for(batch.kind)}
    return render(request, "participants/import_preview.html", {
        "batch": batch, "form": form, "counts": result.counts,
        "problems": paginate(request, result.with_problems, per_page=PREVIEW_ROWS, param="problems"),
        "updates": paginate(request, result.to_update, per_page=PREVIEW_ROWS, param="updates"),
        "creates": paginate(request, result.to_create, per_page=PREVIEW_ROWS, param="creates"),
        "skipped": result.skipped[:PREVIEW_ROWS],
        "mapped": [(heading, labels[key]) for heading, key in batch.mapping.items() if key],
        "left_out_columns": [heading for heading, key in batch.mapping.items() if not key],
    })


import_cancel = button(
    get_import_for_user, lambda request, batch: imports.import_cancel(batch=batch, by=request.user),
    lambda batch: _("The import of “%(file)s” is given up and the file deleted. Nothing was imported.") % {
        "file": batch.filename},
    lambda batch: reverse("participants:import_list"))


@never_cache
@staff_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the import is (with a progress bar that updates itself), what it did, and the
    invitations for the people it brought in."""
    batch = get_import_for_user(request, pk)
    progress = imports.get_progress(batch)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": batch.status, "finished": batch.is_finished, **progress})
    if request.method == "POST" and batch.status == ImportBatch.Status.QUEUED and not progress["running"]:
        # The worker queue could not be reached when it was confirmed: hand it over again.
        if tasks.queue(tasks.import_run, batch.pk):
            messages.success(request, _("The import has been handed to the workers."))
        else:
            messages.warning(request, NOT_QUEUED)
        return redirect("participants:import_detail", pk=batch.pk)
    invitees = imports.invitees(batch) if batch.status == ImportBatch.Status.DONE else []
    form = ImportInviteForm(
        initial={"people": [invitee.pk for invitee in invitees if invitee.can_invite]},
        choices=[(invitee.pk, invitee.name) for invitee in invitees if invitee.can_invite])
    return render(request, "participants/import_detail.html", {
        "batch": batch, "progress": progress, "form": form,
        "invitees": invitees, "can_invite": sum(invitee.can_invite for invitee in invitees),
    })


@require_POST
@staff_required
def import_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite everyone chosen who can be (an e-mail address, agreed to be contacted, no login
    or invitation yet). The worker sends the invitations."""
    batch = get_import_for_user(request, pk)
    invitees = imports.invitees(batch) if batch.status == ImportBatch.Status.DONE else []
    form = ImportInviteForm(request.POST, choices=[(i.pk, i.name) for i in invitees if i.can_invite])
    chosen = submit(request, form, lambda data: (
        imports.import_invite(batch=batch, ids=data["people"], by=request.user), data["people"])[1])
    if chosen is None:
        for error in form.errors.get("people", []) + form.non_field_errors():
            messages.error(request, error)
        return redirect("participants:import_detail", pk=batch.pk)
    base_url = request.build_absolute_uri("/")
    if tasks.queue(tasks.import_invite_send, batch.pk, chosen, request.user.pk, base_url):
        messages.success(request, ngettext(
            "Sending %(count)s invitation. Each person gets their own link by e-mail.",
            "Sending %(count)s invitations. Each person gets their own link by e-mail.", len(chosen)) % {
                "count": number_format(len(chosen), force_grouping=True)})
    else:
        messages.warning(request, NOT_QUEUED)
    return redirect("participants:import_detail", pk=batch.pk)
