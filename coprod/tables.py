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
"""

from datetime import date
from datetime import datetime
from decimal import Decimal

import django_tables2 as tables
from django.http import HttpRequest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django_tables2.export import TableExport
from django_tables2.rows import BoundRows
from tablib import Dataset

from .web import paginate

# A column of figures: right-aligned on a wide screen, kept on one line.
NUMBER = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}
EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel"}
# A spreadsheet reads a cell starting with one of these as a formula (even after spaces).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
        empty_text = "Nothing to show."

    # What the rows are, for the caption and the pagination ("claims", "partners").
    what = "results"

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
    (`table.page`) and answer None."""
    tables.RequestConfig(request, paginate=False).configure(table)
    export_format = request.GET.get("export")
    if export_format in EXPORT_FORMATS:
        exporter = SafeTableExport(export_format, table, dataset_kwargs={"title": filename[:31]})
        return exporter.response(f"{filename}-{timezone.localdate():%Y-%m-%d}.{export_format}")
    table.page = paginate(request, table.data.data, per_page=per_page)
    return None
