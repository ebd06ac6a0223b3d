"""The demo organisation: a community law centre with its services, staff,
trustees and lived-experience partners.

Every step is idempotent (keyed on natural keys such as e-mail addresses and
names), so running it twice adds nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from .models import Organisation, Service

DEMO_PASSWORD = "coprod-demo"

DEMO_LOGINS = {
    "staff": "staff@example.org",
    "partner": "partner@example.org",
    "trustee": "trustee@example.org",
}

ORGANISATION = {
    "name": "Riverside Community Law Centre",
    "description": (
        "Free legal advice on housing, debt, welfare benefits and immigration for people "
        "in the Riverside area, shaped by people who have used our services."
    ),
}

STAFF = [
    # email, full name, service championed (or None)
    ("staff@example.org", "Amira Haddad", None),
    ("j.okafor@example.org", "Joseph Okafor", "Housing and homelessness advice"),
    ("p.lindqvist@example.org", "Petra Lindqvist", "Debt and money advice"),
    ("s.begum@example.org", "Shirin Begum", "Welfare benefits"),
    ("d.mensah@example.org", "Daniel Mensah", "Immigration and asylum"),
]

TRUSTEES = [
    ("trustee@example.org", "Margaret Ellis"),
    ("r.chowdhury@example.org", "Rafiq Chowdhury"),
]

SERVICES = [
    ("Housing and homelessness advice",
     "Advice and representation for people facing eviction, disrepair or homelessness."),
    ("Debt and money advice", "Help with priority debts, bailiffs and budgeting."),
    ("Welfare benefits", "Benefit checks, mandatory reconsiderations and tribunal appeals."),
    ("Immigration and asylum", "Advice on status, family reunion and asylum support."),
]

PARTNERS = [
    # email (or ""), full name, preferred name, status, service
    ("partner@example.org", "Sarah Thompson", "Sam", "active", "Housing and homelessness advice"),
    ("", "Kwame Asante", "", "active", "Welfare benefits"),
    ("l.novak@example.net", "Lucja Novak", "Lucy", "induction", "Immigration and asylum"),
    ("", "Derek Hall", "Del", "paused", "Debt and money advice"),
    ("m.farah@example.net", "Maryan Farah", "", "enquiry", "Housing and homelessness advice"),
]


def _user(email: str, full_name: str, **roles):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, **roles})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_organisation() -> None:
    from participants.models import Partner

    organisation = Organisation.current()
    for field, value in ORGANISATION.items():
        setattr(organisation, field, value)
    organisation.save()

    services = {
        name: Service.objects.get_or_create(name=name, defaults={"description": description})[0]
        for name, description in SERVICES
    }
    for email, full_name, championed in STAFF:
        staff = _user(email, full_name, is_staff_member=True)
        if championed and services[championed].champion_id is None:
            services[championed].champion = staff
            services[championed].save(update_fields=["champion"])
    for email, full_name in TRUSTEES:
        _user(email, full_name, is_trustee=True)

    for email, full_name, preferred, status, service in PARTNERS:
        user = _user(email, full_name) if email else None
        Partner.objects.get_or_create(
            full_name=full_name,
            defaults={"user": user, "email": email, "preferred_name": preferred,
                      "status": status, "service": services[service]},
        )


def seed_demo() -> None:
    """Build (or top up) the whole demo organisation."""
    seed_organisation()
