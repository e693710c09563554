"""Editors and moderators may also create translations of pages (simple_translation)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from expo.roles import setup_roles

    setup_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("expo", "0004_staff_roles"), ("simple_translation", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
