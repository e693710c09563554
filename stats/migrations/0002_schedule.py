"""Celery beat: refresh the dashboard's cached figures every 10 minutes; each night write
the daily snapshot and delete search log rows past their retention."""

from django.db import migrations

REFRESH = "stats.tasks.figures_refresh"
SNAPSHOT = "stats.tasks.snapshot_daily"
PRUNE = "stats.tasks.search_log_prune"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_10, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Statistics: refresh the dashboard figures",
        defaults={"task": REFRESH, "interval": every_10, "enabled": True},
    )
    for name, task, minute in (
        ("Statistics: write the daily snapshot", SNAPSHOT, "50"),
        ("Statistics: delete old search log rows", PRUNE, "40"),
    ):
        nightly, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour="23", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
        )
        PeriodicTask.objects.update_or_create(name=name, defaults={"task": task, "crontab": nightly, "enabled": True})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task__in=[REFRESH, SNAPSHOT, PRUNE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
