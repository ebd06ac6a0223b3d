"""A claim to race over, in the database DATABASE_URL names, for a server running in another
process (see test_concurrent_requests.py).

    python -m tests.reciprocity.race_site seed         # prints the claim, source and a session
    python -m tests.reciprocity.race_site outcome 12   # prints what was recorded for claim 12
"""

import json
import sys

import django


def seed() -> dict:
    """A finance officer signed in, a partner's sent claim and a funding source to charge."""
    from django.conf import settings
    from django.test import Client

    from tests.participants.factories import PartnerWithLoginFactory
    from tests.participants.factories import StaffFactory
    from tests.reciprocity.factories import FundingSourceFactory
    from tests.reciprocity.helpers import give_finance_permissions
    from tests.reciprocity.helpers import make_claim

    finance = give_finance_permissions(StaffFactory(email="race-finance@example.test"))
    claim = make_claim(PartnerWithLoginFactory(full_name="Rae Racer"))
    source = FundingSourceFactory()
    client = Client()
    client.force_login(finance)
    return {"claim": claim.pk, "source": source.pk, "total": str(claim.total),
            "session": client.cookies[settings.SESSION_COOKIE_NAME].value}


def outcome(claim_id: int) -> dict:
    from reciprocity.models import Claim
    from reciprocity.models import Payment

    claim = Claim.objects.get(pk=claim_id)
    return {
        "status": claim.status,
        "approvals": claim.history.filter(history_change_reason="Approved").count(),
        "payments": Payment.objects.filter(claim=claim).count(),
    }


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    answer = seed() if command == "seed" else outcome(int(args[0]))
    print(json.dumps(answer))
