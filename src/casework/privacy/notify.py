"""Telling the privacy officer (PRIV-05): every emergency access and every emergency disclosure
reaches them at once, by mail, besides the supervisors' review queue and the audit trail.

The message names the staff member, the client's id and the time, and links to the review;
it carries no clinical content and no client name, since mail leaves the system."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail


def officers() -> list[str]:
    return list(getattr(settings, "CASEWORK_PRIVACY_OFFICER_EMAILS", []))


def notify_privacy_officer(subject: str, lines: Sequence[str]) -> int:
    """Mail the privacy officers once the caller's transaction commits (a refused or rolled
    back action tells no one); the number of recipients, 0 when none is configured. A mail
    server that is down does not undo the access: the audit row and the review queue stay."""
    recipients = officers()
    if not recipients:
        return 0
    from django.db import transaction

    body = "\n".join(lines)
    transaction.on_commit(
        lambda: send_mail(f"[Casework] {subject}", body, None, recipients, fail_silently=True)
    )
    return len(recipients)
