"""The fund dossier: one fund-year as data.

A dossier holds what a self-evaluation report *states*: figures, tables, the indicator tree
with its weights and stated scores, problems and improvement measures. Nothing here computes;
`scoring` and `checks` derive from it. Fields named ``stated_*`` are what the report claims and
are compared with computed values, never used in their place.

The models are pydantic (validation, JSON Schema), which is a library, not a file format:
the YAML and Excel adapters in `jixiao.formats` turn files into these objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from jixiao.core.allocation import AllocationSpec, allocation_phrases
from jixiao.core.fields import (
    MoneyUnit,
    NonNegative,
    Number,
    NumberBesideBool,
    Text,
    bounded,
    decimal_input,
)
from jixiao.core.numbers import to_decimal
from jixiao.core.phrases import Phrase, word


def _percent(value: object) -> object:
    """Accept "97.74%" or 97.74 (both meaning 97.74 percent)."""
    value = decimal_input(value)
    if isinstance(value, str):
        text = value.strip().removesuffix("%").removesuffix("％")
        parsed = to_decimal(text)
        if parsed is None:
            raise ValueError(Phrase("应为百分数（如 97.74%），而不是 {value}", value=repr(value)))
        return parsed
    return value


Amount = Annotated[NonNegative, Field(description="金额（以 fund.money_unit 计），不能为负")]
Weight = Annotated[Number, Field(ge=0, description="分值")]
def _percent_number(value: object, handler: ValidatorFunctionWrapHandler) -> Decimal:
    """`_percent`, pydantic's finite Decimal and `bounded` in one call (as `fields.number`)."""
    if type(value) is Decimal and value.is_finite():
        return bounded(value)
    converted: Decimal = handler(_percent(value))
    return bounded(converted)


Percent = Annotated[
    Decimal,
    Field(allow_inf_nan=False),
    WrapValidator(_percent_number),
    Field(description="百分数：97.74% 或 97.74"),
]
Id = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[^\s/]+$", description="标识，不含空格和 /"),
]

Direction = Literal[">=", "<=", "="]
Method = Literal[
    "quantitative", "qualitative", "deduction", "manual", "execution", "stepped", "range"
]
QualitativeLevel = Literal["达成", "部分达成", "未达成"]
RecipientKind = Literal["province", "city", "county", "township", "work_team", "unit"]
Severity = Literal["error", "warning", "info"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Fund(Model):
    """The fund-year itself."""

    name: Text = Field(description="资金名称")
    budget_unit: Text = Field(description="预算单位")
    year: int = Field(ge=1949, le=2200, description="资金年度")
    base_date: dt.date | None = Field(None, description="评价基准日")
    department: str | None = Field(None, description="主管部门")
    implementer: str | None = Field(None, description="实施单位")
    legal_basis: list[Text] = Field(default_factory=list, description="依据文件")
    money_unit: MoneyUnit = Field("万元", description="本档案金额单位")


class StatedTotals(Model):
    """Totals a report states for a group of recipients (e.g. a row of 表1-1)."""

    counties: int | None = Field(None, ge=0, description="帮扶县数（个）")
    agreements: Amount | None = Field(None, description="援助资金协议数")
    level: str | None = Field(None, description="所列协议数只计该层级（如 省级）；缺省计全部")
    arrivals: Amount | None = Field(None, description="所列到位资金（应等于下级到位之和）")
    spending: Amount | None = Field(None, description="所列支出合计（应等于下级支出之和）")
    counts: dict[RecipientKind, Annotated[int, Field(ge=0)]] = Field(
        default_factory=dict, description="所列各类下级个数，如 {township: 12}"
    )


class Recipient(Model):
    """A node of the recipient tree: receiving province → helping city → county; work teams."""

    id: Id
    name: Text
    kind: RecipientKind
    attributes: dict[str, bool | str | NumberBesideBool] = Field(
        default_factory=dict, description="如 国家乡村振兴重点帮扶县: true"
    )
    stated: StatedTotals | None = None
    children: list[Recipient] = Field(default_factory=list)


class Agreement(Model):
    """协议数: money agreed for a recipient, by the level of government that bears it."""

    recipient: Id
    level: Literal["中央", "省级", "市级", "县级", "其他"]
    amount: Amount
    purpose: str | None = Field(None, description="如 协作资金、工作经费")


class Arrival(Model):
    """到位: money that reached a recipient."""

    recipient: Id
    amount: Amount
    date: dt.date | None = None
    document: str | None = Field(None, description="拨付文件")


class BudgetRow(Model):
    """A 其中 row of 项目资金: 当年财政拨款, 上年结转资金, 其他资金."""

    item: Text
    initial: Amount | None = Field(None, description="年初预算数")
    annual: Amount | None = Field(None, description="全年预算数")
    executed: Amount | None = Field(None, description="全年执行数")


class Budget(Model):
    """项目资金 and its execution (预算执行)."""

    level: str | None = Field(None, description="本预算对应的协议层级，如 省级；据此核对协议数合计")
    initial: Amount | None = Field(None, description="年初预算数")
    annual: Amount = Field(description="全年预算数")
    arrived: Amount | None = Field(None, description="到位数")
    executed: Amount = Field(description="全年执行数（支出数）")
    basis: Literal["annual", "arrived"] = Field(
        "annual", description="执行率的分母：annual=全年预算数，arrived=到位数"
    )
    stated_execution_rate: Percent | None = Field(None, description="报告所列执行率/支出率")
    stated_arrival_rate: Percent | None = Field(None, description="报告所列到位率")
    rows: list[BudgetRow] = Field(default_factory=list, description="其中各行")


class SourceLine(Model):
    label: Text
    amount: Amount
    level: str | None = None


class UseLine(Model):
    category: Text = Field(description="用途，如 产业帮扶")
    amount: Amount


class Spending(Model):
    """Spending of one recipient by use category, against the money it draws on."""

    id: Id
    recipient: Id
    sources: list[SourceLine] = Field(default_factory=list, description="资金来源")
    stated_total: Amount | None = Field(None, description="报告所列支出合计")
    carried_over: Amount | None = Field(
        None, description="结转（结余）资金；资金来源合计 = 支出合计 + 结转"
    )
    project_count: int | None = Field(None, ge=0, description="项目个数")
    by_use: list[UseLine] = Field(default_factory=list, description="分用途支出")


class PlanActual(Model):
    """A plan-vs-actual measure (挂职干部 计划 246 → 实际 381)."""

    id: Id
    name: Text
    unit: str | None = None
    plan: Annotated[Number, Field(gt=0)]
    actual: NonNegative
    stated_rate: Percent | None = Field(None, description="报告所列完成率")


class Part(Model):
    label: Text
    value: Number


class Figure(Model):
    """A stated figure with its unit, optionally its parts, its listed items, or the same
    quantity stated elsewhere in another unit."""

    id: Id
    label: Text
    value: Number
    unit: Text
    same_as: Id | None = Field(None, description="同一数量在别处的表述（换算核对）")
    parts: list[Part] = Field(default_factory=list, description="其中各项（与 value 同单位）")
    items: list[Text] = Field(default_factory=list, description="列举的事项（个数应等于 value）")


class Deduction(Model):
    points: Annotated[Number, Field(gt=0)] = Field(description="扣分")
    reason: Text
    problem: Id | None = Field(None, description="对应的问题编号")


class UnitDeduction(Model):
    """每偏离 ``per`` 个单位扣 ``points`` 分 (三公经费变动率≤0，每超过一个百分点扣0.5分)."""

    points: Annotated[Number, Field(gt=0)] = Field(description="每单位扣分")
    per: Annotated[Number, Field(gt=0)] = Field(Decimal(1), description="单位大小，缺省 1")
    count: Literal["exact", "whole", "started"] = Field(
        "exact",
        description="偏离量折算单位数：exact=按比例；whole=满一个单位才扣；started=不足一个单位按一个",
    )
    cap: Annotated[Number, Field(gt=0)] | None = Field(None, description="最多扣分")


def _one_or_many(value: object) -> object:
    """One mapping or a list of them."""
    return [value] if isinstance(value, dict) else value


class Step(Model):
    """One step of a stepped (分段) rule: the score when every stated bound holds, as points
    (``score``) or as a share of the weight (``rate``: 得分率 %)."""

    score: Annotated[Number, Field(ge=0)] | None = Field(None, description="该档得分")
    rate: Percent | None = Field(None, description="该档得分率（分值的百分之几），与 score 二选一")
    at_least: Number | None = Field(None, description="下限（含）")
    above: Number | None = Field(None, description="下限（不含）")
    at_most: Number | None = Field(None, description="上限（含）")
    below: Number | None = Field(None, description="上限（不含）")

    @model_validator(mode="after")
    def _one_score(self) -> Step:
        if (self.score is None) == (self.rate is None):
            raise ValueError(Phrase("每档须给出 score（得分）或 rate（得分率）之一"))
        if self.rate is not None and not 0 <= self.rate <= 100:
            raise ValueError(Phrase("每档得分率应在 0% 到 100% 之间"))
        return self

    def points(self, weight: Decimal) -> Decimal:
        """The step's score on a weight."""
        return self.score if self.score is not None else weight * (self.rate or 0) / 100

    def holds(self, value: Decimal) -> bool:
        return (
            (self.at_least is None or value >= self.at_least)
            and (self.above is None or value > self.above)
            and (self.at_most is None or value <= self.at_most)
            and (self.below is None or value < self.below)
        )


class Survey(Model):
    """满意度调查：满意人数 / 有效问卷 → 满意度（%）."""

    satisfied: Annotated[int, Field(ge=0)] = Field(description="满意（含基本满意）人数")
    valid: Annotated[int, Field(gt=0)] = Field(description="有效问卷数")

    @property
    def rate(self) -> Decimal:
        return Decimal(self.satisfied) * 100 / Decimal(self.valid)


class PerOccurrence(Model):
    """每出现一例扣 ``points`` 分."""

    points: Annotated[Number, Field(gt=0)] = Field(description="每例扣分")
    count: Annotated[int, Field(ge=0)] = Field(description="出现例数")


class Indicator(Model):
    """A node of the indicator tree. Leaves carry a scoring method; parents roll up."""

    id: Id | None = None
    name: Text
    weight: Weight
    method: Method | None = Field(
        None,
        description="末级指标的评分方法：quantitative 定量（≥、≤、=）、qualitative 定性、"
        "deduction 扣分、manual 人工、execution 预算执行率、stepped 分段、range 区间",
    )
    direction: Direction | None = Field(None, description="定量指标的指标性质：>=、<=、=")
    target: Number | str | None = Field(None, description="年度指标值")
    actual: Number | str | None = Field(None, description="实际完成值")
    unit: str | None = Field(None, description="度量单位")
    level: QualitativeLevel | None = Field(None, description="定性指标的达成档次")
    score: Number | None = Field(None, ge=0, description="评价人给定的得分（定性、人工）")
    reason: str | None = Field(None, description="得分理由；未得满分时必填")
    deductions: list[Deduction] = Field(default_factory=list)
    reverse_convention: Literal["linear", "ratio"] | None = None
    equal_convention: Literal["ratio", "proportional", "zero"] | None = Field(
        None, description="本等于型指标未相等时的算法（缺省按 scoring.equal）"
    )
    per_unit: UnitDeduction | None = Field(
        None, description="定量、区间指标：按偏离量每单位扣分（替代比例算法）",
        examples=[{"points": "0.5", "per": "1"}],
    )
    lower: Number | None = Field(None, description="区间型指标的下限（含）")
    upper: Number | None = Field(None, description="区间型指标的上限（含）")
    outside: Literal["zero", "proportional"] | None = Field(
        None, description="区间外：zero=0分；proportional=(1-偏离/界值)×分值；或用 per_unit"
    )
    steps: list[Step] = Field(
        default_factory=list, description="分段计分：自上而下第一档成立者得分",
        examples=[[{"at_least": "90", "score": "5"}, {"at_least": "80", "score": "4"},
                   {"at_least": "60", "score": "2"}]],
    )
    step_on: Literal["actual", "completion"] = Field(
        "actual", description="分段依据：actual=实际完成值；completion=完成率"
    )
    survey: Survey | None = Field(
        None, description="满意度调查人数（实际值由此计算）",
        examples=[{"satisfied": 452, "valid": 480}],
    )
    per_occurrence: Annotated[list[PerOccurrence], BeforeValidator(_one_or_many)] = Field(
        default_factory=list,
        description="按例扣分（每出现一例扣 points 分）；多类问题分别计时写成列表",
        examples=[{"points": "0.5", "count": 3},
                  [{"points": "0.5", "count": 2}, {"points": "2", "count": 1}]],
    )
    deduction_cap: Annotated[Number, Field(gt=0)] | None = Field(
        None, description="扣分上限（最多扣）；缺省扣完为止"
    )
    floor: Annotated[Number, Field(ge=0)] = Field(Decimal(0), description="扣分后最低得分")
    applicable: bool = Field(True, description="不适用的指标不计分，其余按模板折算")
    evidence: str | None = Field(None, description="佐证材料")
    analysis: str | None = Field(None, description="偏差原因分析及改进措施")
    stated_score: Number | None = Field(None, ge=0, description="报告所列得分")
    stated_rate: Percent | None = Field(None, description="报告所列得分率")
    children: list[Indicator] = Field(default_factory=list)

    @model_validator(mode="after")
    def _method_fits(self) -> Indicator:
        if self.children:
            if self.method is not None:
                raise ValueError(Phrase("有下级指标的指标不设评分方法（得分由下级汇总）"))
            return self
        if self.method is None:
            raise ValueError(Phrase(
                "末级指标须设 method：quantitative / qualitative / deduction / manual / execution"
            ))
        if self.method == "quantitative":
            if self.direction is None:
                raise ValueError(Phrase("定量指标须设 direction（>=、<= 或 =）"))
            if not isinstance(self.target, Decimal):
                raise ValueError(Phrase("定量指标的 target 应为数字"))
            if self.survey is None and not isinstance(self.actual, Decimal):
                raise ValueError(Phrase("定量指标的 actual 应为数字（或给出 survey 调查人数）"))
            # A ceiling may be 0 (三公经费变动率 ≤ 0): met, it scores full; exceeded, per_unit
            # says what it costs (linear and ratio give 0). Below 0 only per_unit makes sense.
            if self.direction == ">=" and self.target <= 0:
                raise ValueError(Phrase("正向定量指标的 target 应大于 0（完成率以目标值为分母）"))
            if self.direction == "<=" and self.target < 0 and self.per_unit is None:
                raise ValueError(Phrase(
                    "反向定量指标的 target 应大于 0 或等于 0；目标为负数时须用 per_unit 按单位扣分"
                ))
        measured = self.survey is not None or isinstance(self.actual, Decimal)
        if self.method in ("stepped", "range") and not measured:
            raise ValueError(Phrase("{method} 指标的 actual 应为数字（或给出 survey 调查人数）",
                                    method=self.method))
        if self.method == "stepped":
            if not self.steps:
                raise ValueError(Phrase("分段计分指标须列出 steps"))
            if any(step.points(self.weight) > self.weight for step in self.steps):
                raise ValueError(Phrase("分段计分的某档得分超过分值"))
            if self.step_on == "completion" and not isinstance(self.target, Decimal):
                raise ValueError(Phrase("按完成率分段须给出数字 target"))
        if self.method == "range":
            if self.lower is None or self.upper is None or self.lower > self.upper:
                raise ValueError(Phrase("区间型指标须设 lower ≤ upper"))
            if self.outside is None and self.per_unit is None:
                raise ValueError(Phrase(
                    "区间型指标须说明区间外的计分：outside（zero/proportional）或 per_unit"
                ))
        if self.per_occurrence and self.method != "deduction":
            raise ValueError(Phrase("按例扣分（per_occurrence）只用于 deduction 方法"))
        if self.method == "qualitative" and self.level is None:
            raise ValueError(Phrase("定性指标须设 level：达成 / 部分达成 / 未达成"))
        if self.method == "qualitative" and self.level != "达成" and self.score is None:
            raise ValueError(Phrase("定性指标未完全达成时须给出 score"))
        if self.method == "manual" and self.score is None:
            raise ValueError(Phrase("人工评分须给出 score"))
        if self.method == "qualitative" and self.deductions:
            raise ValueError(Phrase(
                "定性指标按档次计分，不列扣分项（需要时用 manual 或 deduction）"))
        return self


class GradeBand(Model):
    grade: Text
    min: Number = Field(description="下限（含）；总分不是 100 的模板按得分率（%）分档")


def _qualitative_bands() -> dict[QualitativeLevel, tuple[Decimal, Decimal]]:
    return {
        "达成": (Decimal(80), Decimal(100)),
        "部分达成": (Decimal(60), Decimal(80)),
        "未达成": (Decimal(0), Decimal(60)),
    }


class ScoringConventions(Model):
    """Conventions that differ between templates; recorded, never implicit."""

    reverse: Literal["linear", "ratio"] | None = Field(
        None,
        description="反向指标：linear=(1-(实际-目标)/目标)×分值；ratio=目标/实际×分值",
    )
    equal: Literal["ratio", "proportional", "zero"] = Field(
        "ratio",
        description="等于型指标未相等时：ratio=min(实际/目标, 1)×分值（各地平台的缺省）；"
        "proportional=(1-|实际-目标|/目标)×分值（高于目标同样扣分）；zero=未相等得0分",
    )
    not_applicable: Literal["rescale_total", "within_parent"] = Field(
        "rescale_total",
        description="不适用指标的分值：rescale_total=总分按适用分值折算；"
        "within_parent=按比例分给同一上级下的其他指标",
    )
    bonus_cap: Annotated[Number, Field(ge=0)] | None = Field(None, description="加分上限")
    penalty_cap: Annotated[Number, Field(ge=0)] | None = Field(None, description="减分上限")
    cap_total: bool = Field(False, description="加分后总分不超过模板总分")
    veto_grade: Text = Field("差", description="一票否决时的等级")
    explain_over: Percent = Field(
        Decimal(130), description="完成率达到该值须说明超额原因（广西：130%）"
    )
    qualitative_bands: dict[QualitativeLevel, tuple[Percent, Percent]] = Field(
        default_factory=_qualitative_bands,
        description="定性指标三档的得分率区间 [下限, 上限]",
    )


class TemplateItem(Model):
    name: Text
    weight: Weight
    aliases: list[Text] = Field(
        default_factory=list, description="同义名称（如 服务对象满意度指标 之于 满意度指标）"
    )
    includes: list[Text] = Field(
        default_factory=list,
        description="与本项并列、共用本项分值的一级指标（如 成本指标 与 产出指标 共用 50 分）",
    )

    def matches(self, name: str) -> bool:
        """Whether a first-level indicator called ``name`` is this item, by its name or an
        alias (spaces ignored)."""
        return "".join(name.split()) in {"".join(n.split()) for n in (self.name, *self.aliases)}


class WeightTemplate(Model):
    """A weight template: the top-level indicators and their weights."""

    id: Id
    name: Text
    total: Weight = Decimal(100)
    items: list[TemplateItem]
    rescale_not_applicable: bool = True


class OverallGoal(Model):
    """年度总体目标: the goal set and what was achieved (自评表's two text cells)."""

    expected: Text = Field(description="预期目标")
    achieved: str | None = Field(None, description="实际完成情况")


class StatedEvaluation(Model):
    """表2-1's total line and the stated grade."""

    stated_total: Number | None = Field(None, description="绩效自评得分")
    stated_rate: Percent | None = None
    stated_grade: str | None = Field(None, description="绩效等级")


class Adjustment(Model):
    """加分项、减分项、一票否决 on the total."""

    kind: Literal["bonus", "penalty", "veto"] = Field(
        description="bonus=加分；penalty=减分；veto=一票否决"
    )
    points: Annotated[Number, Field(ge=0)] | None = Field(None, description="分数（否决不设）")
    reason: Text = Field(description="事由，如 机制创新、数据作假")

    @model_validator(mode="after")
    def _points_fit(self) -> Adjustment:
        if self.kind != "veto" and self.points is None:
            raise ValueError(Phrase("加分、减分须给出 points"))
        return self


class Problem(Model):
    id: Id
    title: Text
    detail: str | None = None
    source: Literal["自评", "考核", "审计", "监控", "其他"] = "自评"
    amount: Amount | None = Field(None, description="涉及金额")
    indicator: str | None = Field(None, description="关联指标路径，如 产出/质量指标")
    recipient: Id | None = None


class Improvement(Model):
    id: Id
    title: Text
    summary: str | None = None
    problems: list[Id] = Field(default_factory=list, description="针对的问题编号")


class StatedAllocation(Model):
    name: Text = Field(description="对象名称，与分配方案中的名称一致")
    amount: Amount = Field(description="报告所列分配金额")


class AllocationPlan(Model):
    """A factor-method allocation the fund made, with the amounts the report states."""

    id: Id
    spec: AllocationSpec = Field(description="分配方案（因素表内联）")
    stated: list[StatedAllocation] = Field(default_factory=list, description="所列分配结果")


class CustomRule(Model):
    """A validation rule written in the dossier: ``left op right`` over named facts."""

    id: Id
    description: Text
    left: Annotated[Text, Field(max_length=2000)]
    op: Literal["==", "!=", "<", "<=", ">", ">="]
    right: Annotated[Text, Field(max_length=2000)]
    severity: Severity = "error"
    places: int | None = Field(None, ge=0, le=8, description="比较精度（小数位）")
    missing: Literal["skip_if_any", "skip_if_all", "zero"] = "skip_if_any"


class Dossier(Model):
    """One fund-year."""

    schema_version: Literal[1] = 1
    fund: Fund
    template: Id | WeightTemplate = Field(
        "mof-2020", description="权重模板：内置 mof-2020 / guangdong-2022 / sichuan，或自定义"
    )
    grade_bands: list[GradeBand] | None = Field(
        None, min_length=1, description="等级区间；缺省 优≥90、良≥80、中≥60、差≥0"
    )
    scoring: ScoringConventions = Field(default_factory=ScoringConventions)
    narrative: dict[str, str] = Field(default_factory=dict, description="叙述段落（概要）")
    goal: OverallGoal | None = Field(None, description="年度总体目标")
    recipients: list[Recipient] = Field(default_factory=list)
    recipient_totals: StatedTotals | None = Field(None, description="表1-1 合计行")
    agreements: list[Agreement] = Field(default_factory=list)
    arrivals: list[Arrival] = Field(default_factory=list)
    budget: Budget | None = None
    spending: list[Spending] = Field(default_factory=list)
    plan_actual: list[PlanActual] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)
    allocations: list[AllocationPlan] = Field(default_factory=list, description="因素法分配")
    evaluation: StatedEvaluation = Field(default_factory=StatedEvaluation)
    adjustments: list[Adjustment] = Field(
        default_factory=list, description="加分项、减分项、一票否决",
        examples=[[{"kind": "bonus", "points": "1", "reason": "机制创新"},
                   {"kind": "veto", "reason": "发生重大安全责任事故"}]],
    )
    problems: list[Problem] = Field(default_factory=list)
    improvements: list[Improvement] = Field(default_factory=list)
    rules: list[CustomRule] = Field(default_factory=list)


Loc = tuple[str | int, ...]


def _bands_reach_zero(d: Dossier) -> list[tuple[Loc, str | Phrase]]:
    if d.grade_bands and min(b.min for b in d.grade_bands) > 0:
        lowest = min(b.min for b in d.grade_bands)
        message = Phrase("等级区间须覆盖 0 分：最低一档从 {lowest} 分起，低于它的得分没有等级"
                         "（如加上 {{grade: 差, min: 0}}）", lowest=str(lowest))
        return [(("grade_bands",), message)]
    return []


ITEM = "dossier item"  # the context of the words naming what an id or a reference is


def walk_recipients(
    nodes: list[Recipient], loc: Loc = ("recipients",)
) -> list[tuple[Recipient, Loc]]:
    """Every recipient with its location, depth first."""
    out: list[tuple[Recipient, Loc]] = []
    for i, node in enumerate(nodes):
        here = (*loc, i)
        out.append((node, here))
        out.extend(walk_recipients(node.children, (*here, "children")))
    return out


def subtree(node: Recipient) -> list[Recipient]:
    """A recipient and everything under it, depth first."""
    out = [node]
    for child in node.children:
        out.extend(subtree(child))
    return out


def counties_in(node: Recipient) -> int:
    """The counties in a recipient's subtree, counted."""
    return sum(1 for n in subtree(node) if n.kind == "county")


def agreements_at(d: Dossier, level: str | None) -> list[Agreement]:
    """The agreements of one level of government (all of them when level is None)."""
    return [a for a in d.agreements if level is None or a.level == level]


def subtree_agreements(d: Dossier, nodes: list[Recipient], level: str | None) -> list[Decimal]:
    """The 协议数 amounts of the given recipients' subtrees, at one level."""
    ids = {n.id for node in nodes for n in subtree(node)}
    return [a.amount for a in agreements_at(d, level) if a.recipient in ids]


def walk_indicators(
    nodes: list[Indicator], parent_path: str = "", loc: Loc = ("indicators",)
) -> list[tuple[Indicator, str, Loc]]:
    """Every indicator with its path (产出/质量指标) and location, depth first."""
    out: list[tuple[Indicator, str, Loc]] = []
    for i, node in enumerate(nodes):
        path = f"{parent_path}/{node.name}" if parent_path else node.name
        here = (*loc, i)
        out.append((node, path, here))
        out.extend(walk_indicators(node.children, path, (*here, "children")))
    return out


def _recipient_ids(nodes: list[Recipient], out: list[str]) -> list[str]:
    """Every recipient's id, depth first (`walk_recipients` without the locations)."""
    for node in nodes:
        out.append(node.id)
        if node.children:
            _recipient_ids(node.children, out)
    return out


def integrity_errors(d: Dossier) -> list[tuple[Loc, str | Phrase]]:
    """Cross-references a schema cannot express: unique ids, links that resolve.

    Returns (location, message) pairs; empty when the dossier hangs together.
    """
    errors: list[tuple[Loc, str | Phrase]] = _bands_reach_zero(d)

    # A location and a word are made only for a problem: a dossier that hangs together (the
    # common case) is checked with sets alone.
    def unique(keys: list[str], locs: Callable[[], Iterable[Loc]], what: str) -> set[str]:
        seen = set(keys)
        if len(seen) == len(keys):
            return seen
        said = word(what, ITEM)
        seen = set()
        for key, loc in zip(keys, locs(), strict=True):
            if key in seen:
                errors.append((loc, Phrase("{what}重复：{key}", what=said, key=key)))
            seen.add(key)
        return seen

    def numbered(name: str, count: int) -> Callable[[], Iterable[Loc]]:
        return lambda: ((name, n, "id") for n in range(count))

    recipients = unique(
        _recipient_ids(d.recipients, []),
        lambda: ((*loc, "id") for _, loc in walk_recipients(d.recipients)), "单位标识")
    indicator_walk = walk_indicators(d.indicators)
    paths = unique([p for _, p, _ in indicator_walk],
                   lambda: ((*loc, "name") for _, _, loc in indicator_walk), "同级指标名称")
    unique([i.id for i, _, _ in indicator_walk if i.id],
           lambda: ((*loc, "id") for i, _, loc in indicator_walk if i.id), "指标标识")
    unique([s.id for s in d.spending], numbered("spending", len(d.spending)), "支出标识")
    unique([m.id for m in d.plan_actual], numbered("plan_actual", len(d.plan_actual)),
           "计划完成标识")
    figures = unique([f.id for f in d.figures], numbered("figures", len(d.figures)), "数据标识")
    problems = unique([p.id for p in d.problems], numbered("problems", len(d.problems)),
                      "问题编号")
    unique([m.id for m in d.improvements], numbered("improvements", len(d.improvements)),
           "改进意见编号")
    unique([r.id for r in d.rules], numbered("rules", len(d.rules)), "规则标识")
    unique([a.id for a in d.allocations], numbered("allocations", len(d.allocations)),
           "分配标识")

    def dangling(ref: str, loc: Loc, what: str) -> None:
        said = word(what, ITEM)
        errors.append((loc, Phrase("引用了不存在的{what}：{ref}", what=said, ref=ref)))

    # each reference is looked up in place; its location and words only for a dangling one
    for n, a in enumerate(d.agreements):
        if a.recipient not in recipients:
            dangling(a.recipient, ("agreements", n, "recipient"), "单位")
    for n, arrival in enumerate(d.arrivals):
        if arrival.recipient not in recipients:
            dangling(arrival.recipient, ("arrivals", n, "recipient"), "单位")
    for n, s in enumerate(d.spending):
        if s.recipient not in recipients:
            dangling(s.recipient, ("spending", n, "recipient"), "单位")
    for n, f in enumerate(d.figures):
        if f.same_as is not None:
            if f.same_as not in figures:
                dangling(f.same_as, ("figures", n, "same_as"), "数据")
            if f.same_as == f.id:
                errors.append((("figures", n, "same_as"), Phrase("same_as 不能指向自身")))
    for n, p in enumerate(d.problems):
        if p.indicator is not None and p.indicator not in paths:
            dangling(p.indicator, ("problems", n, "indicator"), "指标")
        if p.recipient is not None and p.recipient not in recipients:
            dangling(p.recipient, ("problems", n, "recipient"), "单位")
    for n, m in enumerate(d.improvements):
        for k, ref in enumerate(m.problems):
            if ref not in problems:
                dangling(ref, ("improvements", n, "problems", k), "问题")
    for n, plan in enumerate(d.allocations):
        here = ("allocations", n)
        errors.extend(((*here, "spec", *loc), msg) for loc, msg in allocation_phrases(plan.spec))
        names = {r.name for r in plan.spec.recipients}
        for k, stated in enumerate(plan.stated):
            if stated.name not in names:
                dangling(stated.name, (*here, "stated", k, "name"), "分配对象")
    reverse_known = d.scoring.reverse is not None
    for ind, _, loc in indicator_walk:
        for k, ded in enumerate(ind.deductions):
            if ded.problem is not None and ded.problem not in problems:
                dangling(ded.problem, (*loc, "deductions", k, "problem"), "问题")
        reverse = ind.direction == "<=" and ind.method == "quantitative" and not ind.per_unit
        if reverse and ind.reverse_convention is None and not reverse_known:
            errors.append((
                (*loc, "reverse_convention"),
                Phrase("反向指标须明确计分算法：在 scoring.reverse 或本指标 reverse_convention 中"
                       "选 linear 或 ratio"),
            ))
        if ind.method == "execution" and d.budget is None:
            errors.append(((*loc, "method"),
                           Phrase("按预算执行率计分须有 budget（全年预算数、执行数）")))
    return errors
