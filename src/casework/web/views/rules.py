"""The rule calculator: any scoring or timing rule of ``casework.rules`` on values typed in.

The same answer as ``POST /api/v1/rules/{kind}``: the form is generated from the rule's
published input schema and the rule itself validates and computes. Nothing is stored and no
client data is shown, so the page is not audited.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from casework import rules
from casework.web.forms.rules import RuleForm, words
from casework.web.i18n import tr
from casework.web.workspace import prepare


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    kinds = [rule.describe() for rule in rules.KINDS.values()]
    return render(request, "web/rules/index.html", {"kinds": kinds})


def _shown(value: Any) -> Any:
    """A result value as words: yes/no, a dash for nothing, lists and objects spelled out."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(_shown(v)) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{words(k)}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, str):
        # A code of the rule ("high", "inpatient_acute_care_hospital") in words; else as is.
        return words(value) if re.fullmatch(r"[a-z][a-z_]*", value) else tr(value)
    return value


@login_required
def rule(request: HttpRequest, kind: str) -> HttpResponse:
    found = rules.KINDS.get(kind)
    if found is None:
        raise Http404("no such rule")
    form = RuleForm(found, request.POST if request.method == "POST" else None)
    prepare(form, "rule", "")
    result: dict[str, Any] | None = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                result = dict(rules.evaluate(kind, form.data_for_rule()))
            except rules.InvalidInput as error:
                form.add_invalid(error)
        if result is None:
            status = 422
    context = {
        "rule": found.describe(),
        "form": form,
        "result": result,
        "shown": [(words(k), _shown(v)) for k, v in (result or {}).items()],
    }
    return render(request, "web/rules/rule.html", context, status=status)
