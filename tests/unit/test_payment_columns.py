"""A ledger file's headers → the canonical ledger columns (the formats layer's vocabulary)."""

from __future__ import annotations

from jixiao.formats.payment_columns import ColumnMapping


def test_chinese_headers_map_to_canonical_columns():
    found, missing = ColumnMapping().resolve(["凭证号", "日期", "县区", "用途", "金额", "类型"])
    assert missing == []
    assert found["recipient"] == "县区" and found["amount"] == "金额"


def test_a_saved_mapping_names_other_headers_and_missing_ones_are_listed():
    mapping = ColumnMapping(columns={"amount": "实付金额", "voucher_id": "单据号"})
    found, missing = mapping.resolve(["单据号", "日期", "单位", "实付金额"])
    assert found["amount"] == "实付金额" and missing == []
    _, missing = ColumnMapping().resolve(["凭证号", "单位"])
    assert missing == ["date", "amount"]
