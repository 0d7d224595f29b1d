"""The audit event: one row per audited action, append-only and hash-chained.

The table is written only through ``casework.audit.chain.record`` (which assigns the gapless
``seq`` under a lock and computes the hash) and never changed afterwards: database triggers
refuse UPDATE, DELETE and (on PostgreSQL) TRUNCATE.

The model is unmanaged on purpose. Django's test flush (and ``manage.py flush``) empties every
managed table; an append-only table must not be on that list, or every transactional test would
trip the triggers. The table itself is created by migration 0001; any later change to its columns
needs a hand-written migration, and a change to the hashed columns a new canonical form (see
``chain.canonical``), so the columns are settled now, including those later features fill in
(``labels``, ``break_glass``).

Users and clients are kept as plain ids (no foreign keys): deleting a user or a client must not
cascade into, or be blocked by, the record of what happened to them.
"""

from __future__ import annotations

from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create"
        READ = "read"
        UPDATE = "update"
        DELETE = "delete"
        QUERY = "query"
        EXPORT = "export"
        LOGIN = "login"
        LOGIN_FAILED = "login_failed"
        LOGOUT = "logout"
        PERMISSION_CHANGE = "permission_change"
        DISCLOSURE = "disclosure"
        DENIED = "denied"
        AUDIT_STATUS_CHANGED = "audit_status_changed"

    class Outcome(models.TextChoices):
        SUCCESS = "success"
        DENIED = "denied"  # 401, 403, 429: refused by authentication or authorization
        NOT_FOUND = "not_found"  # 404: also what an out-of-scope record answers
        INVALID = "invalid"  # other 4xx: refused input, nothing stored
        ERROR = "error"  # 5xx: rolled back

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField(db_index=True)
    user_id = models.BigIntegerField(null=True, db_index=True)
    # The name as it was then (or as typed, for a failed sign-in).
    username = models.CharField(max_length=150, blank=True)
    client_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    status = models.PositiveSmallIntegerField(null=True)
    # Text, not inet: the hashed value must read back byte for byte on both engines.
    ip = models.CharField(max_length=45, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    break_glass = models.BooleanField(default=False)
    # Sensitivity labels of the data touched (filled by the sensitive-records work).
    labels = models.JSONField(default=list)
    # What else an auditor needs: route, method, parameter names. Never PHI or note text.
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        managed = False
        db_table = "audit_auditevent"
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id} by {self.username}"


class AuditSetting(models.Model):
    """A part of auditing that an administrator may turn off (AUDIT-04). Everything is on
    when no row says otherwise; writes, refusals, sign-ins, exports, disclosures and permission
    changes are always recorded and have no switch."""

    class Part(models.TextChoices):
        API_READS = "api_reads", "Reads through the API (GET)"
        PAGE_VIEWS = "page_views", "Web pages viewed"

    part = models.CharField(max_length=20, choices=Part.choices, unique=True)
    enabled = models.BooleanField(default=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.part}: {'on' if self.enabled else 'off'}"
