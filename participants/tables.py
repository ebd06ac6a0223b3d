"""The staff partner list as a sortable, downloadable table (coprod/tables.py). Access needs
are a column only for staff allowed to see sensitive details: `PartnerTable.for_user`."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import format_html_join

from coprod.tables import StaffTable
from coprod.tables import muted

from .models import Partner

SENSITIVE_COLUMNS = ("access_needs",)


class PartnerTable(StaffTable):
    what = "partners"
    full_name = tables.Column("Name")
    # Shown under the name on the page; a column of its own in a download.
    preferred_name = tables.Column("Known as", visible=False, default="")
    status = tables.Column("Status")
    service = tables.Column("Service", accessor="service__name", default="—")
    link_worker = tables.Column("Link worker", accessor="link_worker__full_name", default="—")
    preferred_contact = tables.Column("Contact")
    access_needs = tables.Column("Access needs", empty_values=(), orderable=False)
    training_due = tables.Column("Training")

    class Meta(StaffTable.Meta):
        model = Partner
        fields = ()
        sequence = ("full_name", "preferred_name", "status", "service", "link_worker", "preferred_contact",
                    "access_needs", "training_due")

    @classmethod
    def for_user(cls, data, *, sensitive: bool) -> "PartnerTable":
        return cls(data, exclude=() if sensitive else SENSITIVE_COLUMNS)

    def render_full_name(self, record: Partner) -> str:
        link = reverse("participants:partner_detail", args=[record.pk])
        known_as = format_html('<br><span class="small text-muted">Known as {}</span>', record.preferred_name)
        erased = format_html('<br><span class="badge text-bg-secondary">{}</span>', "Erased")
        return format_html('<a href="{}">{}</a>{}{}', link, record.full_name,
                           known_as if record.preferred_name else "", erased if record.is_erased else "")

    def value_full_name(self, record: Partner) -> str:
        return record.full_name

    def render_status(self, record: Partner) -> str:
        return render_to_string("participants/_status_badge.html",
                                {"status": record.status, "label": record.get_status_display()})

    def value_status(self, record: Partner) -> str:
        return record.get_status_display()

    def render_preferred_contact(self, record: Partner) -> str:
        no_email = format_html('<br><span class="small text-muted">{}</span>', "No e-mail")
        return format_html("{}{}", record.get_preferred_contact_display(), "" if record.email else no_email)

    def value_preferred_contact(self, record: Partner) -> str:
        return record.get_preferred_contact_display()

    def render_access_needs(self, record: Partner) -> str:
        needs = record.access_needs.all()
        if not needs:
            return muted("None recorded")
        return format_html_join(", ", "{}", ((need,) for need in needs))

    def value_access_needs(self, record: Partner) -> str:
        return ", ".join(str(need) for need in record.access_needs.all())

    def _training(self, record: Partner) -> str:
        if record.training_due > 0 and record.status != Partner.Status.LEFT:
            return "Training due" + (f": {record.training_due} courses" if record.training_due > 1 else "")
        return ""

    def render_training_due(self, record: Partner) -> str:
        due = self._training(record)
        if due:
            return format_html('<span class="badge text-bg-warning">{}</span>', due)
        return muted("Up to date")

    def value_training_due(self, record: Partner) -> str:
        return self._training(record) or "Up to date"
