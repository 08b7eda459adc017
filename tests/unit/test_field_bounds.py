"""Every bound a core model declares is enforced, whichever way it is written.

A number field validated by a wrap validator may skip pydantic's own constraint checks when
the bound is given beside the type (``x: Number = Field(ge=0)``) rather than inside it; this
walks every model of the core and tries a value just outside each declared bound.
"""

from __future__ import annotations

import inspect
from decimal import Decimal
from types import ModuleType

import pytest
from annotated_types import Ge, Gt
from pydantic import BaseModel, ValidationError

import jixiao.core.allocation as allocation
import jixiao.core.dossier as dossier
import jixiao.core.payments as payments


def _bounded_fields(module: ModuleType) -> list[tuple[type[BaseModel], str, Ge | Gt]]:
    found = []
    for obj in vars(module).values():
        ours = inspect.isclass(obj) and obj.__module__ == module.__name__
        if ours and issubclass(obj, BaseModel):
            for name, field in obj.model_fields.items():
                found.extend((obj, name, m) for m in field.metadata if isinstance(m, Ge | Gt))
    return found


CASES = [case for module in (dossier, payments, allocation) for case in _bounded_fields(module)]


def test_the_walk_finds_the_bounds() -> None:
    names = {(model.__name__, name) for model, name, _ in CASES}
    assert {("PlanActual", "plan"), ("PlanActual", "actual"), ("Indicator", "weight")} <= names


@pytest.mark.parametrize(
    ("model", "name", "bound"), CASES, ids=[f"{m.__name__}.{n}" for m, n, _ in CASES])
def test_a_value_outside_the_bound_is_refused(
        model: type[BaseModel], name: str, bound: Ge | Gt) -> None:
    limit = Decimal(str(bound.ge if isinstance(bound, Ge) else bound.gt))
    outside = limit - 1 if isinstance(bound, Ge) else limit
    for value in (outside, int(outside), str(outside)):
        with pytest.raises(ValidationError) as caught:
            model.model_validate({name: value})
        assert any(error["loc"][:1] == (name,) for error in caught.value.errors()), (
            f"{model.__name__}.{name} accepted {value!r}")
