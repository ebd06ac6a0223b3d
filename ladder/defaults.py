"""The ladders and co-production areas every organisation starts with.

Installed by a data migration; staff can edit them afterwards. `install_defaults`
takes the model classes so the migration can pass its historical models.
"""

TLAP = "Ladder of co-production (TLAP)"
ARNSTEIN = "Arnstein's ladder of citizen participation"

LADDERS = [
    (
        TLAP,
        "Think Local Act Personal's ladder of co-production: from doing to people, through doing "
        "for them, to doing with them.",
        True,
        [
            ("Coercing",
             "People who use our services are told what will happen. Their views are not asked for.",
             "People are made to come to a session about changes that have already been decided."),
            ("Educating",
             "We help people understand our service and how it works, but the agenda is ours.",
             "A session explaining how to use our new online booking system."),
            ("Informing",
             "We tell people what is happening and may explain why, but they cannot change it.",
             "A newsletter announcing new opening hours."),
            ("Consulting",
             "We ask people what they think, but we decide whether to act on it.",
             "A survey about the waiting room; managers choose which ideas to use."),
            ("Engaging",
             "People have more chances to say what they think and can influence some decisions, "
             "but we still make the final call.",
             "A panel of partners comments on a new leaflet and some of their changes are made."),
            ("Co-designing",
             "People with lived experience design services with us from their own experience and "
             "ideas. They shape the design but may not help run it.",
             "Partners and staff design a new way of booking appointments together in workshops."),
            ("Co-producing",
             "An equal relationship: people with lived experience and staff share power, "
             "responsibility and resources from design to delivery and review.",
             "A partner co-chairs the group that designs, runs and reviews the drop-in, and is paid "
             "for their time."),
        ],
    ),
    (
        ARNSTEIN,
        "Sherry Arnstein's eight rungs (1969): from non-participation, through tokenism, to citizen power.",
        False,
        [
            ("Manipulation",
             "People are put on committees or boards to be won over, not to have a say.",
             "A service user is invited to a board meeting only to sign off a plan for a photo."),
            ("Therapy",
             "People's views are treated as a problem to be fixed, not as knowledge.",
             "Complaints are answered with a course on 'understanding the service'."),
            ("Informing",
             "People are told about their rights and options, usually one way and late.",
             "A letter explains a decision that has already been made."),
            ("Consultation",
             "People are asked for their views, with no promise they will be acted on.",
             "A public meeting or survey whose results are noted but not followed up."),
            ("Placation",
             "A few hand-picked people advise, but those in power still decide.",
             "Two service users sit on an advisory group with no vote."),
            ("Partnership",
             "Power is shared through agreed structures: joint committees and shared decisions.",
             "A joint board where partners and staff agree priorities together."),
            ("Delegated power",
             "People with lived experience hold most of the power over a plan or programme.",
             "A partner-led panel holds and spends a small grants budget."),
            ("Citizen control",
             "People with lived experience run the programme and are in charge of it.",
             "A user-led organisation is commissioned to run the service."),
        ],
    ),
]

AREAS = [
    ("Governance and oversight",
     "Who sits on the board and its committees, who sets priorities and who holds the "
     "organisation to account."),
    ("Recruitment",
     "Choosing staff and volunteers together: job descriptions, shortlisting, interview tasks and panels."),
    ("Co-design", "Designing new services, processes, leaflets and websites together."),
    ("Co-planning", "Planning priorities, budgets and strategy together."),
    ("Co-delivery", "Running services together: peer support, training, welcome sessions."),
    ("Co-knowledge-building",
     "Deciding together what to learn and measure: research, monitoring, outcome measures and evaluation."),
    ("Influencing local systems",
     "Changing things beyond our own walls together: commissioners, councils, policy and campaigns."),
]


def install_defaults(Ladder, Rung, Area) -> None:  # noqa: N803 - model classes
    """Create the shipped ladders, their rungs and the areas if missing (idempotent)."""
    has_current = Ladder.objects.filter(is_current=True).exists()
    for name, description, current, rungs in LADDERS:
        ladder, created = Ladder.objects.get_or_create(
            name=name, defaults={"description": description, "is_current": current and not has_current},
        )
        if created:
            for position, (rung_name, rung_description, example) in enumerate(rungs, start=1):
                Rung.objects.create(ladder=ladder, position=position, name=rung_name,
                                    description=rung_description, example=example)
    for order, (name, description) in enumerate(AREAS, start=1):
        Area.objects.get_or_create(name=name, defaults={"description": description, "order": order})
