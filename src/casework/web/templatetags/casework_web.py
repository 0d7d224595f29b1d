"""Template helpers of the workspace: translated domain words, badges, navigation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from casework.accounts.permissions import has_permission, matrix
from casework.core import clock
from casework.web import i18n

register = template.Library()

TIER_LABELS = {"low": "Low", "moderate": "Moderate", "high": "High", "complex": "Complex"}


@register.filter
def tr(value: object) -> str:
    return i18n.tr(value)


@register.filter
def credential_text(value: str) -> str:
    return i18n.credential_text(value)


@register.filter
def phase_label(value: str | None) -> str:
    return i18n.phase_label(value)


@register.filter
def missing_text(value: str) -> str:
    return i18n.missing_text(value)


@register.filter
def due_text(value: str) -> str:
    return i18n.due_text(value)


@register.filter
def humanize_key(value: str) -> str:
    """A result key or code ("item9_flag") as words, translated where known."""
    return i18n.tr(str(value).replace("_", " ").capitalize())


@register.filter
def purpose_label(value: str) -> str:
    """A disclosure purpose key ("care_coordination") in words, translated."""
    from casework.privacy.models import PURPOSES

    return i18n.tr(dict(PURPOSES).get(value, value))


@register.filter
def category_label(value: str) -> str:
    """A kind of information ("general", a sensitivity label) in words, translated."""
    from casework.privacy.models import CATEGORIES

    return i18n.tr(dict(CATEGORIES).get(value, value))


@register.simple_tag
def sensitivity_badge(label: str | None) -> SafeString:
    """The sensitivity label of a note or finding, or nothing when it has none."""
    from casework.privacy.labels import LABELS

    if not label:
        return SafeString("")
    title = LABELS[label].title if label in LABELS else label
    return format_html(
        '<span class="badge badge-alert" title="{}">{}</span>', _("Sensitive"), i18n.tr(title)
    )


@register.simple_tag
def tier_badge(tier: str | None) -> SafeString:
    if not tier:
        return format_html('<span class="badge badge-none">{}</span>', _("No tier"))
    label = i18n.tr(TIER_LABELS.get(tier, tier))
    return format_html('<span class="badge tier-{}">{}</span>', tier, label)


@register.simple_tag
def phase_badge(phase: str | None) -> SafeString:
    return format_html(
        '<span class="badge phase phase-{}">{}</span>', phase or "", i18n.phase_label(phase)
    )


@register.filter
def days_since(value: dt.date | dt.datetime | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return (clock.today() - value).days


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> list[dict[str, Any]]:
    """The top navigation for the signed-in user: only what they may use."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    path = request.path if request else ""
    items = [
        ("web:caseload", _("My caseload"), ("/", "/cases/")),
        ("web:client_search", _("Clients"), ("/clients/",)),
        ("web:new_referral", _("New referral"), ("/referrals/",)),
    ]
    items.append(("web:supervisor", _("Supervision"), ("/supervision/",)))
    items.append(("web:audit", _("Audit trail"), ("/audit/",)))
    items.append(("web:rules", _("Calculators"), ("/rules/",)))
    items.append(("web:staff_list", _("Staff"), ("/staff/",)))
    items.append(("web:administration", _("Administration"), ("/administration/",)))
    out = []
    for name, label, prefixes in items:
        permission = matrix().page_permission(name)
        if permission is None or not has_permission(user, permission):
            continue
        url = reverse(name)
        current = any(
            path == p if p == "/" else path.startswith(p) for p in prefixes if p != "/"
        ) or (prefixes[0] == "/" and (path == "/" or path.startswith("/cases/")))
        out.append({"url": url, "label": label, "current": current})
    return out
