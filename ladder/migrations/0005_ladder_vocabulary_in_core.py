"""The ladder app hands its vocabulary (ladders, rungs, areas) to the core: its relations point at the
core's models, which keep the same tables; nothing in the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coprod', '0011_ladder_vocabulary_in_core'),
        ('ladder', '0004_keep_closed_rounds'),
        ('panels', '0004_ladder_vocabulary_in_core'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='action',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='coprod.area'),
                ),
                migrations.AlterField(
                    model_name='response',
                    name='area',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responses', to='coprod.area'),
                ),
                migrations.AlterField(
                    model_name='historicalresponse',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.area'),
                ),
                migrations.AlterField(
                    model_name='historicalround_areas',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.area'),
                ),
                migrations.AlterField(
                    model_name='historicalaction',
                    name='area',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.area'),
                ),
                migrations.RemoveField(
                    model_name='historicalarea',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalladder',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalrung',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalrung',
                    name='ladder',
                ),
                migrations.AlterField(
                    model_name='historicalround',
                    name='ladder',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.ladder'),
                ),
                migrations.RemoveField(
                    model_name='rung',
                    name='ladder',
                ),
                migrations.AlterField(
                    model_name='round',
                    name='ladder',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rounds', to='coprod.ladder'),
                ),
                migrations.AlterField(
                    model_name='historicalresponse',
                    name='rung',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coprod.rung'),
                ),
                migrations.AlterField(
                    model_name='response',
                    name='rung',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='responses', to='coprod.rung'),
                ),
                migrations.AlterField(
                    model_name='round',
                    name='areas',
                    field=models.ManyToManyField(related_name='rounds', to='coprod.area'),
                ),
                migrations.DeleteModel(
                    name='Area',
                ),
                migrations.DeleteModel(
                    name='HistoricalArea',
                ),
                migrations.DeleteModel(
                    name='HistoricalLadder',
                ),
                migrations.DeleteModel(
                    name='HistoricalRung',
                ),
                migrations.DeleteModel(
                    name='Ladder',
                ),
                migrations.DeleteModel(
                    name='Rung',
                ),
            ],
        ),
    ]
