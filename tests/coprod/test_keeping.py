"""The database's part in never deleting money or history (coprod/keeping.py): every
protective trigger is in place after migrating, and `flush` — which the test suite runs
between browser tests — still empties a database holding records that are kept."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.db import connection

from coprod.keeping import TRIGGER_PREFIX
from coprod.keeping import KeepTrigger
from panels.models import Decision
from reciprocity.models import Claim
from reciprocity.models import Payment

from ..panels.factories import DecisionFactory
from ..participants.factories import PartnerWithLoginFactory
from ..participants.factories import StaffFactory
from ..reciprocity.factories import FundingSourceFactory
from ..reciprocity.helpers import give_finance_permissions
from ..reciprocity.helpers import paid_claim

# Table → trigger: what the migrations promise. A migration that rebuilds one of these
# tables on SQLite drops its trigger; this list says which one went missing.
EXPECTED = {
    "keep_payments": "reciprocity_payment",
    "keep_paid_claims": "reciprocity_claim",
    "keep_paid_claim_lines": "reciprocity_claimitem",
    "keep_issued_vouchers": "reciprocity_voucher",
    "keep_decisions": "panels_decision",
    "keep_feedback_answers": "panels_feedbackresponse",
    "keep_closed_rounds": "ladder_round",
    "keep_closed_round_respondents": "ladder_respondent",
    "keep_closed_round_answers": "ladder_response",
}


def _triggers() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
        return {name: table for name, table in cursor.fetchall() if name.startswith(TRIGGER_PREFIX)}


def test_every_table_of_kept_records_has_its_delete_trigger(db):
    assert _triggers() == EXPECTED, (
        "A keep_ trigger is missing: on SQLite a migration that rebuilds the table drops it. "
        "End that migration with the app's keep_rows(...) again (see coprod/keeping.py)."
    )


def test_a_trigger_names_its_reason_and_refuses_only_what_its_condition_keeps(db):
    """KeepTrigger on a scratch table: the condition decides, the message reaches Django."""
    trigger = KeepTrigger("keeping_scratch", "scratch_rows", "Kept: it's a scratch row.",
                          condition="OLD.kept = 1")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE keeping_scratch (id integer PRIMARY KEY, kept integer)")
        cursor.execute("INSERT INTO keeping_scratch VALUES (1, 1), (2, 0)")
        for sql in trigger.create_sql(connection.vendor):
            cursor.execute(sql)
        cursor.execute("DELETE FROM keeping_scratch WHERE id = 2")
        with pytest.raises(IntegrityError, match="Kept: it's a scratch row."):
            cursor.execute("DELETE FROM keeping_scratch WHERE id = 1")


@pytest.mark.django_db(transaction=True)
def test_flush_empties_a_database_that_holds_payments_and_decisions_and_keeps_the_triggers():
    finance = give_finance_permissions(StaffFactory())
    paid_claim(PartnerWithLoginFactory(), finance, FundingSourceFactory())
    DecisionFactory()
    with pytest.raises(IntegrityError):
        Payment.objects.all().delete()

    call_command("flush", interactive=False, verbosity=0)

    assert not Payment.objects.exists() and not Claim.objects.exists() and not Decision.objects.exists()
    assert _triggers() == EXPECTED
    DecisionFactory()
    with pytest.raises(IntegrityError):
        Decision.objects.all().delete()
