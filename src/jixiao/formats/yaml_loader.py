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

Most documents are valid, so a line is rarely needed: with libyaml the data is built without
noting any line (`_quick`), and `Lines` draws up its map from the text only when asked, i.e.
when a problem has to name a line. Anything the quick walk refuses (a duplicate key, too
deep, too many nodes, a number too long …) is read again by the careful walk (`_build`),
which says what is wrong and where exactly as it always has.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol, cast

import yaml

from jixiao.core import collector
from jixiao.core.phrases import Phrase
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
    """Maps a location such as ('indicators', 0, 'weight') to its 1-based line.

    Built from YAML ``text``, the map is drawn up on first use (the text composed again, each
    key's line noted): a document without problems never pays for it.
    """

    def __init__(self, text: str | None = None) -> None:
        self._known: dict[Loc, int] | None = {} if text is None else None
        self._text = text

    @property
    def _lines(self) -> dict[Loc, int]:
        known = self._known
        if known is None:
            known = self._known = _line_map(self._text or "")
            self._text = None
        return known

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
    except yaml.constructor.ConstructorError:
        raise _Bad(node, f"不支持的 YAML 标签：{node.tag}") from None
    except (ValueError, OverflowError, ArithmeticError, LookupError, AttributeError, TypeError):
        # an explicit tag on text that is not of its kind (!!int "", !!bool x) included
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
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], loader: _Constructing, budget: _Budget,
    depth: int = 0,
) -> Any:
    budget.nodes += 1
    if budget.nodes > YAML_NODES.value:
        raise _Bad(node, f"内容展开后过大（多半是别名 * 层层引用），超过{YAML_NODES.said()}")
    if depth > YAML_DEPTH.value:
        raise _Bad(node, _too_deep())
    lines.setdefault(loc, node.start_mark.line + 1)  # `Lines.add`, inlined: a key's line is
    # its value's first line
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


class _Refused(Exception):
    """The quick walk met something only the careful walk may describe."""


_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_BOOLS: dict[str, bool] = dict(yaml.constructor.SafeConstructor.bool_values)
_SCALAR = yaml.ScalarNode
_SCALAR_EVENT, _MAPPING_START = yaml.ScalarEvent, yaml.MappingStartEvent
_SEQUENCE_START, _MAPPING_END = yaml.SequenceStartEvent, yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent


def _quick_scalar(event: Any, loader: _Constructing) -> Any:
    """What the composer and `_scalar` make of an untagged scalar without an anchor, the
    common kinds said without PyYAML's constructor."""
    if event.tag is not None or event.anchor is not None:
        raise _Refused  # an explicit tag or an anchor: the careful reader
    text = event.value
    if event.style:  # quoted or block: always text
        return text
    tag = _RESOLVED.get(text) or loader.resolve(_SCALAR, text, (True, False))
    if tag == _STR:
        return text
    if tag == _FLOAT:
        if not number_text_ok(text):
            raise _Refused
        try:
            value = Decimal(text.replace("_", ""))
        except ArithmeticError:
            raise _Refused from None
        if not value.is_finite():
            raise _Refused
        return value
    if tag == _INT and text.isdigit() and text.isascii() and (text[0] != "0" or text == "0"):
        if len(text) > NUMBER_CHARS.value:
            raise _Refused
        return int(text)  # plain digits: PyYAML reads 0x…, 0o…, 0…, 1:30 and _ otherwise
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOLS[text.lower()]
    node = _SCALAR(tag, text, event.start_mark, event.end_mark, event.style)
    return _scalar(node, loader)  # dates and the rare kinds, as the careful reader says them


def _quick(
    get: Callable[[], Any], start: Any, loader: _Constructing, budget: list[int], depth: int,
) -> Any:
    """One collection from libyaml's events, without a line for anything: the same data as
    composing and `_build`, or `_Refused` wherever they would refuse or an alias, an anchor
    or a tag asks for the composer. Nodes are counted per collection, to `_build`'s total
    (every value and item; no alias can repeat one here)."""
    if start.anchor is not None or depth > budget[2]:
        raise _Refused
    out: Any
    if type(start) is _MAPPING_START:
        out = {}
        while True:
            key_event = get()
            if type(key_event) is not _SCALAR_EVENT:
                if type(key_event) is _MAPPING_END:
                    break
                raise _Refused  # a key that is not simple text
            key = key_event.value
            if key == "<<" or key in out or key_event.anchor is not None:
                raise _Refused
            event = get()
            kind = type(event)
            if kind is _SCALAR_EVENT:
                text = event.value
                if event.tag is None and event.anchor is None and (
                        event.style or _RESOLVED.get(text) == _STR):
                    out[key] = text  # text, plain or quoted: the commonest value
                else:
                    out[key] = _quick_scalar(event, loader)
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                out[key] = _quick(get, event, loader, budget, depth + 1)
            else:
                raise _Refused  # an alias
    else:
        out = []
        while True:
            event = get()
            kind = type(event)
            if kind is _SCALAR_EVENT:
                text = event.value
                if event.tag is None and event.anchor is None and (
                        event.style or _RESOLVED.get(text) == _STR):
                    out.append(text)
                else:
                    out.append(_quick_scalar(event, loader))
            elif kind is _SEQUENCE_END:
                break
            elif kind is _MAPPING_START or kind is _SEQUENCE_START:
                out.append(_quick(get, event, loader, budget, depth + 1))
            else:
                raise _Refused
    if out and depth >= budget[2]:
        raise _Refused  # its items are nested too deep
    budget[0] += len(out)
    if budget[0] > budget[1]:
        raise _Refused
    return out


_EMPTY = object()


def _read_quick(text: str) -> Any:
    """The document's data from libyaml's events, without composing PyYAML nodes or noting
    lines; `_EMPTY` for an empty document; `_Refused` when anything needs the careful reader
    (which composes, and says what is wrong and where)."""
    assert _CLoader is not None
    loader = _CLoader(text)
    constructing = cast(_Constructing, loader)
    try:
        get = loader.get_event
        get()  # the stream's start
        if type(get()) is yaml.StreamEndEvent:
            return _EMPTY
        root = get()
        budget = [1, YAML_NODES.value, YAML_DEPTH.value]
        if type(root) is _SCALAR_EVENT:
            data = _quick_scalar(root, constructing)
        elif type(root) is _MAPPING_START or type(root) is _SEQUENCE_START:
            data = _quick(get, root, constructing, budget, 0)
        else:
            raise _Refused
        get()  # the document's end
        if type(get()) is not yaml.StreamEndEvent:
            raise _Refused  # more than one document
        return data
    except (_Bad, yaml.YAMLError, ValueError, TypeError, RecursionError, ArithmeticError,
            OverflowError):
        raise _Refused from None
    finally:
        loader.dispose()


def _line_map(text: str) -> dict[Loc, int]:
    """Each location's line, for a text `load_yaml` has already read without them."""
    lines: dict[Loc, int] = {}
    with collector.paused():
        fast = _compose_fast(text)
        loader: yaml.SafeLoader | None = None
        try:
            if fast is None:
                loader = _Loader(text)
                fast = loader.get_single_node(), cast(_Constructing, loader)
            node, constructing = fast
            if node is not None:
                _build(node, (), lines, constructing, _Budget())
        except (_Bad, yaml.YAMLError, ValueError, TypeError, RecursionError):
            pass  # not for a text that was read: the lines found so far
        finally:
            if loader is not None:
                loader.dispose()
    return lines


def load_yaml(text: str, file: str | None = None) -> tuple[Any, Lines]:
    """Parse one YAML document into plain data (Decimals for numbers) and its line map."""
    if len(text) > YAML_CHARS.value:
        said = f"文件有 {len(text):,} 个字符，超过{YAML_CHARS.said()}"
        raise InputError([Problem(said, file=file)])
    if _CLoader is not None:
        try:
            with collector.paused():
                data = _read_quick(text)
        except _Refused:
            pass  # the careful reader says why, with the line
        else:
            if data is _EMPTY:
                raise InputError([Problem("文件为空", file=file)])
            return data, Lines(text)
    return _load_careful(text, file)


def _load_careful(text: str, file: str | None) -> tuple[Any, Lines]:
    """Every key's line noted as the data is built; what is refused is said with its line."""
    lines = Lines()
    with collector.paused():
        fast = _compose_fast(text)
        if fast is not None:
            node, constructing = fast
            if node is None:
                raise InputError([Problem("文件为空", file=file)])
            try:
                return _build(node, (), lines._lines, constructing, _Budget()), lines
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
        data = _build(node, (), lines._lines, cast(_Constructing, loader), _Budget())
    except _Bad as bad:
        line = bad.node.start_mark.line + 1
        raise InputError([Problem(bad.message, file=file, line=line)]) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        what: str | Phrase = err.problem or err.context or Phrase("格式错误")
        said = Phrase("YAML 格式错误：{error}", error=what)  # a page says it in its language
        raise InputError([Problem(str(said), file=file, line=line, phrase=said)]) from None
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        problem = Problem(f"含有不允许的控制字符 #x{err.character:04x}", file=file, line=line)
        raise InputError([problem]) from None
    except RecursionError:
        line = loader.get_mark().line + 1 if loader is not None else None
        raise InputError([Problem(_too_deep(), file=file, line=line)]) from None
    except (yaml.YAMLError, ValueError, TypeError) as err:
        said = Phrase("YAML 格式错误：{error}", error=str(err))
        raise InputError([Problem(str(said), file=file, phrase=said)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines
