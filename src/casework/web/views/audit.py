"""The auditor's page: the audit trail filtered by user, client, action and UTC dates, sorted by
any column, paged, and exported as CSV. The search is ``casework.audit.search``, the same as the
API's and the CLI's.

Viewing the page is itself audited (the URL is marked, as a query of ``audit``), and an export
writes an ``export`` row with its filters and row count, as ``casework audit export`` does."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from casework.audit.events import Action, record
from casework.audit.models import AuditEvent
from casework.audit.search import SORT_KEYS, Filters, as_dict, csv_lines, is_auditor, search
from casework.core import clock
from casework.web.forms.audit import AuditFilterForm

PAGE_SIZE = 50
COLUMN_LABELS = {
    "seq": _("No."),
    "at": _("Time (UTC)"),
    "user": _("User"),
    "client": _("Client"),
    "action": _("Action"),
    "object_type": _("Object"),
    "object_id": _("Object id"),
    "outcome": _("Outcome"),
    "status": _("Status"),
    "ip": _("Address"),
}


def _require_auditor(request: HttpRequest) -> None:
    # The access matrix already refused everyone else; this keeps the view safe on its own.
    if not is_auditor(request.user):
        raise PermissionDenied("only auditors read the audit trail")


def _query(request: HttpRequest, **changes: Any) -> str:
    """The current query string with ``changes`` (None drops a parameter)."""
    params = request.GET.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _columns(request: HttpRequest, sort: str) -> list[dict[str, Any]]:
    columns = []
    for key in SORT_KEYS:
        direction = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append(
            {
                "key": key,
                "label": COLUMN_LABELS.get(key, key.replace("_", " ").capitalize()),
                "sorted": direction,
                "ascending": _query(request, sort=key, page=None),
                "descending": _query(request, sort=f"-{key}", page=None),
            }
        )
    return columns


def _row(event: AuditEvent) -> dict[str, Any]:
    row = as_dict(event)
    row["at_utc"] = event.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    row["details_text"] = json.dumps(row["details"], sort_keys=True, ensure_ascii=False)
    return row


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    filters = form.filters() if valid else Filters()
    page = None
    if valid:
        page = Paginator(search(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": [_row(e) for e in page.object_list] if page else [],
        "columns": _columns(request, filters.sort),
        "previous": _query(request, page=page.previous_page_number())
        if page and page.has_previous()
        else None,
        "next": _query(request, page=page.next_page_number()) if page and page.has_next() else None,
        "export": reverse("web:audit_export") + _query(request, page=None),
    }
    return render(request, "web/audit/log.html", context)


@login_required
@require_safe
def audit_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered trail as CSV (the CLI's columns), streamed. The ``export`` row is written
    before the first line, with the number of rows the file holds: those present when the
    export began (later rows, its own included, are not in it)."""
    _require_auditor(request)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        # The page says what is wrong beside the field.
        return redirect(reverse("web:audit") + _query(request, page=None))
    filters = form.filters()
    with transaction.atomic():
        last = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
        rows = search(filters).filter(seq__lte=last)
        count = rows.count()
        record(
            Action.EXPORT,
            object_type="audit",
            details={
                "filters": {k: str(v) for k, v in vars(filters).items() if v},
                "rows": count,
                "format": "csv",
                "route": "audit/export.csv",
            },
        )
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(
        csv_lines(rows.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
