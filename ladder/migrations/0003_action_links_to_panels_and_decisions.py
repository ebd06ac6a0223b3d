"""An action's "linked decision or panel" becomes real links to a panel and a logged decision.

The free text an action held is matched, ignoring case and surrounding spaces, to a panel's
name or a decision's title. Text that matches neither is kept by adding it to the end of the
action's description, so nothing anyone wrote is lost.
"""

import django.db.models.deletion
from django.db import migrations, models


def link_from_text(apps, schema_editor):
    Action = apps.get_model("ladder", "Action")
    Panel = apps.get_model("panels", "Panel")
    Decision = apps.get_model("panels", "Decision")
    for action in Action.objects.exclude(linked_to=""):
        text = action.linked_to.strip()
        action.panel = Panel.objects.filter(name__iexact=text).order_by("pk").first()
        action.decision = Decision.objects.filter(title__iexact=text).order_by("-decided_on", "pk").first()
        if action.panel is None and action.decision is None:
            action.description = f"{action.description}\n\nLinked to: {text}"
        action.save(update_fields=["panel", "decision", "description"])


def text_from_links(apps, schema_editor):
    Action = apps.get_model("ladder", "Action")
    for action in Action.objects.select_related("panel", "decision").exclude(panel=None, decision=None):
        action.linked_to = (action.panel.name if action.panel else action.decision.title)[:200]
        action.save(update_fields=["linked_to"])


FIELDS = {
    "decision": dict(help_text="The logged decision this step carries out, if any.", to="panels.decision",
                     verbose_name="linked decision"),
    "panel": dict(help_text="The panel that takes this step forward or checks on it, if any.",
                  to="panels.panel", verbose_name="linked panel"),
}


class Migration(migrations.Migration):

    dependencies = [
        ("ladder", "0002_default_ladders_and_areas"),
        ("panels", "0002_history_of_staff_time_and_recruitment_stages"),
    ]

    operations = [
        *(migrations.AddField(
            model_name="action", name=name,
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="ladder_actions", **options),
        ) for name, options in FIELDS.items()),
        *(migrations.AddField(
            model_name="historicalaction", name=name,
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", **options),
        ) for name, options in FIELDS.items()),
        migrations.RunPython(link_from_text, text_from_links),
        migrations.RemoveField(model_name="action", name="linked_to"),
        migrations.RemoveField(model_name="historicalaction", name="linked_to"),
    ]
