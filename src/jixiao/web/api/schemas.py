"""What the API answers, typed: every operation declares one of these as its response, so the
OpenAPI page (/api/docs, /api/openapi.json) shows each shape. Decimals are exact decimal text,
never floats. The evaluation is the `jixiao evaluate --json` contract (`EvaluationOut`); the
payment-ledger summary is the `jixiao ledger summarize --json` contract (`LedgerSummaryOut`)."""

from __future__ import annotations

from ninja import Field, Schema

from jixiao.formats.evaluation_json import EvaluationOut, FindingOut
from jixiao.payments.contract import LedgerSummaryOut

DecimalText = str  # exact decimal text: "13.30" stays "13.30"


class Error(Schema):
    detail: str = Field(description="说明（界面语言）")
    code: str | None = Field(
        default=None,
        description="稳定的错误代码，与语言无关，如 stale_version、locked（见 docs/WEB.md）",
    )


class IndicatorError(Error):
    """An indicator's change refused (400): ``detail`` names the indicator and the field by
    their names in the request's language; ``field`` is the key of ``changes`` refused."""

    field: str | None = Field(default=None,
                              description="被拒绝的字段（changes 中的键，如 weight）")


class FundListItemOut(Schema):
    id: int
    name: str
    year: int
    budget_unit: str
    full_access: bool = Field(description="能否查看整个资金（否则只能查看所属单位）")


class FundEvaluationOut(EvaluationOut):
    """The fund's evaluation: the `jixiao evaluate --json` contract, plus the fund's id."""

    id: int


class IndicatorRowOut(Schema):
    id: int
    path: str = Field(description="指标路径，如 产出/数量指标")
    name: str
    version: int = Field(description="版本号；修改时须带上（乐观锁）")
    weight: DecimalText
    method: str
    direction: str
    target: str
    actual: str
    unit: str
    level: str
    score: DecimalText | None
    reason: str
    analysis: str
    evidence: str
    applicable: bool


class IndicatorSavedOut(IndicatorRowOut):
    """An indicator as saved, with what its 分值 leaves not adding up (the save is kept)."""

    warnings: list[str] = Field(
        description="保存后的提示（界面语言），如 注意：「数量指标」下级指标分值之和为 500.00，"
                    "与其分值 13.40 不符；无则为空")


class SubmissionOut(Schema):
    id: int
    status: str = Field(description="draft / submitted / returned / approved")
    reason: str
    updated: str = Field(description="ISO 8601 时间")


class ProjectOut(Schema):
    id: int
    recipient: int
    name: str
    category: str
    budget: DecimalText
    spent: DecimalText
    status: str = Field(description="planned / building / done")
    version: int


class RecipientOut(Schema):
    id: int
    fund: int
    code: str
    name: str
    kind: str
    parent: int | None
    submission: SubmissionOut | None
    projects: list[ProjectOut]


class RectificationItemOut(Schema):
    id: int
    fund: int
    number: int
    source: str
    problem: str
    amount: DecimalText | None
    rectified_amount: DecimalText | None
    indicator: str = Field(description="关联指标：本资金指标的路径，如 产出/质量指标")
    deduction: DecimalText | None = Field(description="扣分：该指标记录的扣分之一")
    measures: str
    recipient: int | None = Field(description="责任单位（本资金单位的 id；空为预算单位本身）")
    responsible_unit: str = Field(description="责任单位名称")
    responsible_person: str
    deadline: str | None = Field(description="ISO 日期")
    progress: str
    status: str
    closed_on: str | None = Field(description="ISO 日期")
    has_evidence: bool
    overdue: bool
    version: int = Field(description="版本号；修改时须带上（乐观锁）")
    carried_from: int | None = Field(description="由上年度哪个问题结转而来（问题 id）")


class RectificationOut(Schema):
    total: int = Field(description="可见的问题数")
    counts: dict[str, int] = Field(description="按状态计数（含 0），合计等于 total")
    matched: int = Field(description="符合筛选条件的问题数")
    amount_total: DecimalText = Field(description="符合筛选条件的问题的涉及金额合计")
    rectified_total: DecimalText = Field(description="符合筛选条件的问题的已整改金额合计")
    page: int
    pages: int
    page_size: int
    items: list[RectificationItemOut] = Field(description="本页的问题（每页 50 项）")


class CarryOverOut(Schema):
    from_fund: int
    to_fund: int
    created: list[RectificationItemOut] = Field(description="本次结转新建的问题")


class ImportProblemOut(Schema):
    file: str | None = None
    line: int | None = None
    field: str | None = None
    message: str


class ImportFindingOut(FindingOut):
    """A ledger finding through the API: ``where`` (the path programs rely on) and ``place``,
    the same location as the dashboard says it, in the request's language."""

    place: str = Field(description="位置（界面语言），如 支付台账 · 凭证 P1，或档案中的名称")


class ImportSummaryOut(LedgerSummaryOut):
    findings: list[ImportFindingOut]  # type: ignore[assignment]


class PaymentImportOut(Schema):
    id: int
    fund: int
    filename: str
    status: str = Field(description="pending / running / done / failed")
    done_rows: int
    total_rows: int | None
    created: str
    updated: str
    result: ImportSummaryOut | None = Field(
        description=("完成时：与 `jixiao ledger summarize --json` 相同的汇总，"
                     "每条发现另附 place（定位）"))
    errors: list[ImportProblemOut] = Field(description="失败时：文件、行、列与说明")


class AuditChangeOut(Schema):
    field: str = Field(description="字段名称（界面语言），如 金额")
    old: str = Field(description="修改前，已格式化（千分位与金额单位、是/否、选项）；新建时为空")
    new: str = Field(description="修改后，已格式化；删除时为空")


class AuditEntryOut(Schema):
    id: int
    at: str = Field(description="ISO 8601 时间（含时区）")
    when: str = Field(description="本地时间（Asia/Shanghai），精确到秒")
    username: str = Field(description="用户名；命令行操作为 system")
    who: str = Field(description="姓名（用户名）")
    fund: int | None = Field(description="资金 id；用户管理等与资金无关的记录为空")
    fund_name: str
    unit: str = Field(description="对象所属单位的名称")
    action: str = Field(description="操作代码，如 indicator.update、submission.approve")
    action_label: str = Field(description="操作名称（界面语言），如 修改")
    object_type: str = Field(description="对象类型代码，如 agreement、project")
    object_id: str
    object: str = Field(description="对象名称（界面语言），如 江门市 · 协议数")
    reason: str
    changes: list[AuditChangeOut] = Field(description="各字段修改前后")


class AuditTrailOut(Schema):
    matched: int = Field(description="符合筛选条件的记录数")
    page: int
    pages: int
    page_size: int
    items: list[AuditEntryOut] = Field(description="本页的记录（最新的在前，每页 50 条）")


class BudgetRowOut(Schema):
    item: str = Field(description="项目，如 当年财政拨款、上年结转资金")
    initial: DecimalText | None = Field(description="年初预算数")
    annual: DecimalText | None = Field(description="全年预算数")
    executed: DecimalText | None = Field(description="全年执行数")


class BudgetOut(Schema):
    """The fund-year's 预算 as the 预算 page shows it; figures exactly as entered."""

    fund: int
    version: int = Field(description="资金的版本号；修改时须带上（乐观锁）")
    entered: bool = Field(description="是否已填写预算（由上年度创建的新年度开始时没有）")
    money_unit: str = Field(description="金额单位，如 万元")
    initial: DecimalText | None = Field(description="年初预算数")
    annual: DecimalText | None = Field(description="全年预算数")
    arrived: DecimalText | None = Field(description="到位数")
    executed: DecimalText | None = Field(description="全年执行数")
    basis: str = Field(description="执行率的分母：annual（全年预算数）或 arrived（到位数）")
    stated_execution_rate: DecimalText | None = Field(description="报告所列执行率（%）")
    stated_arrival_rate: DecimalText | None = Field(description="报告所列到位率（%）")
    level: str | None = Field(description="预算对应的协议层级，如 省级")
    rows: list[BudgetRowOut] = Field(description="其中各行")
    execution_rate: DecimalText | None = Field(
        description="执行率（%，两位小数）：全年执行数 ÷ 执行率的分母，与网页所示相同")
    arrival_rate: DecimalText | None = Field(
        description="到位率（%，两位小数）：到位数 ÷ 全年预算数，与网页所示相同")


class BudgetConflictOut(Error):
    """A stale version (409): the message, and the budget as saved now, to merge and retry."""

    current: BudgetOut = Field(description="他人保存后的预算（含新的版本号）")
