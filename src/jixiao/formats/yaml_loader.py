"""YAML → plain data, keeping a line number for every key and item.

Numbers become `Decimal` straight from their text (23312.50 keeps both places; no float ever
exists), duplicate keys are an error, and `Lines` answers "which line holds this field?"
for a pydantic error location.

What a document may cost is bounded (`formats/limits.py`): its length, its nesting depth and
the number of nodes it expands to, aliases counted at every use, so 400 bytes of nested
aliases ("billion laughs") are refused with the line instead of taking minutes and gigabytes.
Numbers are at most 40 characters with an exponent within ±30.

Composing uses libyaml (`yaml.CSafeLoader`) when PyYAML has it: nodes keep their marks, so
every key still has its line, and scalars stay text until `_scalar` reads them. libyaml
itself stops nesting at 1,000 levels; `_build` refuses anything past `YAML_DEPTH`. A document
libyaml refuses is composed again by the pure-Python loader, which describes the problem (its
line, its Chinese message) exactly as before; the pure-Python loader is also the fallback
when PyYAML was built without libyaml.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol, cast

import yaml

from jixiao.core import collector
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.limits import (
    NUMBER_CHARS,
    NUMBER_EXPONENT,
    YAML_CHARS,
    YAML_DEPTH,
    YAML_NODES,
    number_text_ok,
)

Loc = tuple[str | int, ...]


class Lines:
    """Maps a location such as ('indicators', 0, 'weight') to its 1-based line."""

    def __init__(self) -> None:
        self._lines: dict[Loc, int] = {}

    def add(self, loc: Loc, line: int) -> None:
        self._lines.setdefault(loc, line)

    def line_of(self, loc: Loc) -> int | None:
        """The line of the deepest known prefix of ``loc`` (a missing field → its parent)."""
        for n in range(len(loc), -1, -1):
            line = self._lines.get(tuple(loc[:n]))
            if line is not None:
                return line
        return None


_STR = "tag:yaml.org,2002:str"
_FLOAT = "tag:yaml.org,2002:float"
_NUMBER_TAGS = (_FLOAT, "tag:yaml.org,2002:int")
_TOO_LONG = (f"数字过长或指数过大（最多 {NUMBER_CHARS.value} 个字符，"
             f"指数在 ±{NUMBER_EXPONENT.value} 以内）")


def _scalar(node: yaml.ScalarNode, loader: _Constructing) -> Any:
    plain = not node.style  # libyaml says '' for a plain scalar, PyYAML None
    if not plain and node.tag == _STR:
        return node.value  # quoted or block text: no resolver can make it anything else
    implicit = (plain, False)
    tag = loader.resolve(yaml.ScalarNode, node.value, implicit)
    if tag == _STR and node.tag == _STR:
        return node.value
    if plain and tag in _NUMBER_TAGS and not number_text_ok(node.value):
        raise _Bad(node, f"{_TOO_LONG}：{node.value[:40]}…")
    if plain and tag == _FLOAT:
        text = node.value.replace("_", "")
        try:
            value = Decimal(text)
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite():
            raise _Bad(node, f"不是有限的数字：{node.value}")
        return value
    try:
        return loader.construct_object(node)
    except (ValueError, OverflowError, ArithmeticError):
        if tag == "tag:yaml.org,2002:timestamp" or node.tag == "tag:yaml.org,2002:timestamp":
            raise _Bad(node, f"不是有效的日期：{node.value}（应为 2021-12-31 这样的日期）") \
                from None
        raise _Bad(node, f"无法读取的值：{node.value[:40]}") from None


class _Constructing(Protocol):
    """What `_scalar` needs of a loader: PyYAML's resolver and safe constructor."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str: ...

    def construct_object(self, node: yaml.Node) -> Any: ...


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than `YAML_DEPTH` while composing."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        try:
            if self.depth > YAML_DEPTH.value:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise _Bad(yaml.ScalarNode("", "", mark, mark), _too_deep())
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _too_deep() -> str:
    return f"嵌套层数过多（或别名引用了自身），超过{YAML_DEPTH.said()}"


class _Budget:
    """Nodes built so far, aliases counted at every use."""

    def __init__(self) -> None:
        self.nodes = 0


class _Bad(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        self.node = node
        self.message = message


def _build(
    node: yaml.Node, loc: Loc, lines: Lines, loader: _Constructing, budget: _Budget,
    depth: int = 0,
) -> Any:
    budget.nodes += 1
    if budget.nodes > YAML_NODES.value:
        raise _Bad(node, f"内容展开后过大（多半是别名 * 层层引用），超过{YAML_NODES.said()}")
    if depth > YAML_DEPTH.value:
        raise _Bad(node, _too_deep())
    lines._lines.setdefault(loc, node.start_mark.line + 1)  # `Lines.add`, inlined: a key's
    # line is its value's first line
    kind = type(node)
    if kind is yaml.ScalarNode:
        scalar = cast(yaml.ScalarNode, node)
        if scalar.style and scalar.tag == _STR:
            return scalar.value  # quoted or block text (the commonest scalar, said quickly)
        return _scalar(scalar, loader)
    if kind is yaml.MappingNode:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise _Bad(key_node, "键必须是简单文字")
            key = key_node.value
            if key == "<<":
                raise _Bad(key_node, "不支持 YAML 合并键 <<")
            if key in out:
                raise _Bad(key_node, f"键重复：{key}")
            out[key] = _build(value_node, (*loc, key), lines, loader, budget, depth + 1)
        return out
    assert kind is yaml.SequenceNode
    return [
        _build(item, (*loc, i), lines, loader, budget, depth + 1)
        for i, item in enumerate(node.value)
    ]


_RESOLVED: dict[str, str] = {}
_DEFAULT_TAGS: dict[type, str] = {
    yaml.SequenceNode: yaml.resolver.Resolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.Resolver.DEFAULT_MAPPING_TAG,
}


def _resolve_cached(self: Any, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
    """`Resolver.resolve`, said quickly: libyaml's composer asks it for every node. The safe
    resolver has no path resolvers, so a collection gets its default tag, a quoted or block
    scalar the string tag, and a plain scalar a tag that depends on its text alone
    (remembered for short texts: figures, years, names)."""
    if kind is not yaml.ScalarNode:
        return _DEFAULT_TAGS[kind]
    if not implicit[0]:
        return _STR
    tag = _RESOLVED.get(value)
    if tag is None:
        tag = cast(str, yaml.resolver.Resolver.resolve(  # type: ignore[no-untyped-call]
            self, kind, value, implicit))
        if len(value) <= 64 and len(_RESOLVED) < 50_000:
            _RESOLVED[value] = tag
    return tag


def _fast_loader() -> type | None:
    base: type | None = getattr(yaml, "CSafeLoader", None)
    if base is None or yaml.resolver.Resolver.yaml_path_resolvers:
        return None

    def no_path(self: Any, *args: Any) -> None:
        return None

    return type("_CLoader", (base,), {
        "resolve": _resolve_cached, "descend_resolver": no_path, "ascend_resolver": no_path,
    })


_CLoader = _fast_loader()


def _compose_fast(text: str) -> tuple[yaml.Node | None, _Constructing] | None:
    """Compose with libyaml; None when it is missing or refuses the text (the pure-Python
    loader then says why, with the line)."""
    if _CLoader is None:
        return None
    loader = _CLoader(text)
    try:
        return loader.get_single_node(), cast(_Constructing, loader)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return None
    finally:
        loader.dispose()


def load_yaml(text: str, file: str | None = None) -> tuple[Any, Lines]:
    """Parse one YAML document into plain data (Decimals for numbers) and its line map."""
    lines = Lines()
    if len(text) > YAML_CHARS.value:
        said = f"文件有 {len(text):,} 个字符，超过{YAML_CHARS.said()}"
        raise InputError([Problem(said, file=file)])
    with collector.paused():
        fast = _compose_fast(text)
        if fast is not None:
            node, constructing = fast
            if node is None:
                raise InputError([Problem("文件为空", file=file)])
            try:
                return _build(node, (), lines, constructing, _Budget()), lines
            except _Bad as bad:
                line = bad.node.start_mark.line + 1
                raise InputError([Problem(bad.message, file=file, line=line)]) from None
            except RecursionError:
                raise InputError([Problem(_too_deep(), file=file)]) from None
    return _load_slow(text, file, lines)



def _load_slow(text: str, file: str | None, lines: Lines) -> tuple[Any, Lines]:
    """The pure-Python loader: its composer refuses deep nesting as it reads."""
    loader: yaml.SafeLoader | None = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            raise InputError([Problem("文件为空", file=file)])
        data = _build(node, (), lines, cast(_Constructing, loader), _Budget())
    except _Bad as bad:
        line = bad.node.start_mark.line + 1
        raise InputError([Problem(bad.message, file=file, line=line)]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what = err.problem or err.context or "格式错误"
        raise InputError([Problem(f"YAML 格式错误：{what}", file=file, line=line)]) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        problem = Problem(f"含有不允许的控制字符 #x{err.character:04x}", file=file, line=line)
        raise InputError([problem]) from None
    except RecursionError:
        line = loader.get_mark().line + 1 if loader is not None else None
        raise InputError([Problem(_too_deep(), file=file, line=line)]) from None
    except (yaml.YAMLError, ValueError, TypeError) as err:
        raise InputError([Problem(f"YAML 格式错误：{err}", file=file)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines
