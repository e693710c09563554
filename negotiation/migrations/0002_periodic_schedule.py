"""Celery beat: every quarter hour expire unanswered meetings (72 hours), remind of tomorrow's
meetings, expire stale quotes and send thread notices whose task was lost."""

from django.db import migrations

TASK = "negotiation.tasks.negotiation_periodic"


def schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    quarter, _ = IntervalSchedule.objects.get_or_create(every=15, period="minutes")
    PeriodicTask.objects.update_or_create(
        name="Negotiation: expire, remind and notify (every 15 minutes)",
        defaults={"task": TASK, "interval": quarter, "enabled": True},
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("negotiation", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
