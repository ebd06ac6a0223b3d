"""Panels' areas and decisions' rungs point at the core's ladder vocabulary: the same tables, so only
Django's record of the relations changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coprod', '0011_ladder_vocabulary_in_core'),
        ('panels', '0003_archive_decisions_record_cancellations_keep_history'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='decision',
                    name='rung',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='coprod.rung', verbose_name='ladder rung reached'),
                ),
                migrations.AlterField(
                    model_name='historicaldecision',
                    name='rung',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.rung', verbose_name='ladder rung reached'),
                ),
                migrations.AlterField(
                    model_name='historicalpanel',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.area', verbose_name='co-production area'),
                ),
                migrations.AlterField(
                    model_name='panel',
                    name='area',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='panels', to='coprod.area', verbose_name='co-production area'),
                ),
            ],
        ),
    ]
