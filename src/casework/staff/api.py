"""API routes of staff members, their licences and certifications."""

from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from casework.accounts.permissions import role_names, scopes
from casework.accounts.roles import set_roles
from casework.cases.selectors import staff_of
from casework.core.errors import NotFound
from casework.core.http import if_match_version
from casework.core.pagination import LimitOffsetPagination, paginate
from casework.core.records import update_record
from casework.core.routes import RecordResource, add_record_routes
from casework.core.schemas import model_schemas
from casework.staff import services
from casework.staff.models import (
    Certification,
    ContinuingEducation,
    Degree,
    ExperiencePeriod,
    Licence,
    StaffMember,
)

router = Router(tags=["staff"])

Language = Annotated[str, Field(min_length=1, max_length=40)]
_StaffFields: Any
_StaffUpdate: Any
_StaffRead: Any
_StaffFields, _StaffUpdate, _StaffRead = model_schemas(
    StaffMember,
    fields=["discipline", "title", "languages", "supervisor", "active"],
    overrides={"languages": list[Language]},
)


if TYPE_CHECKING:
    RoleName = str
else:
    RoleName = Literal[tuple(role_names())]


class StaffUpdate(_StaffUpdate):
    roles: list[RoleName] | None = Field(None, max_length=6)


class StaffCreate(_StaffFields):
    roles: list[RoleName] = Field(default_factory=lambda: ["case_manager"], max_length=6)
    username: str = Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    password: str | None = Field(None, max_length=128)
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)


class StaffRead(_StaffRead):
    username: str
    name: str
    roles: list[str]

    @staticmethod
    def resolve_roles(obj: StaffMember) -> list[str]:
        names = obj.user.groups.filter(name__in=role_names()).values_list("name", flat=True)
        return sorted(names)

    @staticmethod
    def resolve_username(obj: StaffMember) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_name(obj: StaffMember) -> str:
        return obj.display_name


def visible_staff(user: Any, permission: str = "staff.read") -> Any:
    """Staff records within the user's scope for ``permission``: the whole directory
    (``agency``) or only their own (``own``, e.g. entering one's own credentials)."""
    granted = scopes(user, permission)
    if "agency" in granted:
        return StaffMember.objects.select_related("user")
    own = staff_of(user)
    if "own" in granted and own is not None:
        return StaffMember.objects.filter(pk=own.pk).select_related("user")
    return StaffMember.objects.none()


@router.get("", response=list[StaffRead])
@paginate(LimitOffsetPagination)
def list_staff(request: HttpRequest) -> Any:
    return visible_staff(request.user).order_by("user__last_name", "user__first_name", "id")


@router.post("", response={201: StaffRead})
def add_staff(request: HttpRequest, payload: StaffCreate, response: HttpResponse) -> Any:
    staff = services.add_staff_member(actor=request.user, data=payload.model_dump())
    response["ETag"] = staff.etag
    return Status(201, staff)


def _visible_staff(
    request: HttpRequest, staff_id: int, permission: str = "staff.read"
) -> StaffMember:
    staff: StaffMember | None = visible_staff(request.user, permission).filter(pk=staff_id).first()
    if staff is None:
        raise NotFound(f"no staff member {staff_id}", field="id")
    return staff


@router.get("/{staff_id}", response=StaffRead)
def read_staff(request: HttpRequest, staff_id: int, response: HttpResponse) -> Any:
    staff = _visible_staff(request, staff_id)
    response["ETag"] = staff.etag
    return staff


@router.patch("/{staff_id}", response=StaffRead)
def edit_staff(
    request: HttpRequest, staff_id: int, payload: StaffUpdate, response: HttpResponse
) -> Any:
    with transaction.atomic():
        staff = _visible_staff(request, staff_id, "staff.manage")
        expected = if_match_version(request, staff, required=True)
        assert expected is not None
        changes = payload.model_dump(exclude_unset=True)
        roles = changes.pop("roles", None)
        if roles is not None:
            set_roles(staff.user, roles)
        staff = update_record(staff, changes, expected_version=expected)
    response["ETag"] = staff.etag
    return staff


class CredentialOut(Schema):
    credential: str
    eligible: bool
    met: list[str]
    missing: list[str]
    renewal: dict[str, Any] | None


@router.get("/{staff_id}/credentials", response=list[CredentialOut])
def credentials(request: HttpRequest, staff_id: int) -> Any:
    """Eligibility for CCM, ACM-RN, ACM-SW, C-SWCM and C-ASWCM, and renewal of those held."""
    return services.credential_picture(_visible_staff(request, staff_id))


credentials_router = Router(tags=["staff"])
_STAFF_CHILD: dict[str, Any] = {
    "parent_model": StaffMember,
    "parent_segment": "staff",
    "parent_field": "staff",
    "case_path": "staff",
    "root_visible": visible_staff,
    "read_permission": "staff.read",
    "write_permission": "credential.write",
    "tag": "staff",
}
# The credential records a person enters (the web's staff page takes its forms from here).
STAFF_RECORDS = (
    RecordResource(
        Licence,
        "licences",
        [
            "licence_type",
            "issuing_state",
            "number",
            "expires_on",
            "independent_practice",
            "compact_privilege",
        ],
        **_STAFF_CHILD,
    ),  # fmt: skip
    RecordResource(
        Certification,
        "certifications",
        ["kind", "other_name", "number", "issued_on", "expires_on"],
        **_STAFF_CHILD,
    ),
    RecordResource(
        Degree,
        "degrees",
        ["level", "field", "cswe_accredited", "awarded_on", "supervised_field_experience"],
        **_STAFF_CHILD,
    ),
    RecordResource(
        ExperiencePeriod,
        "experience",
        [
            "role",
            "employer",
            "started_on",
            "ended_on",
            "fte_percent",
            "supervised",
            "supervised_by_ccm",
            "health_delivery_system",
            "social_work",
            "paid",
        ],
        **_STAFF_CHILD,
    ),  # fmt: skip
    RecordResource(
        ContinuingEducation,
        "continuing-education",
        ["title", "provider", "completed_on", "hours", "ethics_hours", "cm_specific_hours"],
        **_STAFF_CHILD,
    ),
)
for _resource in STAFF_RECORDS:
    add_record_routes(credentials_router, _resource)
