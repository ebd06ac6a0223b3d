from django.db import migrations, models


def mark_what_existing_reports_contain(apps, schema_editor):
    """Reports made before a report recorded what it contains: assume the most it may hold.

    Every earlier data export is taken to hold the sensitive fields (some do), so only its
    partner and staff allowed to see sensitive data can open it; staff without the
    permission make a new copy. A ladder-round report is for staff only unless its round
    had closed before the report was drawn (results published to trustees)."""
    Report = apps.get_model("coprod", "Report")
    Round = apps.get_model("ladder", "Round")
    Report.objects.filter(kind="data_export").update(includes_sensitive_data=True)
    closed = {pk: closed_at for pk, closed_at in
              Round.objects.filter(status="closed").values_list("pk", "closed_at")}
    staff_only = []
    for report in Report.objects.filter(kind="ladder_round").only("pk", "params", "started_at", "requested_at"):
        drawn_at = report.started_at or report.requested_at
        closed_at = closed.get((report.params or {}).get("round"))
        if closed_at is None or closed_at > drawn_at:
            staff_only.append(report.pk)
    Report.objects.filter(pk__in=staff_only).update(staff_only=True)


class Migration(migrations.Migration):

    dependencies = [
        ('coprod', '0006_team_permissions_and_changes'),
        ('ladder', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='includes_sensitive_data',
            field=models.BooleanField(default=False, help_text='Access needs, lived experience or the benefit flag are in it: besides the partner it is about, only staff allowed to see sensitive data may open it.', verbose_name='includes sensitive partner data'),
        ),
        migrations.AddField(
            model_name='report',
            name='staff_only',
            field=models.BooleanField(default=False, help_text='It holds results not yet published beyond staff (a ladder round still open).', verbose_name='only for staff'),
        ),
        migrations.RunPython(mark_what_existing_reports_contain, migrations.RunPython.noop),
    ]
