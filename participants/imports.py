"""Bringing people in from a spreadsheet: partners, or staff and trustees.

Staff upload a CSV or Excel file (read with tablib), match its columns to coprod's fields
(the matches are remembered for next time), and see a preview: what each row will create
or update, rows that match someone already here (same e-mail, or same name and phone),
and rows with a problem, with the reason per cell. Nothing is saved until they confirm;
then a worker imports every row in one transaction, through the same services as the
forms (so the same rules apply and each record's history names who imported it), and
records who imported how many when. Afterwards "invite everyone selected who has an
e-mail" sends the invitations through the worker, leaving out partners who have not
agreed to be contacted.

coprod holds no date of birth (it does not need one), so "the same person" is the same
e-mail address, or the same name and phone number.
"""

import csv
import datetime
import io
import logging
import os
import re
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

import tablib
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext

from coprod import bounds
from coprod.changes import model_save
from coprod.models import Service
from coprod.roles import is_staff_member
from coprod.uploads import MB
from coprod.uploads import safe_name
from coprod.uploads import validate_upload

from . import services
from .models import ConsentStatement
from .models import ImportBatch
from .models import ImportMapping
from .models import Invitation
from .models import Partner
from .models import StatusChange
from .models import User

logger = logging.getLogger(__name__)

MAX_BYTES = 20 * MB
MAX_ROWS = 20_000
EXTENSIONS = {".csv", ".xlsx"}
# How often the worker records how far it has got (rows).
PROGRESS_EVERY = 250
PROGRESS_TTL = 60 * 60 * 6


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    hint: str = ""
    # Headings that usually mean this field, normalised (see `normalise`).
    synonyms: tuple[str, ...] = ()


NAME_FIELDS = (
    ImportField("full_name", gettext_lazy("Full name"), gettext_lazy("Or match first and last names."),
                ("name", "fullname", "partnername", "participantname", "staffname", "trusteename")),
    ImportField("first_name", gettext_lazy("First name"), gettext_lazy("Joined to the last name."),
                ("firstname", "forename", "forenames", "givenname", "first")),
    ImportField("last_name", gettext_lazy("Last name"), "", ("lastname", "surname", "familyname", "last")),
)
EMAIL_FIELD = ImportField("email", gettext_lazy("E-mail address"), "", ("email", "emailaddress", "mail",
                                                                        "e-mail"))

PARTNER_FIELDS = (
    *NAME_FIELDS,
    ImportField("preferred_name", gettext_lazy("Preferred name"), "", ("preferredname", "knownas",
                                                                       "nickname")),
    ImportField("pronouns", gettext_lazy("Pronouns"), "", ("pronouns", "pronoun")),
    EMAIL_FIELD,
    ImportField("phone", gettext_lazy("Phone"), "", ("phone", "phonenumber", "telephone", "tel", "mobile",
                                                     "mobilenumber")),
    ImportField("address", gettext_lazy("Postal address"), "", ("address", "postaladdress", "homeaddress")),
    ImportField("preferred_contact", gettext_lazy("How they like to be contacted"),
                gettext_lazy("E-mail, phone, text or post."),
                ("preferredcontact", "contactpreference", "contactby", "contactmethod", "howtocontact")),
    ImportField("status", gettext_lazy("Status"), gettext_lazy("Enquiry, induction, active, paused or "
                                                               "left."), ("status", "stage")),
    ImportField("service", gettext_lazy("Service or team"), gettext_lazy("The name of a service already in "
                                                                         "coprod."),
                ("service", "team", "serviceorteam", "project")),
    ImportField("joined_on", gettext_lazy("Joined on"), gettext_lazy("A date, e.g. 31/12/2024, 2024-12-31 "
                                                                     "or 31 December 2024."),
                ("joinedon", "joined", "datejoined", "startdate", "started", "since")),
    ImportField("strengths", gettext_lazy("Strengths"), "", ("strengths", "whattheybring")),
    ImportField("interests", gettext_lazy("Interests"), "", ("interests", "interestedin")),
    ImportField("availability", gettext_lazy("Availability"), "", ("availability", "available",
                                                                   "whenavailable")),
    ImportField("agrees_to_contact", gettext_lazy("Agrees to be contacted"), gettext_lazy("Yes or no."),
                ("agreestobecontacted", "consenttocontact", "canwecontact", "happytobecontacted",
                 "contactconsent", "okaytocontact", "oktocontact")),
)
PEOPLE_FIELDS = (
    *NAME_FIELDS,
    EMAIL_FIELD,
    ImportField("role", gettext_lazy("Role"), gettext_lazy("Staff or trustee (staff when empty)."),
                ("role", "type", "staffortrustee")),
)
FIELDS = {ImportBatch.Kind.PARTNERS: PARTNER_FIELDS, ImportBatch.Kind.PEOPLE: PEOPLE_FIELDS}
LEAVE_OUT = ""

CONTACT_WORDS = {
    Partner.ContactMethod.EMAIL: {"email", "e-mail", "mail"},
    Partner.ContactMethod.PHONE: {"phone", "phonecall", "call", "telephone", "ringme", "phoneme"},
    Partner.ContactMethod.TEXT: {"text", "textmessage", "sms", "texts"},
    Partner.ContactMethod.POST: {"post", "letter", "postal", "letters"},
}
YES = {"yes", "y", "true", "1", "agreed", "agree", "x", "ok", "okay"}
NO = {"no", "n", "false", "0", "declined", "disagree", "refused"}
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y",
                "%B %d %Y", "%b %d %Y", "%d %B, %Y", "%B %d, %Y")
EARLIEST_JOINED = datetime.date(1990, 1, 1)


def normalise(heading: str) -> str:
    """A heading compared without case, spaces or punctuation: "E-mail Address" → "emailaddress"."""
    return re.sub(r"[^0-9a-z]", "", str(heading).casefold())


def fields_for(kind: str) -> tuple[ImportField, ...]:
    return FIELDS[kind]


# --- Reading the file ---


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)


def _decode(content: bytes) -> str:
    """CSV text: UTF-8 (with or without the byte-order mark Excel writes), else Windows-1252,
    what Excel on Windows saves as "CSV"."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return content.decode("cp1252")
        except UnicodeDecodeError:
            raise ValidationError(_("We could not read the text of this file. Save it as “CSV UTF-8” "
                                  "or as an Excel workbook, and try again.")) from None


def _headings(raw: Iterable) -> list[str]:
    """Column headings: a blank one is named by its column letter, a repeated one numbered."""
    headings, seen = [], {}
    for index, value in enumerate(raw):
        text = " ".join(str(value).split()) if value not in (None, "") else ""
        if not text:
            text = f"Column {_column_letter(index)}"
        count = seen.get(text.casefold(), 0) + 1
        seen[text.casefold()] = count
        headings.append(text if count == 1 else f"{text} ({count})")
    return headings


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _is_blank(cells: list) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def read_table(content: bytes, filename: str) -> Table:
    """The file's headings (its first row) and rows with something in them."""
    extension = os.path.splitext(filename)[1].lower()
    dataset = tablib.Dataset()
    numbers = None
    try:
        if extension == ".csv":
            text = _decode(content)
            dataset.load(text, format="csv", headers=False)
            # tablib drops empty lines; a spreadsheet shows them as rows, so number the rows
            # as the spreadsheet does.
            numbers = [index for index, record in enumerate(csv.reader(io.StringIO(text)), start=1) if record]
        else:
            dataset.load(io.BytesIO(content), format="xlsx", headers=False)
    except ValidationError:
        raise
    except Exception as error:  # tablib and openpyxl raise many kinds for a damaged file
        logger.info("spreadsheet %s could not be read: %r", filename, error)
        raise ValidationError(_("We could not read this file as a spreadsheet. Check it opens in Excel or "
                              "LibreOffice, save it as CSV or .xlsx, and try again.")) from None
    raw = [list(row) for row in dataset]
    if not raw or _is_blank(raw[0]):
        raise ValidationError(_("The first row must hold the column headings (Name, E-mail…); it is empty."))
    headers = _headings(raw[0])
    numbers = numbers or list(range(1, len(raw) + 1))
    rows = []
    for number, cells in zip(numbers[1:], raw[1:], strict=False):
        if _is_blank(cells):
            continue
        rows.append((number, list(cells) + [None] * (len(headers) - len(cells))))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("The file has %(rows)s rows; we import at most %(most)s at a time. Split it "
                                "into smaller files.") % {"rows": number_format(len(rows),
                                                                                force_grouping=True),
                                                          "most": number_format(MAX_ROWS,
                                                                                force_grouping=True)})
    return Table(headers, rows)


def guess_mapping(kind: str, headers: list[str]) -> dict[str, str]:
    """Heading → field: what staff chose for this heading last time, else the field whose
    usual headings include it; each field at most once."""
    remembered = ImportMapping.objects.filter(kind=kind).values_list("mapping", flat=True).first() or {}
    known = {field.key for field in fields_for(kind)}
    mapping, used = {}, set()
    for heading in headers:
        key = normalise(heading)
        choice = remembered.get(key)
        if choice is None:
            choice = next((field.key for field in fields_for(kind)
                           if key == normalise(field.label) or key in field.synonyms), LEAVE_OUT)
        if choice in known and choice not in used:
            mapping[heading] = choice
            used.add(choice)
        else:
            mapping[heading] = LEAVE_OUT
    return mapping


def check_mapping(kind: str, mapping: dict[str, str]) -> None:
    chosen = [value for value in mapping.values() if value]
    repeated = sorted({value for value in chosen if chosen.count(value) > 1})
    labels = {field.key: field.label for field in fields_for(kind)}
    if repeated:
        raise ValidationError(_("Match each coprod field to one column only: %(fields)s.") % {
            "fields": ", ".join(str(labels[key]) for key in repeated)})
    if "full_name" not in chosen and not {"first_name", "last_name"} & set(chosen):
        raise ValidationError(_("Match a column to the full name, or to first and last names."))
    if kind == ImportBatch.Kind.PEOPLE and "email" not in chosen:
        raise ValidationError(_("Match a column to the e-mail address: staff and trustees are invited "
                              "by e-mail."))


# --- Checking each row ---


@dataclass
class RowResult:
    number: int
    name: str
    email: str
    action: str  # "create", "update", "skip" (nothing to do) or "problem"
    data: dict = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # column heading → why
    match: str = ""  # why it is taken as someone already here, or why nothing is done
    target: int | None = None  # the partner (or login) it updates

    @property
    def problem_list(self) -> list[tuple[str, str]]:
        return sorted(self.problems.items())


@dataclass
class Preview:
    kind: str
    rows: list[RowResult]

    def _with(self, action: str) -> list[RowResult]:
        return [row for row in self.rows if row.action == action]

    @property
    def to_create(self) -> list[RowResult]:
        return self._with("create")

    @property
    def to_update(self) -> list[RowResult]:
        return self._with("update")

    @property
    def with_problems(self) -> list[RowResult]:
        return self._with("problem")

    @property
    def skipped(self) -> list[RowResult]:
        return self._with("skip")

    @property
    def counts(self) -> dict[str, int]:
        return {action: sum(row.action == action for row in self.rows)
                for action in ("create", "update", "skip", "problem")}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores phone numbers typed as numbers as 7700900123.0
    if isinstance(value, datetime.datetime):
        value = value.date()
    return " ".join(str(value).replace("\r\n", "\n").split(" ")).strip()


def parse_date(value) -> datetime.date | None:
    """A date as spreadsheets hold it: an Excel date, or text in the UK's usual ways."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = " ".join(_text(value).replace(",", " ").split())
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)  # "1st March 2024"
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern.replace(",", "")).date()
        except ValueError:
            continue
    return None


def _choice(text: str, words: dict[str, set[str]]) -> str | None:
    key = normalise(text)
    return next((value for value, synonyms in words.items() if key in {normalise(w) for w in synonyms}), None)


def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return "0" + digits[2:] if digits.startswith("44") else digits


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class _Context:
    """What checking every row needs from the database, read once."""

    by: object
    services: dict[str, Service]
    partners_by_email: dict[str, Partner]
    partners_by_name_phone: dict[tuple[str, str], Partner]
    users_by_email: dict[str, User]
    invited: set[str]
    contact_statement: ConsentStatement | None


def _context(kind: str, by) -> _Context:
    partners_by_email, partners_by_name_phone = {}, {}
    if kind == ImportBatch.Kind.PARTNERS:
        for partner in Partner.objects.filter(erased_at__isnull=True).only("pk", "full_name", "email",
                                                                             "phone", "user_id"):
            if partner.email:
                partners_by_email.setdefault(partner.email.casefold(), partner)
            if partner.phone:
                partners_by_name_phone.setdefault((_name_key(partner.full_name), _phone_key(partner.phone)),
                                                  partner)
    users = {}
    invited = set()
    if kind == ImportBatch.Kind.PEOPLE:
        users = {user.email.casefold(): user for user in User.objects.only("pk", "email", "is_staff_member",
                                                                          "is_trustee")}
        invited = {email.casefold() for email in Invitation.objects.pending().values_list("email", flat=True)}
    return _Context(
        by=by, services={service.name.casefold(): service for service in Service.objects.all()},
        partners_by_email=partners_by_email, partners_by_name_phone=partners_by_name_phone,
        users_by_email=users, invited=invited,
        contact_statement=ConsentStatement.objects.filter(topic=ConsentStatement.Topic.CONTACT)
        .order_by("-version").first(),
    )


def _values(batch: ImportBatch, cells: list, headers: list[str]) -> tuple[dict, dict[str, str]]:
    """Field → cell value, and field → the heading of its column (to say where a problem is)."""
    values, columns = {}, {}
    for heading, cell in zip(headers, cells, strict=False):
        key = batch.mapping.get(heading, LEAVE_OUT)
        if key:
            values[key] = cell
            columns[key] = heading
    return values, columns


def _name(values: dict) -> str:
    full = _text(values.get("full_name"))
    if full:
        return " ".join(full.split())
    return " ".join(" ".join([_text(values.get("first_name")), _text(values.get("last_name"))]).split())


def _name_column(columns: dict) -> str:
    return columns.get("full_name") or columns.get("first_name") or columns.get("last_name") or "Name"


TEXT_FIELDS = ("preferred_name", "pronouns", "phone", "address", "strengths", "interests", "availability")


def _check_partner_row(number: int, values: dict, columns: dict, context: _Context,
                       seen: dict) -> RowResult:
    problems: dict[str, str] = {}
    name = _name(values)
    email = _text(values.get("email")).lower()
    data: dict = {"full_name": name}
    if not name:
        problems[_name_column(columns)] = _("No name: every partner needs one.")
    if email:
        try:
            validate_email(email)
            data["email"] = email
        except ValidationError:
            problems[columns["email"]] = _("“%(email)s” is not an e-mail address.") % {"email": email}
    for key in TEXT_FIELDS:
        if key in values:
            data[key] = _text(values[key]) if key != "address" else str(values[key] or "").strip()
    if "preferred_contact" in values and _text(values["preferred_contact"]):
        contact = _choice(_text(values["preferred_contact"]), CONTACT_WORDS)
        if contact is None:
            problems[columns["preferred_contact"]] = _("“%(text)s” is not one of e-mail, phone, text or "
                                                       "post.") % {
                "text": _text(values["preferred_contact"])}
        else:
            data["preferred_contact"] = contact
    status = Partner.Status.ENQUIRY
    if "status" in values and _text(values["status"]):
        status = _choice(_text(values["status"]), {value: {value, label} for value, label in
                                                    Partner.Status.choices})
        if status is None:
            problems[columns["status"]] = _("“%(text)s” is not a status: use enquiry, induction, active, "
                                            "paused "
                                            "or left.") % {"text": _text(values["status"])}
    if "service" in values and _text(values["service"]):
        service = context.services.get(_text(values["service"]).casefold())
        if service is None:
            problems[columns["service"]] = _("There is no service called “%(text)s”: add it on the Services "
                                             "page, "
                                             "or leave the cell empty.") % {"text": _text(values["service"])}
        else:
            data["service"] = service
    joined = None
    if "joined_on" in values and _text(values["joined_on"]):
        joined = parse_date(values["joined_on"])
        if joined is None:
            problems[columns["joined_on"]] = _("“%(text)s” is not a date we can read: write it like "
                                               "31/12/2024.") % {
                "text": _text(values["joined_on"])}
        elif not EARLIEST_JOINED <= joined <= timezone.localdate():
            problems[columns["joined_on"]] = _("%(date)s is not a possible joining date: it must be between "
                                               "1990 "
                                               "and today.") % {"date": f"{joined:%d/%m/%Y}"}
    agrees = None
    if "agrees_to_contact" in values and _text(values["agrees_to_contact"]):
        answer = normalise(_text(values["agrees_to_contact"]))
        agrees = True if answer in YES else False if answer in NO else None
        if agrees is None:
            problems[columns["agrees_to_contact"]] = _("“%(text)s”: write yes or no.") % {
                "text": _text(values["agrees_to_contact"])}
        elif agrees and context.contact_statement is None:
            problems[columns["agrees_to_contact"]] = (_("There is no wording for “Being contacted” yet: "
                                                      "publish it on the Consent page first."))

    # Someone already here, or earlier in the file?
    target, match = None, ""
    if email and email in context.partners_by_email:
        target = context.partners_by_email[email]
        match = _("Same e-mail address as %(name)s, already in coprod: their record will be updated.") % {
            "name": target.full_name}
    elif name and data.get("phone"):
        target = context.partners_by_name_phone.get((_name_key(name), _phone_key(data["phone"])))
        if target is not None:
            match = _("Same name and phone as %(name)s, already in coprod: their record will be updated.") % {
                "name": target.full_name}
    if email:
        earlier = seen.setdefault(("email", email), number)
        if earlier != number:
            problems[columns["email"]] = _("Row %(row)s has the same e-mail address: keep one of them.") % {
                "row": earlier}
    if name and data.get("phone"):
        earlier = seen.setdefault(("name_phone", _name_key(name), _phone_key(data["phone"])), number)
        if earlier != number and columns.get("phone") not in problems:
            problems[columns["phone"]] = _("Row %(row)s has the same name and phone: keep one of them.") % {
                "row": earlier}

    if not problems:
        # The services' own rules (lengths, hidden characters, a way to contact them...).
        checked = {key: value for key, value in data.items() if target is None or value not in ("", None)}
        try:
            services.partner_data_check(data=checked, partner=target, by=context.by)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                problems[columns.get(key, key.replace("_", " ").capitalize())] = " ".join(messages)
    # An update changes only what the file says: an empty cell keeps what coprod has.
    data = {key: value for key, value in data.items() if target is None or value not in ("", None)}
    extra = {"status": status if "status" in values and _text(values["status"]) else None,
             "joined_on": joined.isoformat() if joined else None, "agrees_to_contact": agrees}
    return RowResult(number=number, name=name, email=email,
                     action="problem" if problems else ("update" if target else "create"),
                     data={**data, **extra}, problems=problems, match=match,
                     target=target.pk if target else None)


def _check_person_row(number: int, values: dict, columns: dict, context: _Context, seen: dict) -> RowResult:
    problems: dict[str, str] = {}
    name = _name(values)
    email = _text(values.get("email")).lower()
    if not name:
        problems[_name_column(columns)] = _("No name: every person needs one.")
    if not email:
        problems[columns["email"]] = _("No e-mail address: staff and trustees are invited by e-mail.")
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems[columns["email"]] = _("“%(email)s” is not an e-mail address.") % {"email": email}
    role = Invitation.Role.STAFF
    if _text(values.get("role")):
        role = _choice(_text(values["role"]), {Invitation.Role.STAFF: {"staff", "staff member", "employee",
                                                                      "worker"},
                                                Invitation.Role.TRUSTEE: {"trustee", "board", "board member",
                                                                          "director"}})
        if role is None:
            problems[columns["role"]] = _("“%(text)s” is not a role: write staff or trustee.") % {
                "text": _text(values["role"])}
    if name and bounds.has_control_characters(name, multiline=False):
        problems[_name_column(columns)] = bounds.CONTROL_TEXT
    elif len(name) > Invitation._meta.get_field("full_name").max_length:
        problems[_name_column(columns)] = _("The name is too long.")
    if email and columns["email"] not in problems:
        earlier = seen.setdefault(("email", email), number)
        if earlier != number:
            problems[columns["email"]] = _("Row %(row)s has the same e-mail address: keep one of them.") % {
                "row": earlier}
    match, action = "", "create"
    user = context.users_by_email.get(email)
    if user is not None and (user.is_staff_member if role == Invitation.Role.STAFF else user.is_trustee):
        label = Invitation.Role(role).label.lower()
        match, action = _("%(email)s already signs in as %(role)s: nothing to do.") % {
            "email": email, "role": label}, "skip"
    elif email in context.invited:
        match, action = _("%(email)s already has an invitation waiting: nothing to do.") % {
            "email": email}, "skip"
    return RowResult(number=number, name=name, email=email, action="problem" if problems else action,
                     data={"full_name": name, "email": email, "role": role}, problems=problems, match=match)


def preview(batch: ImportBatch, *, table: Table | None = None, by=None) -> Preview:
    """What confirming would do, row by row. Saves nothing."""
    table = table if table is not None else read_table(_content(batch), batch.filename)
    context = _context(batch.kind, by or batch.created_by)
    check: Callable = _check_partner_row if batch.kind == ImportBatch.Kind.PARTNERS else _check_person_row
    seen: dict = {}
    rows = []
    for number, cells in table.rows:
        values, columns = _values(batch, cells, table.headers)
        rows.append(check(number, values, columns, context, seen))
    return Preview(batch.kind, rows)


def sample_values(batch: ImportBatch, rows: int = 3) -> dict[str, list[str]]:
    """The first few values of each column, to show beside the column matching."""
    try:
        table = read_table(_content(batch), batch.filename)
    except (ValidationError, OSError):  # the file went away: the page still works, without examples
        return {}
    first = [cells for _, cells in table.rows[:rows]]
    return {heading: [_text(cells[index])[:40] for cells in first]
            for index, heading in enumerate(table.headers)}


def _content(batch: ImportBatch) -> bytes:
    if not batch.file:
        raise ValidationError(_("The file is no longer kept: upload it again."))
    with batch.file.open("rb") as handle:
        return handle.read()


# --- Services ---


def _require_staff(by) -> None:
    if not is_staff_member(by):
        raise PermissionDenied


@transaction.atomic
def import_upload(*, kind: str, upload, by) -> ImportBatch:
    """Keep an uploaded spreadsheet and read its headings; nothing is imported yet."""
    _require_staff(by)
    if kind not in ImportBatch.Kind.values:
        raise ValidationError({"kind": _("Choose whether the file lists partners, or staff and trustees.")})
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS:
        raise ValidationError({"file": _("Upload a CSV file or an Excel workbook (.xlsx).")})
    if extension == ".xlsx":
        validate_upload(upload, allowed={".xlsx"}, max_bytes=MAX_BYTES)
    elif upload.size > MAX_BYTES:
        raise ValidationError({"file": _("The file is too large: the most we accept is %(most)s MB.") % {
            "most": MAX_BYTES // MB}})
    upload.seek(0)
    content = upload.read()
    try:
        table = read_table(content, name)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    if not table.rows:
        raise ValidationError({"file": _("The file has headings but no rows of people.")})
    upload.seek(0)
    upload.name = safe_name(name)
    batch = ImportBatch(kind=kind, filename=name[:200], file=upload, headers=table.headers,
                        row_count=len(table.rows), created_by=by)
    batch.mapping = guess_mapping(kind, table.headers)
    return model_save(batch, by=by)


def _editable(batch: ImportBatch) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in {ImportBatch.Status.UPLOADED, ImportBatch.Status.MAPPED}:
        raise ValidationError(_("This import is %(status)s: it can no longer be changed.") % {
            "status": batch.get_status_display().lower()})
    return batch


@transaction.atomic
def import_map(*, batch: ImportBatch, mapping: dict[str, str], by) -> ImportBatch:
    """Match the file's columns to coprod's fields, and remember the matches for next time."""
    _require_staff(by)
    batch = _editable(batch)
    known = {field.key for field in fields_for(batch.kind)}
    mapping = {heading: (mapping.get(heading) or LEAVE_OUT) for heading in batch.headers}
    if set(mapping.values()) - known - {LEAVE_OUT}:
        raise ValidationError(_("Choose one of the listed fields for each column."))
    check_mapping(batch.kind, mapping)
    batch.mapping, batch.status = mapping, ImportBatch.Status.MAPPED
    model_save(batch, by=by, update_fields=["mapping", "status"])
    memory, _created = ImportMapping.objects.select_for_update().get_or_create(kind=batch.kind)
    memory.mapping = {**memory.mapping, **{normalise(heading): key for heading, key in mapping.items()}}
    memory.updated_at = timezone.now()
    memory.save(update_fields=["mapping", "updated_at"])
    return batch


@transaction.atomic
def import_confirm(*, batch: ImportBatch, leave_out_problems: bool, by) -> ImportBatch:
    """Confirm a previewed import; a worker then imports it (see `import_run`)."""
    _require_staff(by)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.MAPPED:
        raise ValidationError(_("This import is %(status)s: it cannot be confirmed.") % {
            "status": batch.get_status_display().lower()})
    result = preview(batch, by=by)
    counts = result.counts
    if counts["problem"] and not leave_out_problems:
        raise ValidationError({"leave_out_problems": ngettext(
            "%(count)d row with a problem. Correct the file and upload it again, or tick the box to import "
            "the "
            "other rows without it.",
            "%(count)d rows with a problem. Correct the file and upload it again, or tick the box to import "
            "the "
            "other rows without them.", counts["problem"]) % {"count": counts["problem"]}})
    if not counts["create"] and not counts["update"]:
        raise ValidationError(_("There is nothing to import: no row would create or update anyone."))
    batch.status, batch.confirmed_at = ImportBatch.Status.QUEUED, timezone.now()
    model_save(batch, by=by, update_fields=["status", "confirmed_at"])
    set_progress(batch.pk, 0, counts["create"] + counts["update"])
    return batch


@transaction.atomic
def import_cancel(*, batch: ImportBatch, by) -> ImportBatch:
    """Give up an import that was not confirmed: its file is deleted."""
    _require_staff(by)
    batch = _editable(batch)
    batch.status, batch.finished_at = ImportBatch.Status.CANCELLED, timezone.now()
    _forget_file(batch)
    model_save(batch, by=by, update_fields=["status", "finished_at", "file"])
    return batch


def _forget_file(batch: ImportBatch) -> None:
    if batch.file:
        name = batch.file.name
        storage = batch.file.storage
        batch.file = ""
        transaction.on_commit(lambda: storage.delete(name))


def progress_key(batch_id: int) -> str:
    return f"import-progress-{batch_id}"


def set_progress(batch_id: int, done: int, total: int, *, running: bool = False) -> None:
    """How far a running import has got. Kept in the cache, not the database: the import's
    own transaction is not visible to anyone until it commits."""
    cache.set(progress_key(batch_id), {"done": done, "total": total, "running": running}, PROGRESS_TTL)


def get_progress(batch: ImportBatch) -> dict:
    """Rows done of the rows to import, the share done, and whether a worker is on it (the
    import's own status says "waiting" until its transaction commits)."""
    progress = {"done": 0, "total": 0, "running": False, **(cache.get(progress_key(batch.pk)) or {})}
    if batch.status == ImportBatch.Status.DONE:
        progress.update(done=progress["total"], running=False)
    running = progress["running"] and batch.status == ImportBatch.Status.QUEUED
    return {"done": progress["done"], "total": progress["total"], "running": running,
            "percent": min(100, round(100 * progress["done"] / (progress["total"] or 1)))}


FAILED_MESSAGE = (gettext_lazy("Something went wrong while importing, so nothing was saved. Try again; if "
                               "it happens "
                  "again, tell whoever looks after coprod."))


def _apply_row(row: RowResult, batch: ImportBatch, context: _Context, by) -> int:
    """Create or update one partner through the partner services; answer its id."""
    data = {key: value for key, value in row.data.items()
            if key not in {"status", "joined_on", "agrees_to_contact"}}
    if row.target is None:
        status = row.data["status"] or Partner.Status.ENQUIRY
        partner = services.partner_create(data=data, status=status, by=by)
        if row.data["joined_on"]:
            joined = timezone.make_aware(datetime.datetime.combine(
                datetime.date.fromisoformat(row.data["joined_on"]), datetime.time(9)))
            Partner.objects.filter(pk=partner.pk).update(created=joined)
            StatusChange.objects.filter(partner=partner).update(changed_at=joined)
    else:
        partner = Partner.objects.get(pk=row.target)
        services.partner_update(partner=partner, data=data, by=by)
        if row.data["status"] and row.data["status"] != partner.status:
            services.partner_change_status(partner=partner, status=row.data["status"],
                                           note=f"Imported from {batch.filename[:200]}"[:300], by=by)
    if row.data["agrees_to_contact"] is True and not partner.has_consent("contact"):
        services.consent_give(partner=partner, statement=context.contact_statement, by=by)
    elif row.data["agrees_to_contact"] is False:
        for consent in partner.consents.in_force().filter(statement__topic=ConsentStatement.Topic.CONTACT):
            services.consent_withdraw(consent=consent, by=by)
    return partner.pk


def _apply_person(row: RowResult, by) -> int:
    invitation = services.invitation_create(email=row.email, full_name=row.name, role=row.data["role"], by=by)
    return invitation.pk


def import_run(*, batch_id: int) -> ImportBatch:
    """The worker's part: import every row of a confirmed import in one transaction, holding
    the import's row locked throughout. Any error rolls the whole import back and marks it
    failed; nothing half-done is kept. A task delivered twice waits for the lock and then
    finds the import done; a worker that dies part-way leaves it waiting to be imported (its
    transaction is rolled back), and the task, acknowledged only when finished, runs again."""
    try:
        with transaction.atomic():
            # `of`: PostgreSQL locks only the batch's row, not the (nullable) user joined to it.
            batch = (ImportBatch.objects.select_for_update(of=("self",)).select_related("created_by")
                     .get(pk=batch_id))
            if batch.status != ImportBatch.Status.QUEUED:
                return batch  # already imported (or failed, or given up)
            by = batch.created_by
            result = preview(batch, by=by)
            rows = result.to_create + result.to_update
            set_progress(batch.pk, 0, len(rows), running=True)
            context = _context(batch.kind, by)
            people = []
            for done, row in enumerate(rows, start=1):
                try:
                    if batch.kind == ImportBatch.Kind.PARTNERS:
                        people.append(_apply_row(row, batch, context, by))
                    else:
                        people.append(_apply_person(row, by))
                except ValidationError as error:
                    raise ImportRowError(row.number, error) from error
                if done % PROGRESS_EVERY == 0:
                    set_progress(batch.pk, done, len(rows), running=True)
            counts = result.counts
            batch.status, batch.finished_at, batch.people = ImportBatch.Status.DONE, timezone.now(), people
            batch.created_count, batch.updated_count = counts["create"], counts["update"]
            batch.left_out_count = counts["problem"] + counts["skip"]
            _forget_file(batch)
            reason = f"Imported {counts['create']} new and {counts['update']} updated from {batch.filename}"
            model_save(batch, by=by, reason=reason[:100],
                       update_fields=["status", "finished_at", "people", "created_count", "updated_count",
                                      "left_out_count", "file"])
            set_progress(batch.pk, len(rows), len(rows))
        logger.info("import %s by %s: %s created, %s updated, %s left out", batch.pk, by,
                    batch.created_count, batch.updated_count, batch.left_out_count)
        return batch
    except ImportRowError as error:
        return _fail(batch_id, _("Row %(row)s could not be imported: %(problem)s Nothing was saved. Correct "
                                 "the "
                                 "file and upload it again.") % {
            "row": error.number, "problem": " ".join(error.error.messages)})
    except Exception:
        logger.exception("import %s failed", batch_id)
        return _fail(batch_id, FAILED_MESSAGE)


class ImportRowError(Exception):
    def __init__(self, number: int, error: ValidationError):
        super().__init__(number)
        self.number, self.error = number, error


@transaction.atomic
def _fail(batch_id: int, message: str) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    batch.status, batch.error, batch.finished_at = ImportBatch.Status.FAILED, message, timezone.now()
    _forget_file(batch)
    model_save(batch, by=None, update_fields=["status", "error", "finished_at", "file"])
    return batch


# --- Inviting the people an import brought in ---


@dataclass(frozen=True)
class Invitee:
    pk: int  # the partner's, or the (unsent) invitation's
    name: str
    email: str
    reason: str  # why they cannot be invited; empty when they can

    @property
    def can_invite(self) -> bool:
        return not self.reason


def invitees(batch: ImportBatch) -> list[Invitee]:
    """Who the import brought in, and whether each can be invited now."""
    if batch.kind == ImportBatch.Kind.PEOPLE:
        return [Invitee(invitation.pk, invitation.full_name, invitation.email,
                        "" if invitation.state == "pending" and invitation.sent_at is None
                        else _("Invitation %(state)s") % {
                            "state": Invitation.state_label(invitation.state).lower()}
                        if invitation.state != "pending" else _("Invited"))
                for invitation in Invitation.objects.filter(pk__in=batch.people).order_by("full_name")]
    partners = Partner.objects.filter(pk__in=batch.people).order_by("full_name")
    agreeing = set(partners.consenting_to(ConsentStatement.Topic.CONTACT).values_list("pk", flat=True))
    waiting = set(Invitation.objects.pending().filter(partner__in=batch.people).values_list("partner_id",
                                                                                              flat=True))
    return [Invitee(partner.pk, partner.full_name, partner.email, _why_not(partner, agreeing, waiting))
            for partner in partners]


def _why_not(partner: Partner, agreeing: set[int], waiting: set[int]) -> str:
    if partner.is_erased:
        return _("Personal data erased")
    if partner.user_id:
        return _("Already signs in")
    if not partner.email:
        return _("No e-mail address")
    if partner.pk not in agreeing:
        return _("Has not agreed to be contacted")
    if partner.pk in waiting:
        return _("Invited")
    return ""


@transaction.atomic
def import_invite(*, batch: ImportBatch, ids: list[int], by) -> ImportBatch:
    """Check the people chosen for invitations; a worker sends them (see `import_invite_send`)."""
    _require_staff(by)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.DONE:
        raise ValidationError(_("Only people from a finished import can be invited from here."))
    chosen = {invitee.pk for invitee in invitees(batch) if invitee.can_invite} & set(ids)
    if not chosen:
        raise ValidationError(_("Choose at least one person who can be invited."))
    return batch


def import_invite_send(*, batch_id: int, ids: list[int], by_id: int, base_url: str) -> tuple[int, int]:
    """The worker's part: invite each chosen person who can be, one transaction each, so one
    refusal does not stop the others. Answers (invited, not invited)."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    by = User.objects.get(pk=by_id)
    allowed = {invitee.pk for invitee in invitees(batch) if invitee.can_invite}
    invited = not_invited = 0
    for pk in ids:
        if pk not in allowed:
            not_invited += 1
            continue
        try:
            with transaction.atomic():
                if batch.kind == ImportBatch.Kind.PEOPLE:
                    services.invitation_send(invitation=Invitation.objects.get(pk=pk), by=by,
                                             request_or_base_url=base_url)
                else:
                    partner = Partner.objects.get(pk=pk)
                    services.invitation_create_and_send(email=partner.email, full_name=partner.full_name,
                                                        role=Invitation.Role.PARTNER, partner=partner, by=by,
                                                        request_or_base_url=base_url)
            invited += 1
        except ValidationError as error:
            logger.info("import %s: person %s not invited: %s", batch_id, pk, " ".join(error.messages))
            not_invited += 1
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        batch.invited_count += invited
        batch.not_invited_count += not_invited
        model_save(batch, by=by, update_fields=["invited_count", "not_invited_count"],
                   reason=f"Invited {invited}; {not_invited} could not be invited")
    return invited, not_invited
