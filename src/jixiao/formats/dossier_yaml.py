"""The dossier file: YAML ⇄ `Dossier`, with file, line and field in every error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from jixiao.core.dossier import Dossier, integrity_errors
from jixiao.core.phrases import template
from jixiao.formats.yaml_loader import Lines
from jixiao.formats.yaml_model import read_model, to_model

NOT_A_MAPPING = "档案应为键值映射（fund、indicators …）"
UNKNOWN_FIELD = template("未知字段（请检查拼写，或运行 jixiao schema 查看允许的字段）")


def parse_dossier(data: Any, lines: Lines | None = None, file: str | None = None) -> Dossier:
    """Validate plain data as a dossier; every problem is reported with its line."""
    return to_model(
        data, Dossier, lines=lines, file=file, expected=NOT_A_MAPPING,
        unknown_field=UNKNOWN_FIELD, check=integrity_errors,
    )


def read_dossier(path: str | Path) -> Dossier:
    """Read a dossier YAML file. Raises InputError naming file, line and field."""
    return read_model(
        Path(path), Dossier, expected=NOT_A_MAPPING, unknown_field=UNKNOWN_FIELD,
        check=integrity_errors,
    )


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # never &id001 anchors: a dossier is written for people to read


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    # Written as a plain number with its own places (13.30 stays 13.30).
    text = f"{value:f}"
    exponent = value.as_tuple().exponent
    whole = isinstance(exponent, int) and exponent >= 0
    tag = "tag:yaml.org,2002:int" if whole else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(tuple, lambda dumper, value: dumper.represent_list(list(value)))


def dump_dossier(dossier: Dossier) -> str:
    """A dossier as YAML text, omitting defaults; reads back to an equal dossier."""
    data = dossier.model_dump(mode="python", exclude_defaults=True)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        items = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list | tuple):
        return [_pruned(v) for v in value]
    return value


def dump_dossier_data(data: dict[str, Any]) -> str:
    """Dossier data that is not (yet) a valid dossier, such as a new fund-year still waiting
    for its actual values (`core.next_year`), as YAML: empty and None fields left out."""
    return yaml.dump(_pruned(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=100)
