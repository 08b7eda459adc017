"""How a ledger file's columns and words map to the canonical ledger columns.

File vocabulary, not domain rules: the headers a ledger may use for each canonical column
(凭证号 for ``voucher_id``, 县区 for ``recipient`` …), the words a ``type`` column may hold
(支出 for ``expenditure``), the headers of a project library (项目库), and `ColumnMapping`,
the YAML a user saves to name other headers, the amounts' unit and an Excel sheet.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.core.payments import TransactionType
from jixiao.core.phrases import Phrase, word

# Canonical columns and the headers accepted for each (the first is the canonical name).
HEADERS: dict[str, tuple[str, ...]] = {
    "voucher_id": ("voucher_id", "凭证号", "凭证编号", "支付凭证号"),
    "date": ("date", "日期", "支付日期", "凭证日期"),
    "fund": ("fund", "资金", "资金名称"),
    "recipient": ("recipient", "单位", "县区", "收款单位", "县（区）"),
    "project": ("project", "项目", "项目编码", "项目名称"),
    "category": ("category", "用途", "资金用途"),
    "amount": ("amount", "金额", "支付金额"),
    "type": ("type", "类型", "交易类型"),
    "original": ("original", "原凭证号", "冲销原凭证号"),
    # 政府收支分类科目: the functional (类款项) and the economic classification of the payment.
    "function_code": ("function_code", "功能分类", "功能分类科目", "功能科目", "支出功能分类科目"),
    "economic_code": ("economic_code", "经济分类", "经济分类科目", "经济科目", "支出经济分类科目",
                      "部门支出经济分类科目", "政府支出经济分类科目"),
}
REQUIRED: tuple[str, ...] = ("voucher_id", "date", "recipient", "amount")
# The context of a column's name in a reader's error (a page says it in its own language).
COLUMN = "ledger column"
# Each canonical column's name in an error ("缺少必需的列：金额（amount）"), as a word.
COLUMN_WORDS: dict[str, Phrase] = {
    "voucher_id": word("凭证号", COLUMN), "date": word("日期", COLUMN),
    "fund": word("资金", COLUMN), "recipient": word("单位", COLUMN),
    "project": word("项目", COLUMN), "category": word("用途", COLUMN),
    "amount": word("金额", COLUMN), "type": word("类型", COLUMN),
    "original": word("原凭证号", COLUMN), "function_code": word("功能分类科目", COLUMN),
    "economic_code": word("经济分类科目", COLUMN),
}
COLUMN_NAMES: dict[str, str] = {c: str(w) for c, w in COLUMN_WORDS.items()}
PROJECT_HEADERS: dict[str, tuple[str, ...]] = {
    "project": ("project", "项目", "项目编码", "项目名称"),
    "budget": ("budget", "预算", "项目预算", "预算金额", "金额"),
}
# A project library's columns' names in an error, as words.
PROJECT_WORDS: dict[str, Phrase] = {
    "project": word("项目", COLUMN), "budget": word("预算", COLUMN),
}

# The words a ``type`` cell may hold (compared trimmed and lower-cased) → transaction type.
TYPE_WORDS: dict[str, TransactionType] = {
    "commitment": "commitment", "承诺": "commitment", "指标": "commitment",
    "disbursement": "disbursement", "拨付": "disbursement", "拨款": "disbursement",
    "expenditure": "expenditure", "支出": "expenditure", "支付": "expenditure",
}


class ColumnMapping(BaseModel):
    """How a ledger file's headers map to the canonical columns; saved as YAML and reused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    columns: dict[str, str] = Field(
        default_factory=dict, description="规范列名 → 文件中的表头，如 amount: 实付金额"
    )
    unit: Literal["元", "万元"] = Field("元", description="台账金额单位")
    sheet: str | None = Field(None, description="Excel 工作表名；缺省为第一个")

    def resolve(self, headers: list[str]) -> tuple[dict[str, str], list[str]]:
        """(canonical → header found, canonical columns required but missing)."""
        present = {h.strip(): h for h in headers}
        found: dict[str, str] = {}
        for canonical, aliases in HEADERS.items():
            wanted = (self.columns[canonical],) if canonical in self.columns else aliases
            for name in wanted:
                if name in present:
                    found[canonical] = present[name]
                    break
        missing = [c for c in REQUIRED if c not in found]
        return found, missing
