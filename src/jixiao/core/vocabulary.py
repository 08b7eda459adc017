"""The domain's words, each in one place: the values the dossier allows, read from its types
(never copied), and their Chinese labels. The web builds its choice lists and labels from
here; a value added to a `Literal` in `jixiao.core.dossier` shows up everywhere at once (shown
as itself until it has a label: `tests/web/test_vocabulary.py` fails until then). A label may
come before its value (the label maps are looked up, never iterated for choices)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, get_args

from jixiao.core import dossier

if TYPE_CHECKING:  # read from core.payments on first use (`__getattr__`)
    TRANSACTION_TYPES: tuple[str, ...]
    TRANSACTION_TYPE_LABELS: dict[str, str]


def _field_values(model: type[dossier.Model], name: str) -> tuple[str, ...]:
    """The values of a field typed as a ``Literal`` (optional or not)."""
    annotation: Any = model.model_fields[name].annotation
    return tuple(v for v in get_args(annotation) if isinstance(v, str))


METHODS: tuple[str, ...] = get_args(dossier.Method)
DIRECTIONS: tuple[str, ...] = get_args(dossier.Direction)
QUALITATIVE_LEVELS: tuple[str, ...] = get_args(dossier.QualitativeLevel)
RECIPIENT_KINDS: tuple[str, ...] = get_args(dossier.RecipientKind)
SEVERITIES: tuple[str, ...] = get_args(dossier.Severity)
AGREEMENT_LEVELS: tuple[str, ...] = _field_values(dossier.Agreement, "level")
PROBLEM_SOURCES: tuple[str, ...] = _field_values(dossier.Problem, "source")

METHOD_LABELS: dict[str, str] = {
    "quantitative": "定量", "qualitative": "定性", "deduction": "扣分", "manual": "人工",
    "execution": "预算执行", "stepped": "分段", "range": "区间",
}
DIRECTION_SYMBOLS: dict[str, str] = {">=": "≥", "<=": "≤", "=": "="}
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}


def __getattr__(name: str) -> object:
    """The ledger's words, imported with core.payments (and its pydantic models) only when
    asked for: scoring a dossier (`jixiao evaluate`) does not load the ledger."""
    if name not in ("TRANSACTION_TYPES", "TRANSACTION_TYPE_LABELS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from jixiao.core.payments import TYPE_NAMES, TransactionType

    globals().update(TRANSACTION_TYPES=get_args(TransactionType),
                     TRANSACTION_TYPE_LABELS=TYPE_NAMES)
    return globals()[name]
