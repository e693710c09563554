"""Celery beat: drain pending index changes every minute (catching up after an outage) and
rebuild every index at night (certificate moves and other bulk edits made without signals)."""

from django.db import migrations

DRAIN = "search.tasks.index_pending"
REBUILD = "search.tasks.index_rebuild"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Search: index pending changes", defaults={"task": DRAIN, "interval": minute, "enabled": True}
    )
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name="Search: rebuild every index (nightly)",
        defaults={"task": REBUILD, "crontab": nightly, "enabled": True},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=[DRAIN, REBUILD]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_text_indexes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
