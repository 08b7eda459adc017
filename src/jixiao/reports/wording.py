"""The report's wording: Jinja2 sentence templates in ``templates/wording.zh.yaml``.

A finance office edits that file (or a copy, passed as ``templates_dir``) to change how the
report reads, without touching code. Templates receive text only: numbers are formatted by
`jixiao.reports.display` first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template, TemplateError

from jixiao.formats.errors import InputError, Problem

DEFAULT_DIR = Path(__file__).parent / "templates"
WORDING_FILE = "wording.zh.yaml"

# Folded YAML lines join with a space; between Chinese characters that space is not wanted.
_SPACE_NEAR_CJK = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")


def _tidy(text: str) -> str:
    return _SPACE_NEAR_CJK.sub("", text).strip()


@dataclass
class Wording:
    labels: dict[str, Any]
    sentences: dict[str, str]
    narrative_keys: dict[str, str]
    title_lines: tuple[str, ...]
    source: Path
    _env: Environment = field(
        default_factory=lambda: Environment(undefined=StrictUndefined, autoescape=False)
    )
    _compiled: dict[str, Template] = field(default_factory=dict)

    def say(self, key: str, **values: object) -> str:
        """The sentence ``key`` with ``values`` filled in."""
        template = self._compiled.get(key)
        if template is None:
            text = self.sentences.get(key)
            if text is None and self.source.parent != DEFAULT_DIR:
                # A wording file written for an earlier version: sentences added since then
                # come from the bundled wording.
                text = load_wording().sentences.get(key)
            if text is None:
                raise self._problem(f"缺少句子模板 sentences.{key}")
            try:
                template = self._env.from_string(str(text))
            except TemplateError as err:
                raise self._problem(f"sentences.{key} 的模板写法有误：{err}") from None
            self._compiled[key] = template
        try:
            return _tidy(template.render(**values))
        except TemplateError as err:
            raise self._problem(f"sentences.{key} 无法填入数据：{err}") from None

    def title(self, **values: object) -> tuple[str, ...]:
        """The title's lines (a long title is set on several lines, as a 公文 title is)."""
        return tuple(self._fill(line, "title_lines", values) for line in self.title_lines)

    def label(self, key: str, **values: object) -> str:
        value = self.labels.get(key)
        if value is None and self.source.parent != DEFAULT_DIR:
            value = load_wording().labels.get(key)  # added since the file was written
        if not isinstance(value, str):
            raise self._problem(f"缺少文字 labels.{key}")
        return self._fill(value, key, values)

    def labels_list(self, key: str, **values: object) -> tuple[str, ...]:
        value = self.labels.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._problem(f"labels.{key} 应为文字列表")
        return tuple(self._fill(v, key, values) for v in value)

    def mapping(self, key: str) -> dict[str, str]:
        value = self.labels.get(key)
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}

    def _fill(self, text: str, key: str, values: dict[str, object]) -> str:
        if "{" not in text:
            return text
        try:
            return _tidy(self._env.from_string(text).render(**values))
        except TemplateError as err:
            raise self._problem(f"labels.{key} 无法填入数据：{err}") from None

    def _problem(self, message: str) -> InputError:
        return InputError([Problem(message, file=str(self.source))])


def load_wording(templates_dir: Path | None = None) -> Wording:
    """Read ``wording.zh.yaml`` from ``templates_dir`` (default: the bundled templates)."""
    path = (templates_dir or DEFAULT_DIR) / WORDING_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError([Problem(f"无法读取措辞模板：{err.strerror}", file=str(path))]) from None
    except yaml.YAMLError as err:
        raise InputError([Problem(f"措辞模板不是有效的 YAML：{err}", file=str(path))]) from None
    if not isinstance(data, dict):
        raise InputError([Problem("措辞模板应为键值对", file=str(path))])
    sections = {}
    for name in ("labels", "sentences", "narrative_keys"):
        value = data.get(name) or {}
        if not isinstance(value, dict):
            raise InputError([Problem(f"{name} 应为键值对", file=str(path))])
        sections[name] = value
    lines = data.get("title_lines")
    if not isinstance(lines, list) or not lines or not all(isinstance(x, str) for x in lines):
        raise InputError([Problem("title_lines 应为标题各行的文字列表", file=str(path))])
    return Wording(
        labels=sections["labels"],
        title_lines=tuple(lines),
        sentences={str(k): str(v) for k, v in sections["sentences"].items()},
        narrative_keys={str(k): str(v) for k, v in sections["narrative_keys"].items()},
        source=path,
    )
