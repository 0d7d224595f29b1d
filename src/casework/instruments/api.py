"""API routes of the rule library: list the kinds with their input schema, evaluate one."""

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from ninja import Body, Field, Router, Schema, Status

from casework import rules
from casework.cases.selectors import visible_cases
from casework.clients.selectors import visible_clients
from casework.core.errors import InvalidData, NotFound
from casework.core.pagination import LimitOffsetPagination, paginate
from casework.core.schemas import IsoDate, StrictInput
from casework.instruments import services
from casework.instruments.definitions import INSTRUMENTS
from casework.instruments.models import CaseAlert
from casework.instruments.selectors import readable_results
from casework.privacy.labels import LABELS

if TYPE_CHECKING:
    Sensitivity = str
else:
    Sensitivity = Literal[("", *LABELS)]

router = Router(tags=["rules"])


class RuleDescription(Schema):
    kind: str
    title: str
    input_schema: dict[str, Any]
    output_keys: list[str]
    source: str
    notes: list[str]


def evaluate_rule(kind: str, data: Any) -> dict[str, Any]:
    """Evaluate a rule, turning the library's errors into the product's problems."""
    try:
        return dict(rules.evaluate(kind, data))
    except rules.UnknownKind:
        raise NotFound(f"no rule '{kind}'; GET /api/v1/rules lists them", field="kind") from None
    except rules.InvalidInput as error:
        raise InvalidData(str(error), field=error.field) from None


@router.get("/rules", response=list[RuleDescription])
def list_rules(request: HttpRequest) -> Any:
    return [rule.describe() for rule in rules.KINDS.values()]


@router.post("/rules/{kind}", response=dict[str, Any])
def evaluate(request: HttpRequest, kind: str, data: dict[str, Any] = Body(...)) -> Any:  # noqa: B008
    return evaluate_rule(kind, data)


# Instruments -------------------------------------------------------------------------------


class OptionOut(Schema):
    value: int | str | bool
    label: str


class ItemOut(Schema):
    key: str
    text: str
    options: list[OptionOut]
    multiple: bool
    asked_if: tuple[str, Any] | None


class InstrumentOut(Schema):
    key: str
    title: str
    rule_kind: str
    domain: str
    loinc_panel: str | None
    loinc_total: str | None
    reassess_days: int | None
    items: list[ItemOut]
    notes: list[str]


class AdministrationIn(StrictInput):
    instrument: str = Field(max_length=30)
    answers: dict[str, Any]
    administered_on: IsoDate
    sensitivity: Sensitivity = Field(
        "", description="a sensitivity label; psychotherapy and SUD counselling results are "
        "then readable by whoever gave them only"
    )  # fmt: skip


class AdministrationOut(Schema):
    id: int
    case: int = Field(validation_alias="case_id")
    client: int = Field(validation_alias="client_id")
    instrument: str
    phase: str
    answers: dict[str, Any]
    result: dict[str, Any]
    total: int | None
    band: str
    administered_on: dt.date
    recorded_at: dt.datetime
    sensitivity: str


class AlertOut(Schema):
    id: int
    case: int = Field(validation_alias="case_id")
    kind: str
    reason: str
    raised_at: dt.datetime
    resolved_at: dt.datetime | None
    follow_up: str


class FollowUpIn(StrictInput):
    note: str = Field(min_length=1, max_length=5000)


@router.get("/instruments", response=list[InstrumentOut], tags=["instruments"])
def list_instruments(request: HttpRequest) -> Any:
    return [asdict(i) | {"items": [asdict(item) for item in i.items]} for i in INSTRUMENTS.values()]


def _case(request: HttpRequest, case_id: int) -> Any:
    case = visible_cases(request.user).filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"no case {case_id}", field="id")
    return case


@router.post(
    "/cases/{case_id}/instruments", response={201: AdministrationOut}, tags=["instruments"]
)
def administer(request: HttpRequest, case_id: int, payload: AdministrationIn) -> Any:
    administration = services.administer(
        actor=request.user,
        case=_case(request, case_id),
        instrument_key=payload.instrument,
        answers=payload.answers,
        administered_on=payload.administered_on,
        sensitivity=payload.sensitivity,
    )
    return Status(201, administration)


@router.get("/cases/{case_id}/instruments", response=list[AdministrationOut], tags=["instruments"])
@paginate(LimitOffsetPagination)
def list_administrations(request: HttpRequest, case_id: int) -> Any:
    return readable_results(request.user).filter(case=_case(request, case_id))


@router.get(
    "/clients/{client_id}/instrument-results",
    response=list[AdministrationOut],
    tags=["instruments"],
)
@paginate(LimitOffsetPagination)
def client_trend(request: HttpRequest, client_id: int, instrument: str | None = None) -> Any:
    """Every result for the client over time, oldest first (the trend), across visible cases."""
    if not visible_clients(request.user).filter(pk=client_id).exists():
        raise NotFound(f"no client {client_id}", field="id")
    results = readable_results(request.user).filter(client_id=client_id)
    if instrument:
        results = results.filter(instrument=services.instrument_named(instrument).key)
    return results.order_by("administered_on", "recorded_at", "id")


@router.get("/cases/{case_id}/alerts", response=list[AlertOut], tags=["instruments"])
def list_alerts(request: HttpRequest, case_id: int) -> Any:
    return list(CaseAlert.objects.filter(case=_case(request, case_id)))


@router.post("/alerts/{alert_id}/follow-up", response=AlertOut, tags=["instruments"])
def follow_up(request: HttpRequest, alert_id: int, payload: FollowUpIn) -> Any:
    alert = CaseAlert.objects.filter(pk=alert_id, case__in=visible_cases(request.user)).first()
    if alert is None:
        raise NotFound(f"no alert {alert_id}", field="id")
    return services.record_follow_up(actor=request.user, alert=alert, note=payload.note)
