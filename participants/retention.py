"""The participants app's retention rule: partners whose status has been "left" for the
organisation's number of years are anonymised, by the same erasure staff use (it keeps
what they were paid). Registered in `ParticipantsConfig.ready()` (see coprod/retention.py)."""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coprod.retention import RetentionItem
from coprod.retention import RetentionRule

from . import services
from .models import Partner

logger = logging.getLogger(__name__)


def _items(queryset: QuerySet) -> list[RetentionItem]:
    return [
        RetentionItem(
            pk=partner.pk,
            reference=gettext("Partner %(number)s") % {"number": partner.pk},
            detail=gettext("Left on %(date)s") % {
                "date": format_date(timezone.localtime(partner.left_at), "j F Y")},
            person=partner.full_name,
            url=reverse("participants:partner_detail", args=[partner.pk]),
        )
        for partner in queryset
    ]


def _apply(*, pks: list[int], before: date) -> tuple[list[int], list[int]]:
    """Erase each partner still due, one transaction each: one that fails is logged,
    counted and left as it was; the others go ahead."""
    done, failed = [], []
    for partner in Partner.objects.left_before(before).filter(pk__in=pks):
        try:
            services.partner_erase(partner=partner, by=None, confirm_name=partner.full_name,
                                   note=services.RETENTION_ERASED_NOTE)
        except ValidationError:
            continue  # erased meanwhile: nothing left to do
        except Exception:
            logger.exception("retention: partner %s could not be anonymised", partner.pk)
            failed.append(partner.pk)
        else:
            done.append(partner.pk)
    return done, failed


PARTNERS_WHO_LEFT = RetentionRule(
    key="partners",
    title=_("Partners who left"),
    verb="anonymised",
    order=20,
    years_setting="partner_retention_years",
    limit=_("Partners whose status has been “left” for {years} years are anonymised, as “Erase their "
          "personal data” does: their details and receipts go; what they were paid, and when, stays."),
    due=Partner.objects.left_before,
    items=_items,
    apply=_apply,
)
