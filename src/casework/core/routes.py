"""Routes for the records that hang off a case: list, create, read, edit. Written once.

Each record type is declared as a ``RecordResource`` (model, schemas, where its case is, how to
find its parent); ``add_record_routes`` gives it the same four routes with the same guarantees:
visibility through the case, strict input, 201 on create, ETag on read, If-Match on edit.
"""

# No "from __future__ import annotations": ninja reads the route signatures' annotations, which
# refer to schema classes that only exist inside add_record_routes.

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router, Schema

from casework.cases.models import Case
from casework.cases.selectors import visible_cases
from casework.cases.services import refuse_if_closed
from casework.core import clock
from casework.core.errors import NotFound
from casework.core.http import if_match_version
from casework.core.idempotency import openapi_header, run_once
from casework.core.pagination import LimitOffsetPagination, paginate
from casework.core.records import create_record, update_record
from casework.core.schemas import model_schemas


@dataclass
class RecordResource:
    model: type[Any]
    plural: str  # URL segment, e.g. "screenings"
    fields: list[str]
    parent_model: type[models.Model] = Case
    parent_segment: str = "cases"
    parent_field: str = "case"
    # Path from the record to the object that decides visibility ("case", "goal__case"), and
    # the objects of that kind the user may see, or change, given a permission whose scopes
    # (access.toml) decide which: ``root_visible(user, read_permission)`` for reads,
    # ``root_visible(user, write_permission)`` for creates and edits.
    case_path: str = "case"
    root_visible: Callable[[Any, str], Any] = visible_cases
    read_permission: str = "case.read"
    write_permission: str = "case.write"
    read_only: list[str] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)
    # Fields the server sets on create (who and when), from the acting user.
    stamp: Callable[[Any], dict[str, Any]] = lambda actor: {}
    after_create: Callable[[Any, Any], None] | None = None
    creatable: bool = True
    editable: bool = True
    # Whether creating needs an Idempotency-Key (it is honoured whenever one is sent).
    idempotency_required: bool = False
    # Narrows what a user may see beyond the root's visibility (e.g. author-only notes).
    restrict: Callable[[Any, Any], Any] | None = None
    # Checks an edit before it is applied (e.g. a sensitivity label may not be removed).
    guard_update: Callable[[Any, Any, dict[str, Any]], None] | None = None
    ordering: tuple[str, ...] = ("id",)
    tag: str = ""
    schemas: tuple[type[Schema], type[Schema], type[Schema]] = field(init=False)

    def __post_init__(self) -> None:
        self.schemas = model_schemas(
            self.model, fields=self.fields, read_only=self.read_only, overrides=self.overrides
        )

    def root_of(self, obj: Any) -> Any:
        for part in self.case_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def visible(self, user: Any, *, write: bool = False) -> Any:
        roots = self.root_visible(user, self.write_permission if write else self.read_permission)
        rows = self.model.objects.filter(**{f"{self.case_path}__in": roots})
        return self.restrict(user, rows) if self.restrict else rows

    def root_of_parent(self, parent: Any) -> Any:
        if self.parent_case_path() == "pk":
            return parent
        for part in self.parent_case_path().split("__"):
            parent = getattr(parent, part)
        return parent

    def parent_case_path(self) -> str:
        prefix = self.case_path.split("__", 1)
        return prefix[1] if len(prefix) > 1 else "pk"


def _refuse_if_closed(root: Any) -> None:
    if isinstance(root, Case):
        refuse_if_closed(root)


def visible_parent(
    resource: RecordResource, user: Any, parent_id: int, *, write: bool = False
) -> Any:
    path = resource.parent_case_path()
    permission = resource.write_permission if write else resource.read_permission
    lookup = {"pk": parent_id, f"{path}__in": resource.root_visible(user, permission)}
    parent = resource.parent_model._default_manager.filter(**lookup).first()
    if parent is None:
        raise NotFound(f"no {resource.parent_segment[:-1]} {parent_id}", field="id")
    return parent


def create_child(resource: RecordResource, actor: Any, parent: Any, data: dict[str, Any]) -> Any:
    with transaction.atomic():
        _refuse_if_closed(resource.root_of_parent(parent))
        obj = create_record(
            resource.model, data, **{resource.parent_field: parent}, **resource.stamp(actor)
        )
        if resource.after_create:
            resource.after_create(actor, obj)
        return obj


def with_param_named(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Expose a view's ``parent_id`` parameter to ninja under another name."""

    def rename(view: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(view)
        params = [
            p.replace(name=name) if p.name == "parent_id" else p
            for p in signature.parameters.values()
        ]

        @functools.wraps(view)
        def renamed(request: HttpRequest, **kwargs: Any) -> Any:
            kwargs["parent_id"] = kwargs.pop(name)
            return view(request, **kwargs)

        renamed.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        return renamed

    return rename


def add_record_routes(router: Router, resource: RecordResource) -> None:
    create_schema, update_schema, read_schema = resource.schemas
    tag = resource.tag or resource.plural
    parent_seg = resource.parent_segment
    # Named after the parent ("case_id") so that other routes on the same path agree with it.
    parent_param = f"{resource.parent_field}_id"
    plural = resource.plural

    def get_visible(request: HttpRequest, record_id: int, *, write: bool = False) -> Any:
        obj = resource.visible(request.user, write=write).filter(pk=record_id).first()
        if obj is None:
            raise NotFound(f"no {plural} record {record_id}", field="id")
        return obj

    @router.get(
        f"/{parent_seg}/{{{parent_param}}}/{plural}",
        response=list[read_schema],  # type: ignore[valid-type]
        tags=[tag],
        operation_id=f"list_{plural}",
        url_name=f"list_{plural}",
    )
    @with_param_named(parent_param)
    @paginate(LimitOffsetPagination)
    def list_records(request: HttpRequest, parent_id: int) -> Any:
        parent = visible_parent(resource, request.user, parent_id)
        rows = resource.model.objects.filter(**{resource.parent_field: parent})
        if resource.restrict:
            rows = resource.restrict(request.user, rows)
        return rows.order_by(*resource.ordering)

    if resource.creatable:

        @router.post(
            f"/{parent_seg}/{{{parent_param}}}/{plural}",
            response={201: read_schema},
            tags=[tag],
            operation_id=f"create_{plural}",
            url_name=f"create_{plural}",
            openapi_extra=openapi_header(required=resource.idempotency_required),
        )
        @with_param_named(parent_param)
        def create(
            request: HttpRequest,
            parent_id: int,
            payload: create_schema,  # type: ignore[valid-type]
            response: HttpResponse,
        ) -> Any:
            parent = visible_parent(resource, request.user, parent_id, write=True)

            def create_once() -> tuple[int, dict[str, Any]]:
                data = payload.model_dump()  # type: ignore[attr-defined]
                obj = create_child(resource, request.user, parent, data)
                return 201, read_schema.from_orm(obj).model_dump(mode="json")

            status, body = run_once(request, create_once, required=resource.idempotency_required)
            # Already serialised (or replayed as first sent): returned as is, not re-validated.
            replay = JsonResponse(body, status=status)
            replay["ETag"] = '"{}-{}"'.format(body["id"], body["version"])
            return replay

    @router.get(
        f"/{plural}/{{record_id}}",
        response=read_schema,
        tags=[tag],
        operation_id=f"read_{plural}",
        url_name=f"read_{plural}",
    )
    def read(request: HttpRequest, record_id: int, response: HttpResponse) -> Any:
        obj = get_visible(request, record_id)
        response["ETag"] = obj.etag
        return obj

    if not resource.editable:
        return

    @router.patch(
        f"/{plural}/{{record_id}}",
        response=read_schema,
        tags=[tag],
        operation_id=f"update_{plural}",
        url_name=f"update_{plural}",
    )
    def update(
        request: HttpRequest,
        record_id: int,
        payload: update_schema,  # type: ignore[valid-type]
        response: HttpResponse,
    ) -> Any:
        with transaction.atomic():
            obj = get_visible(request, record_id, write=True)
            expected = if_match_version(request, obj, required=True)
            assert expected is not None
            _refuse_if_closed(resource.root_of(obj))
            changes = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]
            if resource.guard_update:
                resource.guard_update(request.user, obj, changes)
            obj = update_record(obj, changes, expected_version=expected)
        response["ETag"] = obj.etag
        return obj


def now_stamp(*names: str) -> Callable[[Any], dict[str, Any]]:
    """A ``stamp`` that sets the given datetime fields to now (and ``*_by`` fields to the actor)."""

    def stamp(actor: Any) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in names:
            values[name] = actor if name.endswith("_by") or name == "author" else clock.now()
        return values

    return stamp
