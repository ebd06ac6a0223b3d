"""Ladders, rungs and areas become models of the core, keeping their tables (ladder_ladder, ladder_rung,
ladder_area and their history): only Django's record of the models moves, no row is copied."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


MODELS = ["ladder", "rung", "area", "historicalladder", "historicalrung", "historicalarea"]


def _move(apps, source: str, target: str) -> None:
    """Their content types (and so their permissions and admin history) move with them; a
    content type the target app already has is left as it is."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(ContentType.objects.filter(app_label=target, model__in=MODELS).values_list("model", flat=True))
    ContentType.objects.filter(app_label=source, model__in=set(MODELS) - taken).update(app_label=target)


def content_types_to_core(apps, schema_editor):
    _move(apps, "ladder", "coprod")


def content_types_back(apps, schema_editor):
    _move(apps, "coprod", "ladder")


class Migration(migrations.Migration):

    dependencies = [
        ('coprod', '0010_retention_rules_and_runs'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('ladder', '0004_keep_closed_rounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Area',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True)),
                        ('description', models.TextField(blank=True)),
                        ('order', models.PositiveSmallIntegerField(default=0, help_text='Areas are shown in this order.')),
                        ('is_active', models.BooleanField(default=True, help_text='Untick to stop offering it; rounds that used it keep it.', verbose_name='offered for new rounds')),
                    ],
                    options={
                        'db_table': 'ladder_area',
                        'ordering': ['order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalArea',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(db_index=True, max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('order', models.PositiveSmallIntegerField(default=0, help_text='Areas are shown in this order.')),
                        ('is_active', models.BooleanField(default=True, help_text='Untick to stop offering it; rounds that used it keep it.', verbose_name='offered for new rounds')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical area',
                        'verbose_name_plural': 'historical areas',
                        'db_table': 'ladder_historicalarea',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalLadder',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('name', models.CharField(db_index=True, max_length=120)),
                        ('description', models.TextField(blank=True)),
                        ('is_current', models.BooleanField(default=False, help_text='New assessment rounds use the current ladder.', verbose_name='current ladder')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical ladder',
                        'verbose_name_plural': 'historical ladders',
                        'db_table': 'ladder_historicalladder',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Ladder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, unique=True)),
                        ('description', models.TextField(blank=True)),
                        ('is_current', models.BooleanField(default=False, help_text='New assessment rounds use the current ladder.', verbose_name='current ladder')),
                    ],
                    options={
                        'db_table': 'ladder_ladder',
                        'ordering': ['-is_current', 'name'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('is_current',), name='one_current_ladder')],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRung',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(help_text='1 is the bottom rung.')),
                        ('name', models.CharField(max_length=80)),
                        ('description', models.TextField(help_text='What this rung means, in plain English.')),
                        ('example', models.TextField(blank=True, help_text='What it looks like in practice.')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.TextField(null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('ladder', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.ladder')),
                    ],
                    options={
                        'verbose_name': 'historical rung',
                        'verbose_name_plural': 'historical rungs',
                        'db_table': 'ladder_historicalrung',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Rung',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(help_text='1 is the bottom rung.')),
                        ('name', models.CharField(max_length=80)),
                        ('description', models.TextField(help_text='What this rung means, in plain English.')),
                        ('example', models.TextField(blank=True, help_text='What it looks like in practice.')),
                        ('ladder', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rungs', to='coprod.ladder')),
                    ],
                    options={
                        'db_table': 'ladder_rung',
                        'ordering': ['ladder', 'position'],
                        'constraints': [models.UniqueConstraint(fields=('ladder', 'position'), name='one_rung_per_position')],
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_to_core, content_types_back),
    ]
