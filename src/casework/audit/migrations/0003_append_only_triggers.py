"""Triggers that refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE on the audit table."""

from django.db import migrations

from casework.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def drop(apps, schema_editor):
    triggers.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_alter_auditevent_options")]

    operations = [migrations.RunPython(install, drop)]
