"""The participants app's steps of the first-run checklist (see coprod/firstrun.py)."""

from django.utils.translation import gettext_lazy as _

from coprod.firstrun import FirstRunStep

from .models import ConsentStatement
from .models import Invitation
from .models import User


def _consent_wording_published() -> bool:
    """The organisation published wording of its own (the defaults are version 1)."""
    return ConsentStatement.objects.filter(version__gt=1).exists()


def _staff_team_invited() -> bool:
    others = User.objects.filter(is_staff_member=True, is_active=True).count() > 1
    return others or Invitation.objects.filter(role=Invitation.Role.STAFF).exists()


CONSENT = FirstRunStep(
    key="consent", order=40, title=_("Consent wording"),
    explanation=_("Read the words partners agree to (keeping their information, photos, quotes, being "
                "contacted) and publish your own where they differ. Mark it done if the wording suits you."),
    url_name="participants:consent_statement_list", link_text=_("Open the consent wording"),
    is_complete=_consent_wording_published,
)
STAFF_TEAM = FirstRunStep(
    key="staff_team", order=50, title=_("Invite the rest of the staff team"),
    explanation=_("Invite colleagues one at a time, or import a spreadsheet of staff and trustees and invite "
                "them together. Give permissions on the Team page once they have joined."),
    url_name="participants:import_list", link_text=_("Invite or import staff"),
    is_complete=_staff_team_invited,
)
