"""Permission-matrix rows for the reciprocity app, and the records its pages need.

`world.partner` owns every claim, receipt and thank-you here, so `other_partner`
must get 404 on each. `world.staff` holds both finance permissions (approve and
pay); staff without them are tested in tests/reciprocity/test_views_staff.py."""

import datetime
from decimal import Decimal

from ..permissions import FORBIDDEN
from ..permissions import LOGIN
from ..permissions import NOT_FOUND
from ..permissions import OK
from ..permissions import OWN_RECORD
from ..permissions import OWN_RECORD_POST
from ..permissions import PARTNERS_ONLY
from ..permissions import REDIRECT
from ..permissions import STAFF_ONLY
from ..permissions import STAFF_POST
from ..permissions import Page

# A day inside the claimable window (the last 12 months), whenever the suite runs.
RECENT = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()

# Each partner acts on their own record.
OWN_ACTION = (LOGIN, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN)
# Receipts: the claimant and finance staff.
RECEIPT = (LOGIN, OK, NOT_FOUND, NOT_FOUND, OK)


def populate(world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from participants.models import Partner
    from reciprocity import services
    from reciprocity.models import BenefitRule
    from reciprocity.models import Rate
    from reciprocity.models import Recognition

    from .helpers import funding_source
    from .helpers import give_finance_permissions
    from .helpers import install_default_rates
    from .helpers import jpeg
    from .helpers import make_claim
    from .helpers import meeting_attended
    from .helpers import paid_claim

    today = timezone.localdate()
    install_default_rates()  # browser tests run on a flushed database, without the shipped rates
    world.staff = give_finance_permissions(world.staff)
    partner = world.partner
    Partner.objects.filter(pk=partner.pk).update(benefit_check=True)
    partner.benefit_check = True
    world.claimable_meeting = meeting_attended(partner, days_ago=3, panel_name="Housing challenge panel")
    world.funding = funding_source(funder="Community Fund", grant="Voices programme")
    world.benefit_rule = BenefitRule.objects.create(
        name="Weekly earnings limit", period="week", limit=Decimal("130.00"), notes="Example figure."
    )
    world.benefit_rule.partners.add(partner)
    world.voucher_batch = services.voucher_batch_create(
        provider="Love2shop",
        value=Decimal("10.00"),
        received_on=today,
        reference="INV-1",
        codes=[f"L2S-{n:04d}" for n in range(4)],
        by=world.staff,
    )

    world.claim_paid = paid_claim(partner, world.staff, world.funding)
    world.claim_approved = make_claim(partner, activity="Helped plan the open day", days_ago=4)
    services.claim_approve(claim=world.claim_approved, by=world.staff)
    world.claim_rejected = make_claim(
        partner, activity="Phone call with the team", days_ago=6, hours=Decimal("1")
    )
    services.claim_reject(
        claim=world.claim_rejected, by=world.staff, reason="This call was covered by the panel fee."
    )
    world.claim_submitted = make_claim(
        partner, activity="Tested the new website", days_ago=2, travel=Decimal("4.50"), receipt=jpeg()
    )
    world.receipt_item = world.claim_submitted.items.get(kind="travel")
    world.claim_returned = services.claim_return(
        claim=make_claim(partner, activity="Checked the new form", days_ago=7),
        by=world.staff,
        reason="Please say how long it took.",
    )
    world.claim_draft = make_claim(
        partner,
        activity="Wrote a blog post",
        days_ago=1,
        submit=False,
        travel=Decimal("3.20"),
        receipt=jpeg("bus.jpg"),
    )
    world.draft_item = world.claim_draft.items.get(kind="travel")
    world.recognition = Recognition.objects.create(
        partner=partner,
        title="Chaired the housing challenge panel",
        message="Thank you for a brilliant year.",
        partner_words="I felt listened to.",
        given_by=world.staff,
        given_on=today - timedelta(days=10),
    )
    world.rate = Rate.objects.for_list().first()
    world.activity_type = world.rate.activity_type


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _pk(attribute: str):
    return lambda world: {"pk": getattr(world, attribute).pk}


def _step(claim: str, step: str):
    return lambda world: {"pk": getattr(world, claim).pk, "step": step}


def _item(claim: str, item: str):
    return lambda world: {"pk": getattr(world, claim).pk, "item": getattr(world, item).pk}


def _post(name: str, expect: tuple, record: str, **data: str) -> Page:
    """A POST of `data` to the reciprocity page `name` of `world.<record>`."""
    return Page(f"reciprocity:{name}", expect, kwargs=_pk(record), method="post", data=lambda w: dict(data))


def _claim_actions(prefix: str, expect: tuple, *, cost: dict) -> list:
    """Adding `cost` to the draft claim, removing its cost, sending it, and taking back the
    claim sent: by its partner (`my_claim`) or by staff (`claim`)."""
    return [
        _post(f"{prefix}_cost_add", expect, "claim_draft", **cost),
        Page(f"reciprocity:{prefix}_cost_remove", expect, kwargs=_item("claim_draft", "draft_item"),
             method="post"),
        _post(f"{prefix}_submit", expect, "claim_draft"),
        _post(f"{prefix}_withdraw", expect, "claim_submitted"),
    ]


PAGES = [
    # Partner self-service
    Page("reciprocity:my_claims", PARTNERS_ONLY),
    Page("reciprocity:my_claim_create", PARTNERS_ONLY),
    Page("reciprocity:my_claim_create", OWN_ACTION, method="post",
         data=lambda w: {"action": "send", "activity": "Gave feedback on a letter", "activity_date": RECENT,
                         "travel": "3.40", "travel_description": "Bus"}),
    # The claim in steps: a later step with no first answers goes back to the first.
    Page("reciprocity:my_claim_create", OWN_ACTION, method="post",
         data=lambda w: {"activity": "Gave feedback on a letter", "activity_date": RECENT}),
    Page("reciprocity:my_claim_step_fee", OWN_ACTION, sweep=False),
    Page("reciprocity:my_claim_step_fee", OWN_ACTION, method="post", data=lambda w: {"activity_type": ""}),
    Page("reciprocity:my_claim_step_costs", OWN_ACTION, sweep=False),
    Page("reciprocity:my_claim_step_costs", OWN_ACTION, method="post", data=lambda w: {"travel": "3.40"}),
    Page("reciprocity:my_claim_check", OWN_RECORD, kwargs=_pk("claim_draft")),
    Page("reciprocity:my_claim_check", OWN_RECORD, kwargs=_pk("claim_returned")),
    # Changing an answer from "Check your answers": the partner's own claim only.
    *[Page("reciprocity:my_claim_change", OWN_RECORD, kwargs=_step(claim, step))
      for claim, step in (("claim_draft", "what"), ("claim_draft", "fee"), ("claim_returned", "fee"))],
    Page("reciprocity:my_claim_change", OWN_RECORD_POST, kwargs=_step("claim_draft", "fee"), method="post",
         data=lambda w: {"activity_type": ""}),
    *[Page("reciprocity:my_claim_detail", OWN_RECORD, kwargs=_pk(claim))
      for claim in ("claim_draft", "claim_submitted", "claim_paid", "claim_rejected", "claim_returned")],
    *_claim_actions("my_claim", OWN_RECORD_POST, cost={"kind": "subsistence", "amount": "3.00"}),
    _post("my_claim_decline", OWN_RECORD_POST, "claim_approved"),
    _post("my_claim_ask_less", OWN_RECORD_POST, "claim_submitted", amount="10.00"),
    Page("reciprocity:my_payments", PARTNERS_ONLY),
    Page("reciprocity:my_recognition", PARTNERS_ONLY),
    Page("reciprocity:my_certificate", OWN_ACTION, method="post"),
    Page("reciprocity:my_statement", OWN_ACTION, method="post"),
    Page("reciprocity:receipt", RECEIPT, kwargs=_pk("receipt_item"), sweep=False),
    # Staff: claims
    Page("reciprocity:claim_list", STAFF_ONLY),
    Page("reciprocity:claim_create", STAFF_ONLY),
    Page("reciprocity:claim_create_for", STAFF_ONLY, kwargs=lambda w: {"partner": w.partner.pk}),
    Page("reciprocity:claim_create_for", STAFF_POST, kwargs=lambda w: {"partner": w.other_partner.pk},
         method="post",
         data=lambda w: {"action": "draft", "activity": "Leaflet review", "activity_date": RECENT,
                         "other": "2.00", "other_description": "Printing"}),
    *[Page("reciprocity:claim_detail", STAFF_ONLY, kwargs=_pk(claim))
      for claim in ("claim_draft", "claim_submitted", "claim_approved", "claim_paid", "claim_rejected",
                    "claim_returned")],
    *_claim_actions("claim", STAFF_POST, cost={"kind": "care", "amount": "12.00"}),
    _post("claim_approve", STAFF_POST, "claim_submitted", amount="44.50", over_limit_agreed="on"),
    _post("claim_reject", STAFF_POST, "claim_submitted", reason="Please add the bus ticket."),
    # Sending a claim back to put right: finance staff only (a partner gets 403).
    _post("claim_return", STAFF_POST, "claim_submitted", reason="Please add the bus ticket."),
    Page("reciprocity:claim_pay", STAFF_POST, kwargs=_pk("claim_approved"), method="post",
         data=lambda w: {"method": "bank_transfer", "paid_on": _today(), "funding_source": w.funding.pk,
                         "amount": "40.00", "reference": "BACS-2"}),
    # Staff: finance
    Page("reciprocity:finance", STAFF_ONLY),
    Page("reciprocity:finance_export", STAFF_ONLY, sweep=False),
    Page("reciprocity:settings_edit", STAFF_ONLY),
    Page("reciprocity:rate_list", STAFF_ONLY),
    Page("reciprocity:rate_create", STAFF_ONLY),
    Page("reciprocity:rate_edit", STAFF_ONLY, kwargs=_pk("rate")),
    Page("reciprocity:activity_type_create", STAFF_ONLY),
    Page("reciprocity:activity_type_edit", STAFF_ONLY, kwargs=_pk("activity_type")),
    Page("reciprocity:funding_list", STAFF_ONLY),
    Page("reciprocity:funding_create", STAFF_ONLY),
    Page("reciprocity:funding_detail", STAFF_ONLY, kwargs=_pk("funding")),
    Page("reciprocity:funding_edit", STAFF_ONLY, kwargs=_pk("funding")),
    Page("reciprocity:benefit_rule_list", STAFF_ONLY),
    Page("reciprocity:benefit_rule_create", STAFF_ONLY),
    Page("reciprocity:benefit_rule_edit", STAFF_ONLY, kwargs=_pk("benefit_rule")),
    Page("reciprocity:voucher_list", STAFF_ONLY),
    Page("reciprocity:voucher_batch_create", STAFF_ONLY),
    Page("reciprocity:voucher_batch_detail", STAFF_ONLY, kwargs=_pk("voucher_batch")),
    _post("voucher_codes_add", STAFF_POST, "voucher_batch", codes="NEW-1\nNEW-2"),
    # Staff: recognition
    Page("reciprocity:recognition_list", STAFF_ONLY),
    Page("reciprocity:recognition_create", STAFF_ONLY),
    Page("reciprocity:recognition_edit", STAFF_ONLY, kwargs=_pk("recognition")),
]
