"""The content matrix: every download (file, PDF, CSV, calendar, JSON and the on-screen
data exports) × every role, and what the body must and must not hold.

The permission matrix (tests/permissions.py) checks who gets which status code; this
table checks what reaches them. Marker words are planted in the world's records by
`populate`: the sensitive details of `world.partner` (access need, interpreter language,
lived experience, other access needs, the benefit flag's wording), another partner's name
and another panel member's access notes. A cell is a status (nothing to read) or a `Body`:
its status, words it must contain and words it must not. The permission matrix fails on
any URL that answers with a download but has no row here.

Roles, in the order of each row's `bodies` tuple: anonymous, partner, other_partner,
trustee, staff (every permission, as in the permission matrix), sensitive_staff (only
"see partners' sensitive details"), plain_staff (no permission), finance_staff (approve
and pay claims, no sensitive details).
"""

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

from .permissions import FORBIDDEN
from .permissions import LOGIN
from .permissions import NOT_FOUND
from .permissions import OK
from .permissions import no_kwargs

CONTENT_ROLES = ("anonymous", "partner", "other_partner", "trustee", "staff", "sensitive_staff",
                 "plain_staff", "finance_staff")

# world.partner's sensitive details (see populate)
ACCESS_NEED = "Large print"
INTERPRETER = "Polish"
LIVED_EXPERIENCE = "Homelessness"
ACCESS_NOTES = "Hearing loop at the front"
BENEFIT_WORDS = "Payments checked against benefit rules"  # how pages and PDFs name the flag
BENEFIT_JSON = '"benefit_check": true'
SENSITIVE_VALUES = (ACCESS_NEED, INTERPRETER, LIVED_EXPERIENCE, ACCESS_NOTES)
SENSITIVE_READ = (*SENSITIVE_VALUES, BENEFIT_WORDS)  # pages and PDFs
SENSITIVE_JSON = (*SENSITIVE_VALUES, BENEFIT_JSON)
PARTNER = "Pat Partner"
OTHER_PARTNER = "Olly Other"
PANEL_MEMBER_NOTES = "Needs a break every hour"  # Leslie Lane's, on world.panel (tests/panels/pages.py)
QUOTE = "Thursday evenings clash with the food bank"  # world.partner agreed to be quoted
UNQUOTABLE = "Please send the papers a week before"  # a panel member who did not agree
OWN_WORDS = "I felt listened to"  # world.partner's words on a thank-you
NAMES = (PARTNER, OTHER_PARTNER, "Leslie Lane")


@dataclass(frozen=True)
class Body:
    status: object = OK
    contains: tuple = ()
    excludes: tuple = ()


@dataclass(frozen=True)
class Download:
    name: str
    bodies: tuple  # one cell per CONTENT_ROLES
    kwargs: Callable = field(default=no_kwargs)
    pdf: bool = False  # read the body's text with pdftotext
    what: str = ""
    query: str = ""  # a list's download is the list's URL with `?export=csv`

    def expected(self, role: str) -> Body:
        cell = self.bodies[CONTENT_ROLES.index(role)]
        return cell if isinstance(cell, Body) else Body(status=cell)


def _pk(attribute: str) -> Callable:
    return lambda world: {"pk": getattr(world, attribute).pk}


def populate(world) -> None:
    """Plant the markers and make the real PDFs (rendered as the worker does)."""
    from django.contrib.auth.models import Permission
    from django.test import TestCase
    from django.utils import timezone

    from coprod import governance
    from coprod import periods
    from coprod import reports
    from coprod.models import Report
    from participants import services as participant_services
    from participants.models import Consent
    from participants.models import ConsentStatement

    from .panels.factories import FeedbackPointFactory
    from .panels.factories import FeedbackResponseFactory
    from .participants.factories import StaffFactory

    def staff_with(email: str, *codenames: str):
        user = StaffFactory(email=email, full_name=email.split("@")[0].title())
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
        return type(user).objects.get(pk=user.pk)

    world.sensitive_staff = staff_with("sensitive@example.test", "view_sensitive_partner_data")
    world.plain_staff = staff_with("plain@example.test")
    world.finance_staff = staff_with("finance@example.test", "approve_claim", "pay_claim")
    partner = world.partner
    # Access need, interpreter, lived experience and the benefit flag come from the apps' pages.
    participant_services.partner_update(partner=partner, by=world.staff, data={"access_notes": ACCESS_NOTES})
    quotes = ConsentStatement.objects.filter(topic="quotes").order_by("-version").first()
    Consent.objects.create(partner=partner, statement=quotes, recorded_by=partner.user)
    world.answered_point.text = f"{QUOTE}; people cannot do both."
    world.answered_point.save(update_fields=["text"])
    leslie = world.leslie_membership.partner
    FeedbackResponseFactory(point=FeedbackPointFactory(proposal=world.proposal, raised_by=leslie,
                                                       text=UNQUOTABLE),
                            responded_by=world.staff)

    with TestCase.captureOnCommitCallbacks(execute=True):
        world.full_export = participant_services.partner_export_pdf_request(partner=partner, by=partner.user)
        world.withheld_export = participant_services.partner_export_pdf_request(partner=partner,
                                                                               by=world.plain_staff)
        world.real_certificate = reports.report_request(
            kind=Report.Kind.CERTIFICATE, title="Certificate of contribution", by=partner.user,
            partner=partner)
        world.real_statement = reports.report_request(
            kind=Report.Kind.STATEMENT, title="Statement of involvement", by=partner.user,
            partner=partner)
        world.governance_report = governance.governance_report_request(
            period=periods.year_to(timezone.localdate()), service=None, by=world.trustee)
        world.closed_round_report = reports.report_request(
            kind=Report.Kind.LADDER_ROUND, title="Ladder of co-production: Spring self-assessment",
            by=world.staff, params={"round": world.ladder_closed.pk})
        world.open_round_report = reports.report_request(
            kind=Report.Kind.LADDER_ROUND, title="Ladder of co-production: Autumn check-in",
            by=world.staff, params={"round": world.ladder_open.pk}, staff_only=True)
    for name in ("full_export", "withheld_export", "real_certificate", "real_statement", "governance_report",
                 "closed_round_report", "open_round_report"):
        report = getattr(world, name)
        report.refresh_from_db()
        assert report.status == Report.Status.DONE, f"{name}: {report.error}"


def _row(anonymous, partner, other_partner, trustee, staff, sensitive_staff, plain_staff, finance_staff):
    return (anonymous, partner, other_partner, trustee, staff, sensitive_staff, plain_staff, finance_staff)


# What may be read of world.partner, by who may read it.
FULL_PDF = Body(contains=(PARTNER, *SENSITIVE_READ), excludes=(OTHER_PARTNER, PANEL_MEMBER_NOTES))
WITHHELD_PDF = Body(contains=(PARTNER, "left out of this copy"),
                    excludes=(*SENSITIVE_READ, OTHER_PARTNER, PANEL_MEMBER_NOTES))
FULL_JSON = Body(contains=(PARTNER, *SENSITIVE_JSON), excludes=(OTHER_PARTNER, PANEL_MEMBER_NOTES))
WITHHELD_JSON = Body(contains=(PARTNER, '"withheld": [\n    "access_needs"'),
                     excludes=(*SENSITIVE_JSON, OTHER_PARTNER, PANEL_MEMBER_NOTES))
FULL_PAGE = Body(contains=(PARTNER, *SENSITIVE_READ), excludes=(OTHER_PARTNER, PANEL_MEMBER_NOTES))
WITHHELD_PAGE = Body(contains=(PARTNER,), excludes=(*SENSITIVE_READ, OTHER_PARTNER, PANEL_MEMBER_NOTES))
# The other partner's own export: theirs, nothing of world.partner's.
OTHERS_OWN_JSON = Body(contains=(OTHER_PARTNER,), excludes=(PARTNER, *SENSITIVE_JSON))
OTHERS_OWN_PAGE = Body(contains=(OTHER_PARTNER,), excludes=(PARTNER, *SENSITIVE_VALUES))
# A partner's certificate or statement: their name and involvement, their words (they agreed
# to quotes), no sensitive detail.
DOCUMENT = Body(contains=(PARTNER, OWN_WORDS), excludes=(*SENSITIVE_READ, OTHER_PARTNER))
# Organisational reports name no partner and quote only those who agreed, without a name.
GOVERNANCE = Body(contains=("Governance report", QUOTE), excludes=(*NAMES, *SENSITIVE_READ, UNQUOTABLE))
LADDER = Body(contains=("Spring self", "closed"), excludes=(*NAMES, *SENSITIVE_READ))
LIVE_LADDER = Body(contains=("Autumn check-in", "still open"), excludes=(*NAMES, *SENSITIVE_READ))
# Files shared with a panel, and its calendar entry: no member's details.
MEETING_FILE = Body(contains=("a test paper",))
CALENDAR = Body(contains=("BEGIN:VCALENDAR", "Waiting-room changes"),
                excludes=(*NAMES, *SENSITIVE_VALUES, PANEL_MEMBER_NOTES))
PROPOSAL_FILE = Body(contains=("opening hours",))
RECEIPT_FILE = Body(contains=("JFIF",))
# Payments for finance systems: who was paid and how much; never a sensitive detail.
PAYMENTS_CSV = Body(contains=("Payment ID", PARTNER),
                    excludes=(*SENSITIVE_READ, "benefit", PANEL_MEMBER_NOTES))
LOGO = Body(contains=("PNG",))
HEALTH = Body(contains=('"status"',), excludes=NAMES)
# Staff lists downloaded as CSV (coprod/tables.py): the columns the page shows, so access needs
# only for staff allowed to see sensitive details, and never the details no list shows.
PARTNERS_CSV = Body(contains=("Access needs", PARTNER, ACCESS_NEED),
                    excludes=(LIVED_EXPERIENCE, INTERPRETER, ACCESS_NOTES, BENEFIT_WORDS))
PARTNERS_CSV_WITHHELD = Body(contains=("Known as", PARTNER), excludes=("Access needs", *SENSITIVE_READ))
CLAIMS_CSV = Body(contains=("Claim,Partner", PARTNER), excludes=(*SENSITIVE_READ, "benefit"))
DECISIONS_CSV = Body(contains=("Decision,", "Thursday evening drop-in", "asked for an evening session"),
                     excludes=(*NAMES, *SENSITIVE_READ))
FEEDBACK_CSV = Body(contains=("You said", QUOTE), excludes=(*NAMES, *SENSITIVE_READ, UNQUOTABLE))
LADDERS_CSV = Body(contains=("Ladder,Steps,Rounds run,Current", "Ladder of co-production (TLAP)"),
                   excludes=(*NAMES, *SENSITIVE_READ, "csrfmiddlewaretoken"))
LADDER_AREAS_CSV = Body(contains=("Order,Area,What it covers,Offered for new rounds,Rounds", "Governance"),
                        excludes=(*NAMES, *SENSITIVE_READ))
WELCOME_PACK = Body(contains=("welcome",))
STAFF_GUIDE = Body(contains=("terms",))

def _staff(body) -> tuple:
    return (body,) * 4


def _report(record: str, what: str, partner, trustee, staff) -> Download:
    """A PDF report `world.<record>`: what its partner, a trustee and every member of staff
    get; never the other partner."""
    return Download("coprod:report_download", _row(LOGIN, partner, NOT_FOUND, trustee, *_staff(staff)),
                    kwargs=_pk(record), pdf=True, what=what)


DOWNLOADS = [
    # Reports (PDF): what each holds decides who may open it.
    Download("coprod:report_download", _row(LOGIN, FULL_PDF, NOT_FOUND, NOT_FOUND, FULL_PDF, FULL_PDF,
                                            NOT_FOUND, NOT_FOUND),
             kwargs=_pk("full_export"), pdf=True, what="a partner's export with sensitive details"),
    _report("withheld_export", "a partner's export made without them", WITHHELD_PDF, NOT_FOUND, WITHHELD_PDF),
    _report("real_certificate", "certificate of contribution", DOCUMENT, NOT_FOUND, DOCUMENT),
    _report("real_statement", "statement of involvement", DOCUMENT, NOT_FOUND, DOCUMENT),
    _report("governance_report", "governance report", NOT_FOUND, GOVERNANCE, GOVERNANCE),
    _report("closed_round_report", "ladder round report, round closed", NOT_FOUND, LADDER, LADDER),
    _report("open_round_report", "ladder round report, round still open", NOT_FOUND, NOT_FOUND, LIVE_LADDER),
    # Everything held about a partner, on screen and as JSON.
    Download("participants:my_data", _row(LOGIN, FULL_PAGE, OTHERS_OWN_PAGE, *(FORBIDDEN,) * 5)),
    Download("participants:my_data_json", _row(LOGIN, FULL_JSON, OTHERS_OWN_JSON, *(FORBIDDEN,) * 5)),
    Download("participants:partner_export", _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FULL_PAGE, FULL_PAGE,
                                                 WITHHELD_PAGE, WITHHELD_PAGE), kwargs=_pk("partner")),
    Download("participants:partner_export_json", _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FULL_JSON,
                                                      FULL_JSON, WITHHELD_JSON, WITHHELD_JSON),
             kwargs=_pk("partner")),
    # Files.
    Download("coprod:organisation_logo", _row(LOGO, LOGO, LOGO, LOGO, *_staff(LOGO))),
    Download("coprod:resource_download", _row(LOGIN, WELCOME_PACK, WELCOME_PACK, FORBIDDEN,
                                              *_staff(WELCOME_PACK)), kwargs=_pk("welcome_pack")),
    Download("coprod:resource_download", _row(LOGIN, NOT_FOUND, NOT_FOUND, FORBIDDEN, *_staff(STAFF_GUIDE)),
             kwargs=_pk("staff_guide")),
    Download("panels:paper_download", _row(LOGIN, MEETING_FILE, NOT_FOUND, FORBIDDEN, *_staff(MEETING_FILE)),
             kwargs=_pk("paper")),
    Download("panels:meeting_ics", _row(LOGIN, CALENDAR, NOT_FOUND, FORBIDDEN, *_staff(CALENDAR)),
             kwargs=_pk("meeting")),
    Download("panels:proposal_document", _row(LOGIN, PROPOSAL_FILE, NOT_FOUND, FORBIDDEN,
                                              *_staff(PROPOSAL_FILE)), kwargs=_pk("proposal")),
    Download("reciprocity:receipt", _row(LOGIN, RECEIPT_FILE, NOT_FOUND, NOT_FOUND, RECEIPT_FILE, NOT_FOUND,
                                         NOT_FOUND, RECEIPT_FILE), kwargs=_pk("receipt_item")),
    Download("reciprocity:finance_export", _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
                                                *_staff(PAYMENTS_CSV))),
    Download("healthz", _row(*(HEALTH,) * 8)),
    Download("participants:partner_list", _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, PARTNERS_CSV,
                                               PARTNERS_CSV, PARTNERS_CSV_WITHHELD, PARTNERS_CSV_WITHHELD),
             query="?export=csv", what="partner list CSV"),
    Download("reciprocity:claim_list", _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, *_staff(CLAIMS_CSV)),
             query="?export=csv", what="claim list CSV"),
    Download("panels:decision_list", _row(LOGIN, FORBIDDEN, FORBIDDEN, DECISIONS_CSV, *_staff(DECISIONS_CSV)),
             query="?export=csv", what="decision log CSV"),
    Download("panels:feedback_log", _row(LOGIN, FORBIDDEN, FORBIDDEN, FEEDBACK_CSV, *_staff(FEEDBACK_CSV)),
             query="?export=csv", what="you said, we did CSV"),
    Download("ladder:ladder_list", _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, *_staff(LADDERS_CSV)),
             query="?export=csv", what="ladders CSV"),
    Download("ladder:area_list", _row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, *_staff(LADDER_AREAS_CSV)),
             query="?export=csv", what="co-production areas CSV"),
]

DOWNLOAD_NAMES = {download.name for download in DOWNLOADS}
