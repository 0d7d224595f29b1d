"""The roles of the access matrix as groups, and roles for the accounts that exist already:
superusers become administrators, staff members case managers, and those who supervise
someone supervisors (what they could do before roles existed)."""

from django.db import migrations

ROLES = [
    "case_manager",
    "supervisor",
    "program_manager",
    "intake_worker",
    "auditor",
    "administrator",
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("auth", "User")
    StaffMember = apps.get_model("staff", "StaffMember")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    for user in User.objects.filter(is_superuser=True):
        user.groups.add(groups["administrator"])
    for staff in StaffMember.objects.all():
        staff.user.groups.add(groups["case_manager"])
        if StaffMember.objects.filter(supervisor=staff).exists():
            staff.user.groups.add(groups["supervisor"])


def remove(apps, schema_editor):
    # "auditor" predates the roles (audit 0004) and stays.
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES[:4] + ROLES[5:]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("audit", "0004_auditor_group"),
        ("staff", "0002_staffmember_may_break_glass"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create, remove)]
