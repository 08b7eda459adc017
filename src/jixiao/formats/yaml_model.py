"""YAML → a pydantic model: the one reader every YAML input goes through.

Dossiers, allocation specs, ledger column mappings, monitoring thresholds and the bundled
templates are all read here, so each says what is wrong the same way: an `InputError` whose
`Problem`s name the file, the line and the field, in Chinese. Numbers stay exact and every key
keeps its line (`yaml_loader.load_yaml`); pydantic's errors are translated by `message`.

``read_model(source, Model)`` reads a file (a `Path`) or YAML text (a `str`) in one call;
``to_model`` validates data already loaded (a block inside a larger file, say), and takes the
two things readers differ in: where a location points (``locate``) and the checks a schema
cannot state (``check``), whose (location, message) pairs are reported like schema errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from jixiao.core.phrases import Phrase, template
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.yaml_loader import Lines, Loc, load_yaml

M = TypeVar("M", bound=BaseModel)
Locate = Callable[[Loc, str], Problem]

UNKNOWN_FIELD = template("未知字段（请检查拼写）")

# pydantic's error types, said in Chinese; anything else falls back to pydantic's own words.
_MESSAGES = {
    "missing": template("缺少必填字段"),
    "decimal_parsing": template("应为数字"),
    "decimal_type": template("应为数字"),
    "int_parsing": template("应为整数"),
    "int_type": template("应为整数"),
    "int_from_float": template("应为整数"),
    "string_type": template("应为文字"),
    "bool_type": template("应为 true 或 false"),
    "list_type": template("应为列表"),
    "dict_type": template("应为键值映射"),
    "model_type": template("应为键值映射"),
    "date_type": template("应为日期（如 2021-12-31）"),
    "date_parsing": template("应为日期（如 2021-12-31）"),
    "date_from_datetime_parsing": template("应为日期（如 2021-12-31）"),
    "string_too_short": template("不能为空"),
    "too_short": template("不能为空列表"),
    "finite_number": template("数值超出范围"),
    "string_too_long": template("文字过长"),
}
# Field patterns (``Field(pattern=…)``) the models use, and what breaking each means.
_PATTERNS = {
    r"^[^\s/]+$": template("标识不能含空格或 /"),
    r"^\d\d-\d\d$": template("应为 月-日（如 08-31）"),
}


def message(err: ErrorDetails, unknown_field: str = UNKNOWN_FIELD) -> str:
    """One pydantic error in Chinese, with the offending value where it helps."""
    return str(phrase(err, unknown_field))


def phrase(err: ErrorDetails, unknown_field: str = UNKNOWN_FIELD) -> Phrase:
    """One pydantic error as a phrase (`message` is its Chinese): a page can say it in its
    own language; pydantic's own words where there is no Chinese for an error type."""
    kind = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    value = str(err.get("input"))
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0 and kind == "greater_than_equal":
            return Phrase("不能为负数（实际为 {value}）", value=value)
        sign = "≥" if kind == "greater_than_equal" else ">"
        return Phrase("应 {sign} {bound}（实际为 {value}）", sign=sign, bound=str(bound),
                      value=value)
    if kind in ("less_than_equal", "less_than"):
        return Phrase("应 ≤ {bound}（实际为 {value}）", bound=str(ctx.get("le", ctx.get("lt"))),
                      value=value)
    if kind == "literal_error":
        # str(), not repr(): a number must read 0.5, never Decimal('0.5')
        choices = str(ctx.get("expected", "")).split(" or ")
        expected: str | Phrase = choices[0]
        if len(choices) > 1:
            expected = Phrase("{choices} 或 {last}", choices=" or ".join(choices[:-1]),
                              last=choices[-1])
        return Phrase("取值应为 {expected}（实际为 '{value}'）", expected=expected, value=value)
    if kind == "value_error":
        error = ctx.get("error")
        said = error.args[0] if isinstance(error, ValueError) and error.args else None
        return said if isinstance(said, Phrase) else Phrase(str(error or err["msg"]))
    if kind == "extra_forbidden":
        return Phrase(unknown_field)
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        known = _PATTERNS.get(pattern)
        return Phrase(known) if known else Phrase("格式不符合要求（{pattern}）", pattern=pattern)
    if kind in ("decimal_parsing", "decimal_type") and isinstance(err.get("input"), str):
        return Phrase("应为数字（实际为「{value}」）", value=value)
    return Phrase(_MESSAGES.get(kind, err["msg"]))


def field_name(loc: Loc) -> str:
    """A location as people write it: ('indicators', 0, 'weight') → indicators[0].weight."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def clean_loc(loc: tuple[int | str, ...]) -> Loc:
    """A pydantic location without the union-member tags ("decimal", "function-after[…]")."""
    return tuple(
        p for p in loc
        if isinstance(p, int) or not (p in {"decimal", "str", "bool", "int"} or "[" in p)
    )


def read_text(path: Path) -> str:
    """A UTF-8 text file; one that cannot be read is an InputError naming it."""
    file = str(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem("文件不存在", file=file)]) from None
    except IsADirectoryError:
        raise InputError([Problem("这是一个目录，不是文件", file=file)]) from None
    except PermissionError:
        raise InputError([Problem("没有读取该文件的权限", file=file)]) from None
    except UnicodeDecodeError as err:
        problem = Problem(f"不是 UTF-8 编码的文本（第 {err.start} 字节）", file=file)
        raise InputError([problem]) from None
    except OSError as err:
        raise InputError([Problem(f"无法读取：{err.strerror or err}", file=file)]) from None


def load(source: str | Path, file: str | None = None) -> tuple[Any, Lines, str | None]:
    """YAML from a file (a `Path`) or text (a `str`): (data, its lines, the name for problems)."""
    if isinstance(source, Path):
        file = file or str(source)
        text = read_text(source)
    else:
        text = source
    data, lines = load_yaml(text, file=file)
    return data, lines, file


def to_model(
    data: Any,
    model: type[M],
    *,
    lines: Lines | None = None,
    file: str | None = None,
    prefix: Loc = (),
    expected: str | None = None,
    unknown_field: str = UNKNOWN_FIELD,
    locate: Locate | None = None,
    check: Callable[[M], Iterable[tuple[Loc, str | Phrase]]] | None = None,
) -> M:
    """Validate plain data (found at ``prefix`` of its file) as ``model``.

    Every problem is reported, each with its line and field: schema errors first; when there
    are none, what ``check`` finds. ``expected`` says what the data should be when it is not a
    mapping; ``locate`` turns a location inside the data into a `Problem` where the default
    (the line in ``lines``) is not where it came from (a table row, a command-line flag).
    """
    where = lines or Lines()

    def located(loc: Loc, text: str) -> Problem:
        if locate is not None:
            return locate(loc, text)
        full = (*prefix, *loc)
        return Problem(text, file, where.line_of(full), field_name(full) or None)

    if not isinstance(data, dict):
        fields = "、".join(model.model_fields)
        said = expected or f"应为键值映射（可用字段：{fields}）"
        line = where.line_of(prefix) or 1
        raise InputError([Problem(said, file, line, field_name(prefix) or None)])
    def problem_of(loc: Loc, text: Phrase) -> Problem:
        problem = located(loc, str(text))
        # the phrase goes with the problem where the location kept the message as it was
        return replace(problem, phrase=text) if problem.message == str(text) else problem

    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        raise InputError([
            problem_of(clean_loc(err["loc"]), phrase(err, unknown_field))
            for err in exc.errors()
        ]) from None
    broken = list(check(value)) if check is not None else []
    if broken:
        raise InputError([problem_of(loc, text) if isinstance(text, Phrase)
                          else located(loc, text) for loc, text in broken])
    return value


def read_model(
    source: str | Path,
    model: type[M],
    *,
    file: str | None = None,
    expected: str | None = None,
    unknown_field: str = UNKNOWN_FIELD,
    check: Callable[[M], Iterable[tuple[Loc, str | Phrase]]] | None = None,
) -> M:
    """A YAML file (a `Path`) or YAML text (a `str`, named ``file`` in problems) as ``model``.

    Raises InputError naming file, line and field for anything unreadable or invalid.
    """
    data, lines, name = load(source, file)
    return to_model(
        data, model, lines=lines, file=name, expected=expected, unknown_field=unknown_field,
        check=check,
    )
