"""The lists every organisation starts with; staff can edit them afterwards."""

from django.db import migrations

ACCESS_NEEDS = [
    ("Interpreter", "Spoken-language interpreter (say which language)"),
    ("BSL interpreter", "British Sign Language interpreter"),
    ("Large print", "Papers in large print"),
    ("Easy read", "Papers in easy read"),
    ("Step-free access", "No steps or stairs to reach the room"),
    ("Hearing loop", "An induction loop in the room"),
    ("Quiet space", "A quiet room to take a break"),
    ("Childcare cover", "Childcare paid for while taking part"),
    ("Carer cover", "Cover for someone they care for"),
    ("Papers in advance", "Papers sent a week ahead"),
]

CONSENT_WORDING = {
    "data": "We keep your name, contact details and what you tell us about your needs so that we can "
            "involve you and pay you. Only our staff can see it. You can ask for a copy or ask us to delete it.",
    "photos": "We may take photos at meetings and events and use them in our newsletters and reports.",
    "quotes": "We may quote what you say in our reports to trustees and funders. We will not use your name.",
    "contact": "We may contact you about meetings, opportunities and payments in the way you prefer.",
}

COURSES = [
    ("Induction", "Welcome to co-production: how we work together, expenses and support.", None, True),
    ("Safeguarding", "Keeping people safe: what to do if you are worried about someone.", 24, True),
    ("Recruitment panel training", "Sitting on an interview panel: fair questions and scoring.", 36, False),
    ("Confidentiality", "Keeping what we hear in meetings private.", 24, False),
]


def add_defaults(apps, schema_editor):
    AccessNeed = apps.get_model("participants", "AccessNeed")
    ConsentStatement = apps.get_model("participants", "ConsentStatement")
    Course = apps.get_model("participants", "Course")
    for order, (name, description) in enumerate(ACCESS_NEEDS):
        AccessNeed.objects.get_or_create(name=name, defaults={"description": description, "order": order})
    for topic, wording in CONSENT_WORDING.items():
        ConsentStatement.objects.get_or_create(topic=topic, version=1, defaults={"wording": wording})
    for name, description, months, for_partners in COURSES:
        Course.objects.get_or_create(name=name, defaults={
            "description": description, "valid_for_months": months,
            "required_for_partners": for_partners, "required_for_staff": name == "Safeguarding",
        })


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_partner_profile_invitations_consent_training")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
