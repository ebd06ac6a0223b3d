"""Staff lists as django-tables2 tables: columns sorted by `?sort=`, the list's rows paged by
`coprod.web.paginate`, and the whole filtered, sorted list downloaded as CSV or Excel by
`?export=csv` / `?export=xlsx` (tablib), with exactly the columns the page shows.

A view builds its table over the filtered queryset and hands it to `table_response`:

    table = ClaimTable(claim_filter.qs)
    if download := table_response(request, table, filename="claims"):
        return download
    ... render(..., {"table": table, "page_obj": table.page})

and the template shows it with `{% render_table table %}` (the `_table.html` template: sortable
headers that say which way they sort, the shared pagination partial, and cells labelled so
the table reflows into one card per row on a phone) and `{% include "_table_export.html" %}`.
Columns a person may not see are left out when the table is made (`exclude=`), so neither the
page nor the download holds them.

Several tables on one page each take a `prefix` (as in django-tables2), which names their
parameters: a table made with `prefix="staff-"` is sorted by `?staff-sort=`, paged by
`?staff-page=` and downloaded by `?staff-export=csv`, leaving the other tables' order, page
and download alone. A table without a prefix keeps the plain `sort`, `page` and `export`.
"""

from datetime import date
from datetime import datetime
from decimal import Decimal

import django_tables2 as tables
from django.http import HttpRequest
from django.http import HttpResponse
from django.http import QueryDict
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tables2.export import TableExport
from django_tables2.rows import BoundRows
from tablib import Dataset

from .roles import held_permissions
from .roles import team_roles
from .web import paginate
from .welsh import welsh_status

# A column of figures: right-aligned on a wide screen, kept on one line.
NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
EXPORT_FORMATS = {"csv": "CSV", "xlsx": _("Excel")}
# A spreadsheet reads a cell starting with one of these as a formula (even after spaces).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class NumberColumn(tables.Column):
    """A column of figures (see NUMBER)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, attrs=NUMBER, **kwargs)


class EditColumn(tables.Column):
    """A row's "Edit" link, to the page named `url_name` with the row's pk: its header and
    the row's name are there for screen readers only, and a download leaves it out."""

    def __init__(self, url_name: str, **kwargs):
        super().__init__(_("Actions"), accessor="pk", orderable=False, exclude_from_export=True, **kwargs)
        self.url_name = url_name

    @property
    def header(self) -> SafeString:
        return format_html('<span class="visually-hidden">{}</span>', self.verbose_name)

    def render(self, record) -> SafeString:
        return format_html('<a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                           reverse(self.url_name, args=[record.pk]), _("Edit"), record.name)


def safe_cell(value):
    """One exported cell: text a spreadsheet could run as a formula gets a leading
    apostrophe; numbers and dates stay numbers and dates; times are shown in local time; a
    cell's markup (a link, a badge, a greyed-out default) is reduced to its words."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date | Decimal | int | float):
        return value
    text = strip_tags(str(value)).strip()
    if text.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def muted(text: str) -> SafeString:
    """Greyed-out words for an empty cell ("None scheduled")."""
    return format_html('<span class="text-muted">{}</span>', text)


class StaffTable(tables.Table):
    """A staff list's table. Subclasses declare columns; `value_<column>` methods give the
    exported value where the page shows a link or a badge."""

    class Meta:
        template_name = "_table.html"
        attrs = {"class": "table align-middle table-stack"}
        order_by_field = "sort"
        empty_text = _("Nothing to show.")

    # What the rows are, for the caption and the pagination ("claims", "partners").
    what = _("results")

    @property
    def prefixed_export_field(self) -> str:
        return f"{self.prefix}export"

    def query(self, **changes) -> str:
        """The query string of the page asked for, with this table's `changes` (its names
        without the prefix; None removes one): the other tables' parameters are kept."""
        params = self.request.GET.copy() if hasattr(self, "request") else QueryDict(mutable=True)
        for name, value in changes.items():
            if value is None:
                params.pop(f"{self.prefix}{name}", None)
            else:
                params[f"{self.prefix}{name}"] = value
        return f"?{params.urlencode()}"

    @property
    def headers(self) -> list[tuple]:
        """Each column with the link that sorts the table by it (back to its first page)."""
        return [(column, self.query(sort=column.order_by_alias.next, page=None) if column.orderable else "")
                for column in self.columns]

    @property
    def export_links(self) -> list[tuple[str, str]]:
        """(name, link) of each download of the whole list, in this order."""
        return [(name, self.query(export=export_format, page=None))
                for export_format, name in EXPORT_FORMATS.items()]

    @property
    def paginated_rows(self) -> BoundRows:
        # `page` holds the records themselves (so `page_obj` stays a page of model objects);
        # only the page's rows are made into table rows.
        return BoundRows(self.page.object_list, table=self) if hasattr(self, "page") else self.rows


class SafeTableExport(TableExport):
    """django-tables2's export, each cell made safe for a spreadsheet (`safe_cell`)."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        rows = iter(table.as_values(exclude_columns=exclude_columns))
        dataset = Dataset(headers=[str(header) for header in next(rows)], **(dataset_kwargs or {}))
        for row in rows:
            dataset.append([safe_cell(value) for value in row])
        return dataset


def table_response(request: HttpRequest, table: StaffTable, *, filename: str,
                   per_page: int = 25) -> HttpResponse | None:
    """Sort `table` as asked; answer the download if one was asked for, else page the rows
    (`table.page`) and answer None. Each of the parameters is the table's own (its `prefix`)."""
    tables.RequestConfig(request, paginate=False).configure(table)
    export_format = request.GET.get(table.prefixed_export_field)
    if export_format in EXPORT_FORMATS:
        exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": filename[:31]})
        return exporter.response(f"{filename}-{timezone.localdate():%Y-%m-%d}.{export_format}")
    table.page = paginate(request, table.data.data, per_page=per_page, param=table.prefixed_page_field)
    return None


# --- The core's own lists: the team, and the services and teams ---


class TeamTable(StaffTable):
    """Everyone with a staff or trustee login (`User.objects.team()`, whose prefetches let
    `held_permissions` run no query per row)."""

    what = _("people")
    full_name = tables.Column(_("Name"))
    email = tables.Column(_("E-mail"), visible=False)
    roles = tables.Column(_("Role"), accessor="pk", orderable=False)
    is_active = tables.Column(_("Login"))
    last_login = tables.DateTimeColumn("j M Y, H:i", verbose_name=_("Last signed in"), default=_("Never"))
    permissions = tables.Column(_("Permissions"), accessor="pk", orderable=False)

    class Meta(StaffTable.Meta):
        fields = ()
        sequence = ("full_name", "email", "roles", "is_active", "last_login", "permissions")

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def render_full_name(self, record) -> SafeString:
        return format_html('<a href="{}"><strong>{}</strong></a>{}<br><span class="text-muted">{}</span>',
                           reverse("coprod:team_member", args=[record.pk]), self.value_full_name(record),
                           _(" (you)") if record.pk == self.viewer.pk else "", record.email)

    def value_full_name(self, record) -> str:
        return record.full_name or record.email

    def render_roles(self, record) -> str:
        return ", ".join(team_roles(record))

    def render_is_active(self, value) -> SafeString:
        return format_html('<span class="badge state-{}">{}</span>', "accepted" if value else "revoked",
                           self.value_is_active(value))

    def value_is_active(self, value) -> str:
        return str(_("Active") if value else _("Deactivated"))

    def render_permissions(self, record) -> SafeString:
        if record.is_superuser:
            return str(_("Every permission (superuser)"))
        if not record.is_staff_member:
            return muted(_("None: not a member of staff"))
        held = [held for held in held_permissions(record) if held.held]
        if not held:
            return str(_("None"))
        return format_html('<ul class="list-unstyled mb-0">{}</ul>', format_html_join("", "<li>{}{}</li>", (
            (held.permission.label, format_html(
                ' <span class="small text-muted">({})</span>',
                (ngettext("also through the group %(groups)s", "also through the groups %(groups)s",
                          len(held.groups)) if held.direct else
                 ngettext("only through the group %(groups)s", "only through the groups %(groups)s",
                          len(held.groups))) % {"groups": ", ".join(held.groups)},
            ) if held.groups else "") for held in held)))

    def value_permissions(self, record) -> str:
        return strip_tags(str(self.render_permissions(record).replace("</li><li>", "; ")))


class ServiceTable(StaffTable):
    what = _("services")
    name = tables.Column(_("Service"))
    description = tables.Column(_("Description"), visible=False)
    champion = tables.Column(_("Co-production champion"), default=_("Nobody yet"),
                             order_by=("champion__full_name",))
    partner_count = NumberColumn(_("Partners"))
    edit = EditColumn("coprod:service_edit")

    class Meta(StaffTable.Meta):
        fields = ()
        sequence = ("name", "description", "champion", "partner_count", "edit")
        empty_text = _("No services have been set up yet.")

    def render_name(self, record) -> SafeString:
        if not record.description:
            return record.name
        return format_html('{}<br><span class="small text-muted">{}</span>', record.name, record.description)

    def value_name(self, record) -> str:
        return record.name

    def render_partner_count(self, record, value) -> SafeString:
        words = ngettext('{count} partner<span class="visually-hidden"> of {name}</span>',
                         '{count} partners<span class="visually-hidden"> of {name}</span>', value)
        return format_html('<a href="{}?service={}">{}</a>', reverse("participants:partner_list"), record.pk,
                           format_html(words, count=value, name=record.name))


class ResourceTable(StaffTable):
    """The resource library as staff see it (partners have their own page of it)."""

    what = _("documents")
    title = tables.Column(_("Document"))
    kind = tables.Column(_("Kind"))
    tags = tables.Column(_("Tags"), accessor="pk", orderable=False)
    service = tables.Column(_("Service"), accessor="service__name", default=_("All services"))
    # Translators: the words for true and false in a table, separated by a comma.
    for_partners = tables.BooleanColumn(verbose_name=_("Partners see it"), yesno=_("Yes,No"))
    actions = tables.Column(_("Actions"), accessor="pk", orderable=False, exclude_from_export=True,
                            attrs={"td": {"class": "text-nowrap"}})

    class Meta(StaffTable.Meta):
        fields = ()
        sequence = ("title", "kind", "tags", "service", "for_partners", "actions")

    def __init__(self, *args, csrf_token: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.csrf_token = csrf_token

    def render_title(self, record) -> SafeString:
        return format_html('<a href="{}">{}</a>{}', reverse("coprod:resource_download", args=[record.pk]),
                           record.title, format_html('<div class="small text-muted">{} ({})</div>',
                                                     truncatewords(record.description, 20),
                                                     welsh_status(record, "description"))
                           if record.description else "")

    def value_title(self, record) -> str:
        return record.title

    def render_tags(self, record) -> SafeString:
        tags = record.tags.all()
        if not tags:
            return "—"
        return format_html_join(" ", '<span class="badge text-bg-light border">{}</span>',
                                ((tag.name,) for tag in tags))

    def render_actions(self, record) -> SafeString:
        return format_html(
            '<a href="{}">{}<span class="visually-hidden"> {}</span></a>\n'
            '<form method="post" action="{}" class="d-inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-link p-0 ms-2 text-danger">{}'
            '<span class="visually-hidden"> {}</span></button></form>',
            reverse("coprod:resource_edit", args=[record.pk]), _("Edit"), record.title,
            reverse("coprod:resource_delete", args=[record.pk]), self.csrf_token, _("Remove"), record.title)


class ReportTable(StaffTable):
    """The governance and ladder round reports a person may see (staff and trustees)."""

    what = _("reports")
    title = tables.Column(_("Report"), linkify=("coprod:report_detail", [tables.A("pk")]))
    requested_by = tables.Column(_("Asked for by"), empty_values=(), order_by=("requested_by__full_name",))
    requested_at = tables.DateTimeColumn("j M Y, H:i", verbose_name=_("When"))
    status = tables.Column(_("Status"))

    class Meta(StaffTable.Meta):
        fields = ()

    def render_requested_by(self, value) -> str:
        return str(value) if value else str(_("Made automatically"))

    value_requested_by = render_requested_by

    def value_status(self, record) -> str:
        return str(_("Stopped (open it to try again)")) if record.is_stuck else record.get_status_display()

    def render_status(self, record) -> SafeString:
        if record.status != record.Status.DONE:
            return self.value_status(record)
        return format_html('{} — <a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                           self.value_status(record), reverse("coprod:report_download", args=[record.pk]),
                           _("download"), record.title)
