"""The rule calculators (``/rules/``): any rule on values typed in, the same answer as
``POST /api/v1/rules/{kind}``, the rule's refusal beside the field, nothing stored or audited."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient

from casework import rules
from casework.audit.models import AuditEvent
from tests.conftest import Api, make_staff
from tests.web.conftest import signed_in
from tests.web.test_views import post

LACE = {"length_of_stay_days": 5, "acute_admission": True, "charlson_score": 2, "ed_visits_6mo": 1}


def test_the_list_names_every_rule_and_is_in_the_navigation(web: HttpClient) -> None:
    response = web.get("/rules/")
    assert response.status_code == 200
    page = response.content.decode()
    for kind in rules.KINDS:
        assert f'href="/rules/{kind}/"' in page
    assert 'href="/rules/" aria-current="page"' in page


def test_every_rule_has_a_form(web: HttpClient) -> None:
    for kind in rules.KINDS:
        response = web.get(f"/rules/{kind}/")
        assert response.status_code == 200, kind
        assert 'name="rule-' in response.content.decode(), kind
    assert web.get("/rules/phq10/").status_code == 404


def test_lace_gives_the_same_answer_as_the_api(web: HttpClient, api: Api) -> None:
    expected = api.post("/rules/lace", LACE).json()
    fields = {**LACE, "acute_admission": "on"}
    response = post(web, "/rules/lace/", "rule", **fields)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert response.context["result"] == expected
    page = response.content.decode()
    assert "High" in page and ">10<" in page


def test_phq9_one_field_per_item_gives_the_same_answer_as_the_api(
    web: HttpClient, api: Api
) -> None:
    items = [1, 2, 3, 0, 1, 2, 0, 0, 1]
    expected = api.post("/rules/phq9", {"items": items}).json()
    response = post(web, "/rules/phq9/", "rule", **{f"items__{i}": v for i, v in enumerate(items)})
    assert response.status_code == 200
    assert response.context["result"] == expected


def test_lists_nested_inputs_and_dates(web: HttpClient, api: Api) -> None:
    body = {"codes": ["I50.22", "E11.9"], "age": 70}
    response = post(web, "/rules/charlson_icd10/", "rule", codes="I50.22\nE11.9\n", age="70")
    assert response.context["result"] == api.post("/rules/charlson_icd10", body).json()
    independent = dict.fromkeys(("bathing", "dressing", "toileting", "continence", "feeding"), "on")
    response = post(
        web, "/rules/katz_adl/", "rule", **{f"independent__{k}": v for k, v in independent.items()}
    )
    assert response.context["result"]["total"] == 5
    deadlines = {
        "discharge_date": "2026-11-25",
        "discharge_setting": "inpatient_acute_care_hospital",
        "discharged_to": "home",
    }
    response = post(web, "/rules/tcm_deadlines/", "rule", **deadlines)
    assert response.context["result"] == api.post("/rules/tcm_deadlines", deadlines).json()
    assert "2026-11-30" in response.content.decode()


def test_a_bad_value_is_shown_beside_its_field_with_422(web: HttpClient) -> None:
    events = AuditEvent.objects.count()
    # Refused by the form: a negative length of stay.
    response = post(web, "/rules/lace/", "rule", **{**LACE, "length_of_stay_days": "-1"})
    assert response.status_code == 422
    assert response.context["result"] is None
    assert response.context["form"].errors.keys() == {"length_of_stay_days"}
    # Refused by the rule itself (InvalidInput names the field): more ethics than CE hours.
    response = post(web, "/rules/ccm_renewal/", "rule", ce_hours="10", ethics_hours="12")
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == ["ethics_hours"]
    assert "cannot exceed" in errors["ethics_hours"][0]
    page = response.content.decode()
    assert page.index("cannot exceed") > page.index('for="id_rule-ethics_hours"')
    # A code of a list, typed one per line, names the list.
    response = post(web, "/rules/charlson_icd10/", "rule", codes="I50.22\nnonsense", age="")
    assert response.status_code == 422
    assert "not a valid ICD-10 code" in response.context["form"].errors["codes"][0]
    # Computing stores nothing and records no audit row: no client data is shown.
    assert AuditEvent.objects.count() == events


def test_the_calculators_need_rules_use(db: Any) -> None:
    auditor = signed_in(make_staff("audrey", roles=("auditor",)))
    assert auditor.get("/rules/").status_code == 403
    assert auditor.get("/rules/lace/").status_code == 403
    assert post(auditor, "/rules/lace/", "rule", **LACE).status_code == 403
    assert 'href="/rules/"' not in auditor.get("/audit/").content.decode()


def test_the_calculators_are_in_spanish(web: HttpClient) -> None:
    page = web.get("/rules/lace/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Calculadoras de reglas" in page and "Calcular" in page


def test_the_rules_own_wording_is_in_spanish(web: HttpClient) -> None:
    web.cookies["django_language"] = "es"
    page = web.get("/rules/lace/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Índice LACE (muerte o reingreso no planificado a 30 días)" in page
    assert "LACE index" not in page
    assert "Duración de la estancia (días)" in page and "Length of stay days" not in page
    assert "visitas a urgencias en los 6 meses previos al ingreso" in page
    assert "Sin confirmar: si la hoja de cálculo LACE incluye el SIDA (con 4)." in page
    response = post(web, "/rules/lace/", "rule", **{**LACE, "acute_admission": "on"})
    page = response.content.decode()
    assert "Riesgo" in page and "Alto" in page
    listing = web.get("/rules/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "PHQ-9 gravedad de la depresión" in listing
