"""A tiny, safe arithmetic language for validation rules written in a dossier.

    {spending.guizhou-use.by_use} - {spending.guizhou-use.sources}
    ({plan_actual.cadres.actual} / {plan_actual.cadres.plan}) * 100

Numbers, ``{fact}`` references, + - * / and parentheses. Parsed by hand into a tree and
evaluated over Decimals: nothing is ever passed to Python's ``eval``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from jixiao.core.phrases import Phrase

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|\{([^{}]+)\}|([-+*/()]))")


class ExpressionError(ValueError):
    """A rule expression that cannot be parsed or evaluated.

    Raised with a `Phrase`, so ``str()`` is the Chinese and a page can say it in its language.
    """


@dataclass(frozen=True)
class Num:
    value: Decimal


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Neg:
    operand: Expr


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Expr
    right: Expr


Expr = Num | Ref | Neg | BinOp


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExpressionError(Phrase("无法识别第 {position} 个字符起的内容：{text}",
                                         position=str(pos + 1),
                                         text=repr(text[pos:pos + 10])))
        number, ref, op = m.groups()
        if number is not None:
            out.append(("num", number))
        elif ref is not None:
            out.append(("ref", ref.strip()))
        else:
            out.append(("op", op))
        pos = m.end()
    return out


def parse(text: str) -> Expr:
    """Parse an expression; raises ExpressionError with a Chinese message."""
    tokens = _tokens(text)
    if not tokens:
        raise ExpressionError(Phrase("表达式为空"))
    pos = 0

    def peek() -> tuple[str, str] | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> tuple[str, str]:
        nonlocal pos
        token = tokens[pos]
        pos += 1
        return token

    def expr() -> Expr:
        node = term()
        while (t := peek()) is not None and t[1] in "+-" and t[0] == "op":
            node = BinOp(take()[1], node, term())
        return node

    def term() -> Expr:
        node = unary()
        while (t := peek()) is not None and t[1] in "*/" and t[0] == "op":
            node = BinOp(take()[1], node, unary())
        return node

    def unary() -> Expr:
        t = peek()
        if t == ("op", "-"):
            take()
            return Neg(unary())
        return atom()

    def atom() -> Expr:
        t = peek()
        if t is None:
            raise ExpressionError(Phrase("表达式不完整"))
        kind, value = take()
        if kind == "num":
            return Num(Decimal(value))
        if kind == "ref":
            return Ref(value)
        if value == "(":
            node = expr()
            if peek() != ("op", ")"):
                raise ExpressionError(Phrase("缺少右括号 )"))
            take()
            return node
        raise ExpressionError(Phrase("此处不应出现 {token}", token=repr(value)))

    try:
        node = expr()
    except RecursionError:
        raise ExpressionError(Phrase("括号嵌套过深")) from None
    if pos != len(tokens):
        raise ExpressionError(Phrase("多余的内容：{token}", token=repr(tokens[pos][1])))
    return node


def references(node: Expr) -> set[str]:
    if isinstance(node, Ref):
        return {node.name}
    if isinstance(node, Neg):
        return references(node.operand)
    if isinstance(node, BinOp):
        return references(node.left) | references(node.right)
    return set()


def literals(node: Expr) -> list[Decimal]:
    """The numbers written in an expression."""
    if isinstance(node, Num):
        return [node.value]
    if isinstance(node, Neg):
        return literals(node.operand)
    if isinstance(node, BinOp):
        return literals(node.left) + literals(node.right)
    return []


def evaluate(node: Expr, facts: Mapping[str, Decimal | None], missing_as_zero: bool = False
             ) -> Decimal | None:
    """Value of ``node``; None when a fact is missing (unless missing counts as zero)."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        if node.name not in facts:
            raise ExpressionError(Phrase("未知的数据项 {name}", name=f"{{{node.name}}}"))
        value = facts[node.name]
        return Decimal(0) if value is None and missing_as_zero else value
    if isinstance(node, Neg):
        inner = evaluate(node.operand, facts, missing_as_zero)
        return None if inner is None else -inner
    left = evaluate(node.left, facts, missing_as_zero)
    right = evaluate(node.right, facts, missing_as_zero)
    if left is None or right is None:
        return None
    try:
        if node.op == "+":
            return left + right
        if node.op == "-":
            return left - right
        if node.op == "*":
            return left * right
        return left / right
    except (DivisionByZero, InvalidOperation, ArithmeticError):
        return None
