"""Writing the audit trail. Every use case calls `record` in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.codec import plain


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in fields}


def record(
    user: Any, action: str, obj: models.Model | None, *, fund: Any = None,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    reason: str = "", label: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        fund=fund,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or str(obj))[:300] if obj is not None else label,
        before=plain(before) if before is not None else None,
        after=plain(after) if after is not None else None,
        reason=reason,
    )
