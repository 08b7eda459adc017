"""The one error type every input adapter raises: where, what was wrong, what was expected."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from jixiao.core.phrases import Phrase


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: file, line (or sheet/cell), field, message; ``phrase``
    is the message as a template with named parameters, where the reader worded it so (a
    page says it in its own language)."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    # (``dataclasses.field``: the name ``field`` is taken by the attribute above)
    phrase: Phrase | None = dataclasses.field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = self.file or "<输入>"
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


@dataclass
class InputError(Exception):
    """An input that cannot be used. Carries every problem found, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)
