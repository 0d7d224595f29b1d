"""Use cases of staff records: add a staff member (with their user account), edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from casework.accounts.permissions import has_permission
from casework.accounts.roles import ADMINISTRATOR, check_roles, set_roles
from casework.core import clock
from casework.core.errors import Conflict, Forbidden, InvalidData
from casework.core.records import create_record
from casework.staff import credentials
from casework.staff.models import StaffMember

User = get_user_model()


def create_user(
    *,
    username: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_superuser: bool = False,
    roles: Sequence[str] = (),
) -> Any:
    """A user account with the given roles (``is_superuser`` is the administrator role)."""
    wanted = check_roles([*roles, *([ADMINISTRATOR] if is_superuser else [])])
    if User.objects.filter(username=username).exists():
        raise Conflict(f"the username '{username}' is taken", field="username")
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidData(" ".join(error.messages), field="password") from error
        user.set_password(password)
    user.save()
    set_roles(user, wanted)  # which also sets the admin flags of the administrator role
    return user


@transaction.atomic
def add_staff_member(*, actor: Any, data: dict[str, Any]) -> StaffMember:
    if actor is not None and not has_permission(actor, "staff.manage"):
        raise Forbidden("only an administrator may add staff members")
    account = {k: data.pop(k) for k in ("username", "password", "first_name", "last_name", "email")}
    user = create_user(**account, roles=data.pop("roles", ["case_manager"]))
    return create_record(StaffMember, data, user=user)


def staff_facts(staff: StaffMember, *, today: dt.date) -> credentials.StaffFacts:
    return credentials.StaffFacts(
        today=today,
        licences=[
            credentials.LicenceFact(lic.licence_type, lic.expires_on, lic.independent_practice)
            for lic in staff.licences.all()
        ],
        degrees=[
            credentials.DegreeFact(
                d.level, d.field, d.awarded_on, d.cswe_accredited, d.supervised_field_experience
            )
            for d in staff.degrees.all()
        ],
        experience=[
            credentials.ExperienceFact(
                p.role,
                p.started_on,
                p.ended_on,
                p.fte_percent,
                p.supervised,
                p.supervised_by_ccm,
                p.health_delivery_system,
                p.social_work,
                p.paid,
            )
            for p in staff.experience.all()
        ],  # fmt: skip
        education=[
            credentials.EducationFact(
                e.completed_on, float(e.hours), float(e.ethics_hours), float(e.cm_specific_hours)
            )
            for e in staff.continuing_education.all()
        ],
        aswb_exam=staff.aswb_exam,
        certifications=[
            credentials.HeldCertification(c.kind, c.issued_on, c.expires_on)
            for c in staff.certifications.all()
        ],
    )


def credential_picture(staff: StaffMember) -> list[dict[str, Any]]:
    """For each credential: eligible now, what is met, what is missing, renewal if held."""
    facts = staff_facts(staff, today=clock.today())
    return [asdict(status) for status in credentials.credentials(facts)]
