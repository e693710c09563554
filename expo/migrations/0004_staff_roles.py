"""Staff roles (editor, moderator, verifier, shop manager), the moderation workflow and the
scheduled-publishing beat task."""

from django.db import migrations


def forwards(apps, schema_editor):
    from expo.roles import schedule_publishing, setup_roles

    setup_roles(apps)
    schedule_publishing(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("expo", "0003_expo_pages"),
        ("exhibitors", "0004_booth_content"),
        ("buyers", "0002_resource_database"),
        ("catalogue", "0035_resource_database"),
        ("order", "0001_initial"),
        ("offer", "0001_initial"),
        ("partner", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0001_initial"),
        ("wagtaildocs", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
