"""Each ledger check on a small hand-made ledger holding that one fault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from jixiao.payments.summarize import Options, summarize
from jixiao.services import read_input

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "east-west-2021" / "dossier.yaml"

HEADER = "凭证号,日期,资金,单位,项目,用途,金额,类型\n"
GOOD = "V1,2021-03-01,协作,天等县,TD-1,产业帮扶,100.00,支出\n"
TODAY = dt.date(2022, 3, 1)


@pytest.fixture(scope="module")
def dossier():
    return read_input(EXAMPLE)


def rules(tmp_path: Path, rows: str, **options) -> list[str]:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    opts = Options(**{"year": 2021, "today": TODAY, **options})
    return [f.rule for f in summarize([path], opts).findings]


def test_a_clean_ledger_has_no_findings(tmp_path):
    assert rules(tmp_path, GOOD) == []


def test_duplicate_voucher_ids(tmp_path):
    assert rules(tmp_path, GOOD + GOOD.replace("100.00", "5.00")) == ["ledger.duplicate_voucher"]


def test_payment_outside_the_fund_year(tmp_path):
    assert rules(tmp_path, GOOD.replace("2021-03-01", "2020-12-31")) == ["ledger.outside_year"]


def test_payment_in_the_future(tmp_path):
    found = rules(tmp_path, GOOD, today=dt.date(2021, 2, 1))
    assert found == ["ledger.future_date"]


def test_unknown_recipient_and_category_against_the_dossier(tmp_path, dossier):
    rows = GOOD + "V2,2021-03-02,协作,某某县,X-1,产业帮扶,1.00,支出\n" \
        "V3,2021-03-03,协作,longzhou,LZ-1,修路,1.00,支出\n"
    found = rules(tmp_path, rows, dossier=dossier)
    assert found.count("ledger.unknown_recipient") == 1  # longzhou matches by id
    assert found.count("ledger.unknown_category") == 1


def test_overspent_and_unknown_projects(tmp_path):
    projects = tmp_path / "projects.csv"
    projects.write_text("项目,预算\nTD-1,80.00\n", encoding="utf-8")
    rows = GOOD + "V2,2021-03-02,协作,天等县,ZZ-9,产业帮扶,1.00,支出\n"
    found = rules(tmp_path, rows, projects=projects)
    assert sorted(found) == ["ledger.overspent_project", "ledger.unknown_project"]


def test_reversal_without_an_original(tmp_path):
    orphan = "V2,2021-03-02,协作,龙州县,LZ-1,产业帮扶,-10.00,支出\n"
    assert rules(tmp_path, GOOD + orphan) == ["ledger.orphan_reversal"]
    matched = "V2,2021-03-02,协作,天等县,TD-1,产业帮扶,-10.00,支出\n"
    assert rules(tmp_path, GOOD + matched) == []
    early = "V0,2021-02-01,协作,天等县,TD-1,产业帮扶,-10.00,支出\n"
    assert rules(tmp_path, GOOD + early) == ["ledger.orphan_reversal"]


def test_reversals_without_a_project_match_payments_without_one(tmp_path):
    paid = "V1,2021-03-01,协作,天等县,,产业帮扶,100.00,支出\n"
    reversed_ = "V2,2021-03-02,协作,天等县,,产业帮扶,-10.00,支出\n"
    assert rules(tmp_path, paid + reversed_) == []
    assert rules(tmp_path, GOOD + reversed_) == ["ledger.orphan_reversal"]


def test_reversal_naming_its_original_voucher(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "凭证号,日期,单位,金额,原凭证号\nV1,2021-03-01,天等县,100,\n"
        "V2,2021-03-02,天等县,-50,V1\nV3,2021-03-03,天等县,-50,V9\n", encoding="utf-8",
    )
    findings = summarize([path], Options(year=2021, today=TODAY)).findings
    assert [(f.rule, f.where) for f in findings] == [("ledger.orphan_reversal", "ledger/凭证 V3")]


def test_ledger_totals_against_the_dossier_are_judged_findings(tmp_path, dossier):
    # 广西 states 55000 万元 of spending; this ledger pays exactly that through 天等县.
    rows = "V1,2021-03-01,协作,天等县,TD-1,产业帮扶,550000000.00,支出\n" \
           "B1,2021-05-04,协作,广西壮族自治区,,产业帮扶,500000000.00,拨付\n"
    path = tmp_path / "p.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    s = summarize([path], Options(dossier=dossier, today=TODAY))
    by_where = {f.where: f for f in s.findings}
    assert "spending/0" not in by_where  # agrees
    assert by_where["spending/1"].rule == "ledger.spending"  # 贵州: nothing paid
    assert "arrivals/guangxi" not in by_where and "arrivals/guizhou" in by_where
    assert s.totals[0].fen == 55_000_000_000
    rates = {r.recipient: r.rate for r in s.execution}
    assert rates["guangxi"] == 100
