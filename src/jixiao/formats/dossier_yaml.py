"""The dossier file: YAML ⇄ `Dossier`, with file, line and field in every error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from jixiao.core.dossier import Dossier, integrity_errors
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.yaml_loader import Lines, Loc, load_yaml

# pydantic's error types, said in Chinese; anything else falls back to pydantic's own words.
_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（请检查拼写，或运行 jixiao schema 查看允许的字段）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "date_type": "应为日期（如 2021-12-31）",
    "date_parsing": "应为日期（如 2021-12-31）",
    "date_from_datetime_parsing": "应为日期（如 2021-12-31）",
    "string_too_short": "不能为空",
    "too_short": "不能为空列表",
    "string_pattern_mismatch": "标识不能含空格或 /",
    "finite_number": "数值超出范围",
    "string_too_long": "文字过长",
}


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0 and kind == "greater_than_equal":
            return f"不能为负数（实际为 {err.get('input')}）"
        sign = "≥" if kind == "greater_than_equal" else ">"
        return f"应 {sign} {bound}（实际为 {err.get('input')}）"
    if kind in ("less_than_equal", "less_than"):
        return f"应 ≤ {ctx.get('le', ctx.get('lt'))}（实际为 {err.get('input')}）"
    if kind == "literal_error":
        return f"取值应为 {ctx.get('expected')}（实际为 {err.get('input')!r}）"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return err["msg"]


def _field(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    # pydantic adds union-member tags ("decimal", "str", "function-after[...]") to locations.
    return tuple(
        p for p in loc
        if isinstance(p, int) or not (p in {"decimal", "str", "bool", "int"} or "[" in str(p))
    )


def parse_dossier(data: Any, lines: Lines | None = None, file: str | None = None) -> Dossier:
    """Validate plain data as a dossier; every problem is reported with its line."""
    lines = lines or Lines()
    if not isinstance(data, dict):
        raise InputError([Problem("档案应为键值映射（fund、indicators …）", file=file, line=1)])
    try:
        dossier = Dossier.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = _clean_loc(err["loc"])
            problems.append(Problem(_message(err), file, lines.line_of(loc), _field(loc) or None))
        raise InputError(problems) from None
    broken = integrity_errors(dossier)
    if broken:
        raise InputError(
            [Problem(msg, file, lines.line_of(loc), _field(loc)) for loc, msg in broken]
        )
    return dossier


def read_dossier(path: str | Path) -> Dossier:
    """Read a dossier YAML file. Raises InputError naming file, line and field."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem("文件不存在", file=str(path))]) from None
    except UnicodeDecodeError as err:
        problem = Problem(f"不是 UTF-8 编码的文本（第 {err.start} 字节）", file=str(path))
        raise InputError([problem]) from None
    except OSError as err:
        raise InputError([Problem(f"无法读取：{err.strerror}", file=str(path))]) from None
    data, lines = load_yaml(text, file=str(path))
    return parse_dossier(data, lines, file=str(path))


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True  # never &id001 anchors: a dossier is written for people to read


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    # Written as a plain number with its own places (13.30 stays 13.30).
    text = f"{value:f}"
    tag = "tag:yaml.org,2002:int" if value.as_tuple().exponent >= 0 else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(tuple, lambda dumper, value: dumper.represent_list(list(value)))


def dump_dossier(dossier: Dossier) -> str:
    """A dossier as YAML text, omitting defaults; reads back to an equal dossier."""
    data = dossier.model_dump(mode="python", exclude_defaults=True)
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
