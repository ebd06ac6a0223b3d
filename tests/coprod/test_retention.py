"""The retention rules: receipt files go some years after their claim ended, partners who
left long ago are anonymised (keeping what they were paid). The nightly run does what the
dry-run page lists, in batches, once, and records it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from coprod import retention
from coprod.models import Organisation
from coprod.models import RetentionRun
from coprod.tasks import apply_retention_rules
from participants import services as participant_services
from participants.models import Partner
from participants.models import StatusChange
from reciprocity.models import Claim
from reciprocity.models import ClaimItem
from reciprocity.models import Payment

from ..helpers import assert_queries_bounded
from ..participants.factories import PartnerFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..reciprocity.factories import FundingSourceFactory
from ..reciprocity.helpers import give_finance_permissions
from ..reciprocity.helpers import jpeg
from ..reciprocity.helpers import make_claim
from ..reciprocity.helpers import paid_claim

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SIX_YEARS_AGO = retention.years_before(TODAY, 6)


@pytest.fixture
def finance():
    return give_finance_permissions(StaffFactory(full_name="Fran Finance"))


@pytest.fixture
def source():
    return FundingSourceFactory(starts_on=TODAY - timedelta(days=30), ends_on=TODAY + timedelta(days=30))


def _paid_with_receipt(finance, source, *, paid_on, partner=None) -> Claim:
    """A claim with a travel receipt, paid on `paid_on` (recorded today, then dated back)."""
    partner = partner or PartnerWithLoginFactory()
    claim = paid_claim(partner, finance, source, travel=Decimal("4.50"), receipt=jpeg())
    Payment.objects.filter(claim=claim).update(paid_on=paid_on)
    return claim


def _left(name: str, *, years_ago: float, partner=None) -> Partner:
    partner = partner or PartnerWithLoginFactory()
    Partner.objects.filter(pk=partner.pk).update(status=Partner.Status.LEFT, full_name=name)
    StatusChange.objects.create(partner=partner, from_status="active", to_status="left",
                                changed_at=timezone.now() - timedelta(days=round(365.25 * years_ago)))
    return Partner.objects.get(pk=partner.pk)


def _due_pks() -> dict[str, set[int]]:
    return {preview.rule.key: {item.pk for item in preview.items}
            for preview in retention.retention_preview(limit=10_000)}


@pytest.fixture
def world_of_retention(finance, source):
    """What is due and what is not, for both rules."""
    old_paid = _paid_with_receipt(finance, source, paid_on=SIX_YEARS_AGO - timedelta(days=1))
    recent_paid = _paid_with_receipt(finance, source, paid_on=SIX_YEARS_AGO)
    rejected = make_claim(PartnerWithLoginFactory(), travel=Decimal("3.00"), receipt=jpeg("bus.jpg"))
    Claim.objects.filter(pk=rejected.pk).update(status="rejected", rejection_reason="Claimed twice.",
                                                decided_at=timezone.now() - timedelta(days=7 * 366))
    waiting = make_claim(PartnerWithLoginFactory(), travel=Decimal("2.00"), receipt=jpeg(), fee=False)
    # Claimed long ago and never decided (made today, then dated back: a new claim must be recent).
    Claim.objects.filter(pk=waiting.pk).update(activity_date=TODAY - timedelta(days=3000))
    gones_claim = paid_claim(PartnerWithLoginFactory(), finance, source)
    gone = _left("Gwen Gone", years_ago=7, partner=gones_claim.partner)
    recently_left = _left("Rory Recent", years_ago=2)
    active = PartnerFactory(full_name="Ada Active", status="active",
                            created=timezone.now() - timedelta(days=4000))
    return {
        "due_receipts": {old_paid.items.get(kind="travel").pk, rejected.items.get(kind="travel").pk},
        "kept_receipts": {recent_paid.items.get(kind="travel").pk, waiting.items.get(kind="travel").pk},
        "due_partners": {gone.pk},
        "kept_partners": {recently_left.pk, active.pk},
        "gone": gone,
        "gones_claim": gones_claim,
        "old_paid": old_paid,
    }


# --- The rules' settings --------------------------------------------------------------------


def test_the_defaults_keep_six_years_and_run_every_night():
    organisation = Organisation.current()
    assert organisation.retention_enabled
    assert (organisation.receipt_retention_years, organisation.partner_retention_years) == (6, 6)
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "coprod.tasks.apply_retention_rules")
    assert entry["schedule"].hour == {2}


@pytest.fixture
def settings_client(client):
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="change_organisation"))
    client.force_login(staff)
    client.staff = staff
    return client


def _post_retention(client, **values):
    data = {"section": "retention", "retention-retention_enabled": "on",
            "retention-receipt_retention_years": "6", "retention-partner_retention_years": "6"}
    data.update({f"retention-{name}": value for name, value in values.items()})
    return client.post(reverse("coprod:organisation_settings"), data)


def test_the_settings_page_changes_the_rules_and_nothing_else(settings_client):
    Organisation.objects.filter(pk=Organisation.current().pk).update(name="Riverside Law Centre")
    response = _post_retention(settings_client, receipt_retention_years="7", partner_retention_years="3",
                               retention_enabled="")
    assert response.status_code == 302 and response.url.endswith("#retention")
    organisation = Organisation.current()
    assert (organisation.receipt_retention_years, organisation.partner_retention_years) == (7, 3)
    assert not organisation.retention_enabled and organisation.name == "Riverside Law Centre"
    assert organisation.history.first().history_user == settings_client.staff


@pytest.mark.parametrize(("field", "value", "message"), [
    ("receipt_retention_years", "2", "greater than or equal to 3"),
    ("receipt_retention_years", "21", "less than or equal to 20"),
    ("partner_retention_years", "0", "greater than or equal to 1"),
    ("partner_retention_years", "six", "Enter a whole number"),
])
def test_periods_out_of_bounds_are_refused_and_nothing_changes(settings_client, field, value, message):
    response = _post_retention(settings_client, **{field: value})
    assert response.status_code == 200 and message in response.content.decode()
    organisation = Organisation.current()
    assert (organisation.receipt_retention_years, organisation.partner_retention_years) == (6, 6)


def test_saving_the_organisation_form_leaves_the_rules_alone(settings_client):
    _post_retention(settings_client, receipt_retention_years="9")
    settings_client.post(reverse("coprod:organisation_settings"), {
        "name": "Renamed", "recruitment_involvement_target": "85", "attendance_target": "75",
        "feedback_on_time_target": "90", "days_to_pay_target": "14", "quarterly_report_day": "7",
    })
    organisation = Organisation.current()
    assert organisation.name == "Renamed" and organisation.receipt_retention_years == 9
    assert organisation.retention_enabled


# --- What is due ----------------------------------------------------------------------------


def test_the_dry_run_lists_what_is_due_and_nothing_else(world_of_retention):
    due = _due_pks()
    assert due["receipts"] == world_of_retention["due_receipts"]
    assert due["partners"] == world_of_retention["due_partners"]


def test_a_note_added_after_someone_left_does_not_restart_the_clock():
    partner = _left("Nell Noted", years_ago=7)
    StatusChange.objects.create(partner=partner, from_status="left", to_status="left",
                                note="Asked us to delete their information")
    assert _due_pks()["partners"] == {partner.pk}


def test_shorter_periods_bring_more_into_the_next_run(world_of_retention):
    Organisation.objects.filter(pk=Organisation.current().pk).update(partner_retention_years=1)
    assert world_of_retention["kept_partners"] & _due_pks()["partners"]


# --- The run -------------------------------------------------------------------------------


def test_the_run_does_exactly_what_the_dry_run_listed(world_of_retention, django_capture_on_commit_callbacks):
    listed = _due_pks()
    old_item = ClaimItem.objects.get(pk=next(iter(world_of_retention["due_receipts"] & {
        world_of_retention["old_paid"].items.get(kind="travel").pk})))
    old_file = old_item.receipt.name
    assert default_storage.exists(old_file)

    with django_capture_on_commit_callbacks(execute=True):
        run = retention.retention_run()

    removed = set(ClaimItem.objects.filter(receipt_removed_at__isnull=False).values_list("pk", flat=True))
    anonymised = set(Partner.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert removed == listed["receipts"] and anonymised == listed["partners"]
    assert not default_storage.exists(old_file)
    kept = ClaimItem.objects.filter(pk__in=world_of_retention["kept_receipts"])
    assert all(item.receipt and default_storage.exists(item.receipt.name) for item in kept)
    assert run.status == RetentionRun.Status.DONE and run.by is None and run.who == "The nightly job"
    assert {r["rule"]: (r["done"], r["failed"]) for r in run.results} == {
        "receipts": (2, 0), "partners": (1, 0)}


def test_a_removed_receipt_leaves_the_claim_its_amounts_and_a_note(world_of_retention,
                                                                  django_capture_on_commit_callbacks):
    claim = world_of_retention["old_paid"]
    with django_capture_on_commit_callbacks(execute=True):
        retention.retention_run()
    claim = Claim.objects.get(pk=claim.pk)
    line = claim.items.get(kind="travel")
    assert line.receipt.name == "" and line.receipt_name == "ticket.jpg" and line.amount == Decimal("4.50")
    assert line.receipt_removed_at is not None
    assert line.history.first().history_change_reason == "Receipt removed under the retention rule"
    assert line.history.first().history_user is None
    assert claim.status == "paid" and claim.total == Decimal("44.50")
    assert claim.payment.amount == Decimal("44.50")


def test_a_partner_who_left_long_ago_is_anonymised_and_their_payments_stay(world_of_retention):
    gone, claim = world_of_retention["gone"], world_of_retention["gones_claim"]
    payment = Payment.objects.get(claim=claim)
    retention.retention_run()
    gone.refresh_from_db()
    assert gone.is_erased and gone.full_name == f"Erased partner {gone.pk}" and gone.email == ""
    assert gone.erased_by is None and gone.user is None
    assert gone.status_changes.first().note == "Personal data erased under the retention rule"
    assert Payment.objects.get(pk=payment.pk).amount == payment.amount == Decimal("40.00")
    assert payment.paid_on == TODAY
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == "paid" and claim.total == Decimal("40.00") and claim.activity == "Erased"


def test_a_second_run_finds_nothing_more_to_do(world_of_retention):
    retention.retention_run()
    changed = ClaimItem.history.count() + Partner.history.count()
    second = retention.retention_run()
    assert [(r["done"], r["failed"]) for r in second.results] == [(0, 0), (0, 0)]
    assert ClaimItem.history.count() + Partner.history.count() == changed
    assert all(not items for items in _due_pks().values())


def test_the_run_works_through_batches(world_of_retention, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 1)
    run = retention.retention_run()
    assert {r["rule"]: r["done"] for r in run.results} == {"receipts": 2, "partners": 1}


def test_one_partner_who_cannot_be_anonymised_is_counted_and_the_others_go(world_of_retention, monkeypatch):
    stuck = _left("Stella Stuck", years_ago=8)
    erase = participant_services.partner_erase

    def erase_unless_stuck(*, partner, **kwargs):
        if partner.pk == stuck.pk:
            raise RuntimeError("the disk is full")
        return erase(partner=partner, **kwargs)

    monkeypatch.setattr(participant_services, "partner_erase", erase_unless_stuck)
    run = retention.retention_run()
    result = next(r for r in run.results if r["rule"] == "partners")
    assert (result["done"], result["failed"]) == (1, 1) and run.status == RetentionRun.Status.DONE
    assert not Partner.objects.get(pk=stuck.pk).is_erased
    assert world_of_retention["gone"].pk in set(Partner.objects.filter(erased_at__isnull=False)
                                                .values_list("pk", flat=True))


def test_paused_rules_remove_nothing_and_the_run_says_so(world_of_retention):
    Organisation.objects.filter(pk=Organisation.current().pk).update(retention_enabled=False)
    run = retention.retention_run()
    assert run.status == RetentionRun.Status.PAUSED and run.results == []
    assert not ClaimItem.objects.filter(receipt_removed_at__isnull=False).exists()
    assert not Partner.objects.filter(erased_at__isnull=False).exists()


def test_the_nightly_task_runs_the_rules(world_of_retention):
    run_id = apply_retention_rules.delay().get()
    assert RetentionRun.objects.get(pk=run_id).results[0]["done"] == 2


# --- The retention page -----------------------------------------------------------------------


def _client_with(client, *codenames):
    staff = StaffFactory()
    staff.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(staff)
    return client


def test_staff_without_the_settings_or_erasure_permission_cannot_see_it(client):
    assert _client_with(client).get(reverse("coprod:retention")).status_code == 403


def test_the_page_lists_what_is_due_with_names_only_for_those_who_may_erase(client, world_of_retention):
    page = _client_with(client, "change_organisation").get(reverse("coprod:retention")).content.decode()
    assert "Receipts: 2 due" in page and "Partners who left: 1 due" in page
    assert f"Partner {world_of_retention['gone'].pk}" in page and "Gwen Gone" not in page
    assert "Names are shown only to staff who may erase" in page

    page = _client_with(client, "delete_partner").get(reverse("coprod:retention")).content.decode()
    assert "Gwen Gone" in page and "Rory Recent" not in page and "Ada Active" not in page


def test_the_page_shows_the_last_run_and_links_both_ways(settings_client, world_of_retention):
    retention.retention_run()
    page = settings_client.get(reverse("coprod:retention")).content.decode()
    assert "The nightly job" in page and "Receipts: 2 removed; Partners who left: 1 anonymised" in page
    assert "Nothing is due." in page
    settings_page = settings_client.get(reverse("coprod:organisation_settings")).content.decode()
    assert reverse("coprod:retention") in settings_page


def test_the_page_runs_the_same_queries_however_much_is_due(client, finance, source):
    """Before: one run, one receipt and one partner due. After: two runs, eleven of each due."""
    client = _client_with(client, "change_organisation", "delete_partner")
    long_paid = SIX_YEARS_AGO - timedelta(days=3)

    def add_due(count: int) -> None:
        for number in range(count):
            _paid_with_receipt(finance, source, paid_on=long_paid)
            _left(f"Partner {number}", years_ago=7)

    retention.retention_run()
    add_due(1)

    def grow():
        retention.retention_run()
        add_due(11)

    assert_queries_bounded(client, reverse("coprod:retention"), grow, most=25)
