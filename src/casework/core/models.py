"""Abstract base models shared by every domain."""

from __future__ import annotations

from typing import Any

from django.db import models

from casework.core import clock


class VersionedModel(models.Model):
    """A record edited under optimistic concurrency: every saved change bumps ``version``.

    The version is the record's ETag; an edit carrying an older one is refused (412).
    """

    version = models.PositiveIntegerField(default=1, editable=False)
    # From the project's clock, not the database's, so that records and the phase moves they
    # enable compare on one time line (and tests and the demo can set it).
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        abstract = True

    def derived_fields(self) -> dict[str, object]:
        """Columns computed from others; kept current by every save and versioned update."""
        return {}

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name, value in self.derived_fields().items():
            setattr(self, name, value)
        if self.pk is not None:
            self.updated_at = clock.now()
        super().save(*args, **kwargs)

    @property
    def etag(self) -> str:
        return f'"{self.pk}-{self.version}"'


class IdempotencyKey(models.Model):
    """A create request already seen, with the response it got (see ``core.idempotency``)."""

    user_id = models.BigIntegerField()
    key = models.CharField(max_length=100)
    request_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    response = models.JSONField(null=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_id", "key"], name="unique_idempotency_key")
        ]
        indexes = [models.Index(fields=["created_at"])]
