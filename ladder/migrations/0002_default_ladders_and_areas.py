"""The TLAP ladder of co-production (current), Arnstein's ladder and the seven
co-production areas; staff can edit them afterwards."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from ladder.defaults import install_defaults

    install_defaults(apps.get_model("ladder", "Ladder"), apps.get_model("ladder", "Rung"),
                     apps.get_model("ladder", "Area"))


class Migration(migrations.Migration):
    dependencies = [("ladder", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
