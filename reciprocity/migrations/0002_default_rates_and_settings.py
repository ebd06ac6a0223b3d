"""The rate policy every organisation starts with (see reciprocity/defaults.py), and
the settings row."""

from django.db import migrations


def add_defaults(apps, schema_editor):
    from reciprocity.defaults import install_defaults

    install_defaults(apps.get_model("reciprocity", "ActivityType"), apps.get_model("reciprocity", "Rate"),
                     apps.get_model("reciprocity", "ReciprocitySettings"))


class Migration(migrations.Migration):
    dependencies = [("reciprocity", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
