"""An Evaluation as the JSON contract of `jixiao evaluate --json` and of the web API
(documented in the README; the schema is `EvaluationOut`).

Numbers are decimal strings, exact and rounded half-up where a display precision applies,
so no float ever carries money or scores. ``total`` holds the engine's recomputed figures
beside the stated ones; ``shown`` holds the figures a report, the 自评表 and the web pages show
(`jixiao.core.shown`: stated where stated, else derived from the shown parts). Each finding
gives its ``where`` (a path into the dossier, which programs rely on) and its ``place`` (the
same location in the dossier's own names, `jixiao.core.locations`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.core import shown
from jixiao.core.checks import Finding
from jixiao.core.evaluation import Evaluation
from jixiao.core.locations import Locator
from jixiao.core.numbers import fmt, fmt_natural
from jixiao.core.scoring import IndicatorScore

CONTRACT_VERSION = 1

DecimalText = str  # a decimal number as text: "99.70", never a float


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class FindingOut(_Out):
    rule: str = Field(description="规则编号，如 weights.children_sum")
    severity: Literal["error", "warning", "info"]
    where: str = Field(description="在档案中的位置")
    expected: DecimalText | None
    actual: DecimalText | None
    message: str


class EvaluationFindingOut(FindingOut):
    """A finding of an evaluation: ``where`` (the path programs rely on) and ``place``, the
    same location in the dossier's own names (`jixiao.core.locations.locate`)."""

    place: str = Field(description="位置（档案中的名称），如 贵州省 · 分用途支出 · 产业帮扶")


class IndicatorOut(_Out):
    path: str
    name: str
    level: int
    weight: DecimalText
    score: DecimalText | None = Field(description="计算得分（2 位小数）")
    stated_score: DecimalText | None = Field(description="所列得分")
    shown_score: DecimalText = Field(description="展示得分：所列得分，否则计算得分")
    rate: DecimalText | None = Field(description="计算得分率 %")
    stated_rate: DecimalText | None
    shown_rate: DecimalText | None = Field(description="展示得分的得分率 %")
    method: str | None
    applicable: bool
    effective_weight: DecimalText
    completion: DecimalText | None = Field(description="完成率 %（方向敏感）或执行率 %")
    reverse_convention: str | None
    notes: list[str]


class FundOut(_Out):
    name: str
    year: int
    budget_unit: str
    base_date: str | None
    money_unit: str


class TemplateOut(_Out):
    id: str
    name: str


class TotalOut(_Out):
    weight: DecimalText
    score: DecimalText | None = Field(description="计算总得分")
    stated_score: DecimalText | None
    rate: DecimalText | None
    grade: str = Field(description="计算等级")
    stated_grade: str | None
    rescaled: bool
    base_score: DecimalText | None = Field(None, description="加分、减分前的总得分")
    bonus: DecimalText | None = Field(None, description="加分（按上限计）")
    penalty: DecimalText | None = Field(None, description="减分（按上限计）")
    veto_grade: str | None = Field(None, description="一票否决时的等级")


class ShownOut(_Out):
    score: DecimalText = Field(description="展示总得分：所列总得分，否则一级指标展示得分之和")
    score_stated: bool
    rate: DecimalText | None
    grade: str = Field(description="展示等级：所列等级，否则展示总得分对应的等级")
    grade_stated: bool


class ConventionsOut(_Out):
    reverse: str | None
    equal: str
    explain_over: DecimalText | None


class SummaryOut(_Out):
    error: int
    warning: int
    info: int


class EvaluationOut(_Out):
    version: int
    fund: FundOut
    template: TemplateOut
    total: TotalOut
    shown: ShownOut
    conventions: ConventionsOut
    indicators: list[IndicatorOut]
    findings: list[EvaluationFindingOut]
    summary: SummaryOut


def _num(value: Decimal | None, n_places: int = 2) -> str | None:
    return None if value is None else fmt(value, n_places)


def _value(value: Decimal | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    exponent = value.as_tuple().exponent
    short = isinstance(exponent, int) and abs(exponent) <= 6
    return fmt_natural(value) if short else fmt(value, 6)


def _shown(figure: shown.Shown) -> str:
    return fmt_natural(figure.value) if figure.stated else fmt(figure.value)


def finding_out(f: Finding) -> FindingOut:
    return FindingOut(
        rule=f.rule, severity=f.severity, where=f.where,
        expected=_value(f.expected), actual=_value(f.actual), message=f.message,
    )


def _evaluation_finding(f: Finding, locate: Locator) -> EvaluationFindingOut:
    return EvaluationFindingOut(**finding_out(f).model_dump(), place=locate(f.where, f.rule))


def finding_dict(f: Finding) -> dict[str, Any]:
    return finding_out(f).model_dump(mode="json")


def _indicator(node: IndicatorScore) -> IndicatorOut:
    return IndicatorOut(
        path=node.path, name=node.name, level=node.level,
        weight=fmt_natural(node.weight), score=_num(node.score),
        stated_score=_value(node.stated_score), shown_score=_shown(shown.score(node)),
        rate=_num(node.rate), stated_rate=_value(node.stated_rate),
        shown_rate=_num(shown.score_rate(node)), method=node.method,
        applicable=node.applicable, effective_weight=fmt_natural(node.effective_weight),
        completion=_num(node.completion),
        reverse_convention=node.source.reverse_convention if node.source else None,
        notes=list(node.notes),
    )


def evaluation_out(ev: Evaluation) -> EvaluationOut:
    d = ev.dossier
    card = ev.scorecard
    locate = Locator(d)
    total, grade = shown.total(ev), shown.grade(ev)
    return EvaluationOut(
        version=CONTRACT_VERSION,
        fund=FundOut(
            name=d.fund.name, year=d.fund.year, budget_unit=d.fund.budget_unit,
            base_date=d.fund.base_date.isoformat() if d.fund.base_date else None,
            money_unit=d.fund.money_unit,
        ),
        template=TemplateOut(id=card.template.id, name=card.template.name),
        total=TotalOut(
            weight=fmt_natural(card.template.total), score=_num(card.score),
            stated_score=_value(d.evaluation.stated_total), rate=_num(card.rate),
            grade=card.grade, stated_grade=d.evaluation.stated_grade, rescaled=card.rescaled,
            base_score=_num(card.base_score), bonus=_num(card.bonus) if card.bonus else None,
            penalty=_num(card.penalty) if card.penalty else None, veto_grade=card.veto_grade,
        ),
        shown=ShownOut(
            score=_shown(total), score_stated=total.stated, rate=_num(shown.total_rate(ev)),
            grade=grade.grade, grade_stated=grade.stated,
        ),
        conventions=ConventionsOut(
            reverse=d.scoring.reverse, equal=d.scoring.equal,
            explain_over=_value(d.scoring.explain_over),
        ),
        indicators=[_indicator(n) for n in card.walk()],
        findings=[_evaluation_finding(f, locate) for f in ev.findings],
        summary=SummaryOut(
            error=ev.count("error"), warning=ev.count("warning"), info=ev.count("info")
        ),
    )


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    """The contract as plain JSON data (what `jixiao evaluate --json` prints)."""
    return evaluation_out(ev).model_dump(mode="json")
