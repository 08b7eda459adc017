"""Messages as templates with named parameters, so a page can say them in its own language.

The core words its findings, scoring notes and input errors in Chinese. A `Phrase` keeps the
Chinese template ("{what}：应为 {expected}，实为 {actual}") apart from its parameters: figures
already formatted as text, names from the dossier (data, never translated), or further
phrases (a unit, a level, a described figure). ``str(phrase)`` is the Chinese that the CLI,
the reports and the JSON print; an entry point with a catalogue renders it translated with
``phrase.render(translate)``, where ``translate(template, context)`` looks the template (and
each nested one) up, so the English keeps the same placeholders and the same figures.

A word of a fixed vocabulary (a qualitative level, an agreement level, a unit) is a phrase
without parameters; ``context`` keeps it apart from the same word elsewhere in a catalogue
(达成 the level, 分 the unit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from string import Formatter

Translate = Callable[[str, str | None], str]


class Phrase:
    """A Chinese template with named parameters; ``str()`` renders the Chinese."""

    __slots__ = ("context", "params", "template")

    template: str
    params: tuple[tuple[str, str | Phrase], ...]
    context: str | None

    def __init__(self, template: str, /, *, context: str | None = None,
                 **params: str | Phrase) -> None:
        _set_template(self, template)
        _set_params(self, tuple(params.items()))
        _set_context(self, context)

    @classmethod
    def of(cls, template: str, params: Mapping[str, str | Phrase],
           context: str | None = None) -> Phrase:
        """A phrase whose parameters come as a mapping."""
        made = object.__new__(cls)
        _set_template(made, template)
        _set_params(made, tuple(params.items()))
        _set_context(made, context)
        return made

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a Phrase is immutable")

    def __reduce__(self) -> tuple[object, ...]:
        return (_restore, (self.template, self.params, self.context))

    def __eq__(self, other: object) -> bool:
        """A phrase is equal to its Chinese (and to any phrase saying the same), so code that
        compared messages as text compares them alike."""
        if isinstance(other, Phrase | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Phrase({self.template!r}, {dict(self.params)!r})"

    def __str__(self) -> str:
        return self.render()

    def render(self, translate: Translate | None = None) -> str:
        """The phrase in words: Chinese without ``translate``; else each template (this
        one and every nested one) as ``translate`` gives it, the parameters filled in. A
        translation whose placeholders do not fit falls back to the Chinese template."""
        template = self.template if translate is None else translate(self.template, self.context)
        if not self.params:
            return template
        values = {name: value.render(translate) if isinstance(value, Phrase) else str(value)
                  for name, value in self.params}
        try:
            return template.format_map(values)
        except (KeyError, IndexError, ValueError):
            return self.template.format_map(values)

    def walk(self) -> Iterator[Phrase]:
        """This phrase and every phrase among its parameters, depth first."""
        yield self
        for _, value in self.params:
            if isinstance(value, Phrase):
                yield from value.walk()


# The slots' own setters (a phrase refuses `setattr`): cheaper than `object.__setattr__`,
# and a core evaluation makes a phrase for every word of every finding.
_set_template = vars(Phrase)["template"].__set__
_set_params = vars(Phrase)["params"].__set__
_set_context = vars(Phrase)["context"].__set__


class Said(tuple[str, dict[str, "str | Phrase | Said | Callable[[], str | Phrase]"]]):
    """A phrase not made yet: ``Said((template, params))``, made by ``phrase()`` only where
    it is shown (a check that passes never shows what it compared, and a tuple is several
    times cheaper than a `Phrase`). A parameter may be a phrase, another `Said`, or a call
    without arguments that makes one (``functools.partial(word, unit, "unit")``). Equal to
    its Chinese, as a phrase is."""

    __slots__ = ()

    def phrase(self) -> Phrase:
        """The phrase, its lazy parameters made too."""
        made: dict[str, str | Phrase] = {}
        for name, value in self[1].items():
            if isinstance(value, Said):
                made[name] = value.phrase()
            elif isinstance(value, (str, Phrase)):  # a tuple: quicker than str | Phrase
                made[name] = value
            else:
                made[name] = value()
        return Phrase.of(self[0], made)

    def __str__(self) -> str:
        return str(self.phrase())

    def __repr__(self) -> str:
        return repr(self.phrase())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Said | Phrase | str):
            return str(self) == str(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(str(self))


def made(message: str | Phrase | Said) -> str | Phrase:
    """A message as text or a phrase: a `Said` is made into its phrase."""
    return message.phrase() if isinstance(message, Said) else message


def _restore(template: str, params: tuple[tuple[str, str | Phrase], ...],
             context: str | None) -> Phrase:
    return Phrase.of(template, dict(params), context)


def placeholders(template: str) -> set[str]:
    """The named placeholders of a template ("{what}：应为 {expected}" → {what, expected})."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def template(text: str) -> str:
    """Marks a template chosen before it becomes a phrase (``Phrase(chosen, ...)``), so the
    scan of the core's templates (the catalogue test) finds it; returns it unchanged."""
    return text


def word(text: str, context: str | None = None) -> Phrase:
    """A word of a fixed vocabulary (translated where a catalogue knows it)."""
    return Phrase(text, context=context)


def say(message: str | Phrase, translate: Translate | None = None) -> str:
    """A message that may or may not be a phrase, in words."""
    return message.render(translate) if isinstance(message, Phrase) else message
