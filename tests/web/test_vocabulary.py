"""The web's words come from one place each: choice lists derived from the core's types, labels
for every value, no dead import guards, and no import cycle between the use-case modules."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, get_args

import jixiao.web
from jixiao.core import dossier, vocabulary
from jixiao.web.funds import usecases
from jixiao.web.funds.models import KIND_CHOICES, KIND_LABELS
from jixiao.web.rectification.models import SOURCE_CHOICES, SOURCE_LABELS, STATUS_CHOICES
from jixiao.web.rectification.rules import STATUSES

WEB = Path(jixiao.web.__file__).parent


def _values(choices: list[tuple[str, object]]) -> tuple[str, ...]:
    return tuple(value for value, _ in choices)


def test_web_choices_are_the_core_values() -> None:
    assert usecases.CHOICES["method"] == ("", *get_args(dossier.Method))
    assert usecases.CHOICES["direction"] == ("", *get_args(dossier.Direction))
    assert usecases.CHOICES["level"] == ("", *get_args(dossier.QualitativeLevel))
    assert _values(KIND_CHOICES) == get_args(dossier.RecipientKind)
    assert _values(SOURCE_CHOICES) == vocabulary.PROBLEM_SOURCES == ("自评", "考核", "审计",
                                                                      "监控", "其他")
    assert vocabulary.AGREEMENT_LEVELS == ("中央", "省级", "市级", "县级", "其他")
    assert _values(STATUS_CHOICES) == STATUSES


def test_every_value_has_a_label() -> None:
    assert set(vocabulary.METHODS) <= set(vocabulary.METHOD_LABELS)
    assert set(vocabulary.DIRECTIONS) <= set(vocabulary.DIRECTION_SYMBOLS)
    assert set(vocabulary.SEVERITIES) <= set(vocabulary.SEVERITY_LABELS)
    assert set(vocabulary.TRANSACTION_TYPES) <= set(vocabulary.TRANSACTION_TYPE_LABELS)
    assert set(vocabulary.RECIPIENT_KINDS) <= set(KIND_LABELS)
    assert set(vocabulary.PROBLEM_SOURCES) <= set(SOURCE_LABELS)


def test_the_indicator_form_offers_the_core_values(login: Any, demo: Any) -> None:
    from jixiao.web.funds.models import Indicator

    row = Indicator.objects.get(fund=demo, code="fund-management")
    page = login("admin").get(f"/funds/{demo.pk}/indicators/{row.pk}/edit/").content.decode()
    for method, label in vocabulary.METHOD_LABELS.items():
        assert f'<option value="{method}"' in page and label in page
    for level in vocabulary.QUALITATIVE_LEVELS:
        assert f">{level}</option>" in page


def _sources() -> list[Path]:
    return [p for p in WEB.rglob("*.py") if "migrations" not in p.parts]


def test_no_import_guards_for_declared_dependencies() -> None:
    guarded = [str(p.relative_to(WEB)) for p in _sources()
               if any(isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name)
                      and node.type.id == "ImportError"
                      for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert guarded == []


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_use_case_modules_import_one_way() -> None:
    funds = _imports(WEB / "funds" / "usecases.py")
    ledger = _imports(WEB / "rectification" / "usecases.py")
    assert "jixiao.web.rectification.usecases" in funds
    assert not any(name.startswith("jixiao.web.funds.usecases") for name in ledger)
