"""The rate policy every organisation starts with: an hourly involvement fee, half-day
and full-day fees and a recruitment panel fee, as data staff can edit.

Installed by a data migration; `install_defaults` takes the model classes so the
migration can pass its historical models. Idempotent: types are keyed on their name
and a type's first rate is added only when the type is created.
"""

import datetime
from decimal import Decimal

FROM = datetime.date(2024, 4, 6)  # the start of the 2024/25 tax year

RATES = [
    # name, description, basis, amount
    (
        "Involvement (per hour)",
        "Meetings, panels, reading papers and giving feedback, paid by the hour.",
        "hourly",
        Decimal("20.00"),
    ),
    (
        "Half day",
        "A session of up to four hours, such as a workshop or a training day's morning.",
        "session",
        Decimal("75.00"),
    ),
    ("Full day", "A session of more than four hours.", "session", Decimal("150.00")),
    (
        "Recruitment panel",
        "Sitting on a recruitment panel: shortlisting, task design or interviews.",
        "session",
        Decimal("100.00"),
    ),
]


def install_defaults(ActivityType, Rate, ReciprocitySettings) -> None:  # noqa: N803 - model classes
    for name, description, basis, amount in RATES:
        activity_type, created = ActivityType.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        if created:
            Rate.objects.create(activity_type=activity_type, basis=basis, amount=amount, effective_from=FROM)
    ReciprocitySettings.objects.get_or_create(pk=1)
