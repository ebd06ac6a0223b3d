"""The staff lists of partners, invitations, courses, who is due training, access needs,
lived-experience areas, who agrees to what and earlier imports as sortable, downloadable tables
(coprod/tables.py). Access needs are a column only for staff allowed to see sensitive
details: `PartnerTable.for_user`."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.html import strip_tags

from coprod.tables import NUMBER
from coprod.tables import EditColumn
from coprod.tables import NumberColumn
from coprod.tables import StaffTable
from coprod.tables import muted

from .models import AccessNeed
from .models import ConsentStatement
from .models import Course
from .models import ImportBatch
from .models import Invitation
from .models import LivedExperienceArea
from .models import Partner
from .models import User

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


class InvitationTable(StaffTable):
    """Invitations, newest first; columns in the order declared (here and below)."""

    what = "invitations"
    full_name = tables.TemplateColumn(
        "<strong>{{ record.full_name }}</strong><br><span class=\"text-muted\">{{ record.email }}</span>",
        verbose_name="Person")
    email = tables.Column("E-mail address", visible=False)
    role = tables.TemplateColumn(
        "{{ record.get_role_display }}{% if record.partner %}<br><a class=\"small\" "
        "href=\"{% url 'participants:partner_detail' record.partner.pk %}\">Partner record<span "
        "class=\"visually-hidden\"> of {{ record.partner }}</span></a>{% endif %}", verbose_name="Joining as")
    created_at = tables.TemplateColumn(
        "{{ record.created_at|date:\"j M Y\" }}{% if record.created_by %}<br><span class=\"small "
        "text-muted\">by {{ record.created_by }}</span>{% endif %}", verbose_name="Invited")
    send_count = tables.TemplateColumn(
        "{{ record.send_count }}{% if record.sent_at %}<br><span class=\"small text-muted\">last "
        "{{ record.sent_at|date:\"j M Y, H:i\" }}</span>{% endif %}", verbose_name="E-mails sent",
        attrs=NUMBER)
    state = tables.Column("State", empty_values=(), orderable=False)
    actions = tables.Column(format_html('<span class="visually-hidden">{}</span>', "Actions"),
                            empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(StaffTable.Meta):
        model = Invitation
        fields = ()

    def value_full_name(self, record: Invitation) -> str:
        return record.full_name

    def value_role(self, record: Invitation) -> str:
        return record.get_role_display()

    def value_created_at(self, record: Invitation):
        return record.created_at

    def value_send_count(self, record: Invitation) -> int:
        return record.send_count

    def render_state(self, record: Invitation) -> str:
        return render_to_string("participants/_invitation_state.html", {"invitation": record})

    def value_state(self, record: Invitation) -> str:
        return record.state.capitalize()

    def render_actions(self, record: Invitation) -> str:
        if record.state not in ("pending", "expired"):
            return ""
        return render_to_string("participants/_invitation_actions.html", {"invitation": record},
                                request=self.request)


class CourseTable(StaffTable):
    what = "courses"
    name = tables.Column("Course", linkify=("participants:course_detail", [tables.A("pk")]))
    valid_for_months = tables.Column("Needs refreshing", empty_values=())
    required_for = tables.Column("Required for", empty_values=(), orderable=False)
    completed = NumberColumn("People with a completion that counts")
    partners_due = NumberColumn("Partners due")
    staff_due = NumberColumn("Staff due")

    class Meta(StaffTable.Meta):
        model = Course
        fields = ()

    def render_valid_for_months(self, value) -> str:
        return f"Every {value} month{'s' if value != 1 else ''}" if value else "Never"

    def render_required_for(self, record: Course) -> str:
        return {(True, True): "Partners and staff", (True, False): "Partners", (False, True): "Staff",
                (False, False): "Optional"}[(record.required_for_partners, record.required_for_staff)]

    def _due(self, required: bool, value):
        return value if required else muted("Not required")

    def render_partners_due(self, record: Course, value):
        return self._due(record.required_for_partners, value)

    def render_staff_due(self, record: Course, value):
        return self._due(record.required_for_staff, value)

    def value_partners_due(self, record: Course, value):
        return value if record.required_for_partners else "Not required"

    def value_staff_due(self, record: Course, value):
        return value if record.required_for_staff else "Not required"


class TrainingDueTable(StaffTable):
    """People due any of `courses` (a Course queryset): partners, or staff when `field` is
    "user", each with the courses they are due and why."""

    what = "partners"
    full_name = tables.TemplateColumn(
        "<a href=\"{% url 'participants:partner_detail' record.pk %}\">{{ record.full_name }}</a>",
        verbose_name="Partner")
    status = tables.Column("Status")
    service = tables.Column("Service", accessor="service__name", default="")
    due = tables.Column("Due", empty_values=(), orderable=False)

    class Meta(StaffTable.Meta):
        model = Partner
        fields = ()

    def __init__(self, data, *, courses, field: str = "partner", **kwargs):
        super().__init__(data, **kwargs)
        self.courses, self.field, self._due = courses, field, None

    def due_courses(self, record) -> list[dict]:
        # Worked out once for the rows shown (or, for a download, every row): two queries.
        if self._due is None:
            people = list(self.page.object_list) if hasattr(self, "page") else list(self.data.data)
            self._due = self.courses.due_for(people, field=self.field)
        return self._due[record.pk]

    def value_full_name(self, record) -> str:
        return record.full_name

    def render_status(self, record: Partner) -> str:
        return record.get_status_display()

    def render_due(self, record) -> str:
        return render_to_string("participants/_due_courses.html", {
            "person": record, "field": self.field, "items": self.due_courses(record)})

    def value_due(self, record) -> str:
        reason = "participants/_training_due_reason.html"
        return "; ".join(f"{item['course'].name}: {strip_tags(render_to_string(reason, item)).strip()}"
                         for item in self.due_courses(record))


class StaffTrainingDueTable(TrainingDueTable):
    what = "staff members"
    full_name = tables.Column("Staff member", order_by=("full_name", "email"))
    email = tables.Column("E-mail address", visible=False)

    class Meta(TrainingDueTable.Meta):
        model = User
        exclude = ("status", "service")
        sequence = ("full_name", "email", "due")

    def render_full_name(self, record) -> str:
        return record.get_full_name() or record.email

    def value_full_name(self, record) -> str:
        return record.get_full_name() or record.email

class AccessNeedTable(StaffTable):
    """The access needs staff and partners choose from, in the order partners see them."""

    what = "access needs"
    name = tables.Column("Access need")
    description = tables.Column("What it means")
    partner_count = tables.Column("Partners", attrs=NUMBER)
    edit = EditColumn("participants:access_need_edit")

    class Meta(StaffTable.Meta):
        model = AccessNeed
        fields = ()


class LivedExperienceAreaTable(StaffTable):
    what = "areas"
    name = tables.Column("Area")
    partner_count = tables.Column("Partners", attrs=NUMBER)
    edit = EditColumn("participants:area_edit")

    class Meta(StaffTable.Meta):
        model = LivedExperienceArea
        fields = ()


class ImportBatchTable(StaffTable):
    """Earlier spreadsheet imports, newest first."""

    what = "imports"
    filename = tables.Column("File", linkify=("participants:import_detail", [tables.A("pk")]))
    kind = tables.Column("Of")
    created_by = tables.Column("By", empty_values=(), order_by=("created_by__full_name",))
    created_at = tables.DateTimeColumn("j M Y, H:i", verbose_name="When")
    status = tables.Column("Where it is")
    created_count = tables.Column("Created", attrs=NUMBER)
    updated_count = tables.Column("Updated", attrs=NUMBER)
    left_out_count = tables.Column("Left out", attrs=NUMBER)

    class Meta(StaffTable.Meta):
        model = ImportBatch
        fields = ()

    def render_created_by(self, value) -> str:
        return str(value) if value else "someone no longer here"

    value_created_by = render_created_by


CONSENT_ANSWERS = {"yes": ("success", "Yes"), "old": ("warning", "Old words"), "no": ("secondary", "No")}


class ConsentAnswerColumn(tables.Column):
    """A partner's answer on one consent topic (read with `consent_annotations()`)."""

    def __init__(self, topic: str, label: str):
        super().__init__(label, accessor=f"agrees_{topic}", empty_values=())
        self.topic = topic

    def answer(self, record: Partner) -> str:
        if getattr(record, f"agrees_{self.topic}"):
            return "yes"
        return "old" if getattr(record, f"agreed_before_{self.topic}") else "no"

    def render(self, record: Partner) -> str:
        colour, words = CONSENT_ANSWERS[self.answer(record)]
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, words)

    def value(self, record: Partner) -> str:
        return CONSENT_ANSWERS[self.answer(record)][1]


class ConsentAnswerTable(StaffTable):
    """Who agrees to what: one column per consent topic."""

    what = "partners"
    full_name = tables.Column("Partner")

    class Meta(StaffTable.Meta):
        model = Partner
        fields = ()

    def __init__(self, data, **kwargs):
        topics = [(value, ConsentAnswerColumn(value, label))
                  for value, label in ConsentStatement.Topic.choices]
        super().__init__(data, extra_columns=topics, **kwargs)

    def render_full_name(self, record: Partner) -> str:
        return format_html('<a href="{}">{}</a>{}', reverse("participants:partner_consent", args=[record.pk]),
                           record.full_name, f" ({record.preferred_name})" if record.preferred_name else "")

    def value_full_name(self, record: Partner) -> str:
        return record.full_name
