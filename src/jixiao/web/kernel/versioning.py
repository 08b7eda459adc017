"""Optimistic locking, written once. Every editable row carries a ``version``; a change is
``UPDATE … SET …, version = seen + 1 WHERE pk = … AND version = seen`` and a delete is
``DELETE … WHERE pk = … AND version = seen``. Zero rows touched means someone else saved
first: `Conflict` (409), and nothing of theirs is overwritten. The condition is in the write
itself, so it holds on every database (SQLite ignores ``select_for_update``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from jixiao.web.kernel.errors import not_found, stale
from jixiao.web.kernel.limits import check_value

M = TypeVar("M", bound=models.Model)


def row_for_update(queryset: models.QuerySet[M], pk: int) -> M:
    """The row, locked for the transaction where the database can; `NotFound` when gone."""
    try:
        return queryset.select_for_update().get(pk=pk)
    except ObjectDoesNotExist:
        raise not_found() from None


def check_version(instance: models.Model, expected_version: int) -> None:
    """Refuse early (before validating the input) when the row has moved on already."""
    if cast(Any, instance).version != expected_version:
        raise stale()


def save_versioned(instance: M, changes: Mapping[str, Any], expected_version: int) -> M:
    """Write ``changes`` (field → value) only if the row still has ``expected_version``, and
    bump the version; `Conflict` when it does not. ``instance`` gets the new values. A value
    its column cannot hold (`kernel.limits`) is refused before anything is written."""
    for name, value in changes.items():
        check_value(instance, name, value)
    model = type(instance)
    updated = model._default_manager.filter(
        pk=instance.pk, version=expected_version
    ).update(**changes, version=expected_version + 1)
    if updated != 1:
        raise stale()
    for name, value in changes.items():
        setattr(instance, name, value)
    cast(Any, instance).version = expected_version + 1
    return instance


def delete_versioned(instance: models.Model, expected_version: int) -> None:
    """Delete the row only if it still has ``expected_version``; `Conflict` when it does not."""
    model = type(instance)
    _, per_model = model._default_manager.filter(
        pk=instance.pk, version=expected_version
    ).delete()
    if per_model.get(model._meta.label, 0) != 1:
        raise stale()
