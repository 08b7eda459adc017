"""A Parquet ledger is checked in fewer passes (values and voucher ids in one, reversal keys
gathered once); whatever the path, its summary and findings are those of the same rows as CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from jixiao.formats.errors import InputError
from jixiao.payments.summarize import Options, summarize

HEADER = "凭证号,日期,资金,单位,项目,用途,金额,类型,原凭证号\n"
TODAY = dt.date(2022, 3, 1)

ROWS = "".join([
    "V1,2021-03-01,协作,天等县,TD-1,产业帮扶,100.00,支出,\n",
    "V1,2021-03-05,协作,天等县,TD-1,产业帮扶,5.00,支出,\n",
    # Padding is trimmed before comparing: this is a third V1.
    " V1 ,2021-04-01,衔接,龙州县,LZ-1,就业帮扶,7.50,支出,\n",
    "V2,2021-03-02,协作,龙州县,LZ-1,产业帮扶,-10.00,支出,\n",  # no earlier payment
    "V3,2021-02-01,协作,天等县,TD-1,产业帮扶,-10.00,expenditure,\n",  # before its original
    "V4,2021-05-02,衔接,天等县,,产业帮扶,20.00,拨付,\n",
    "V5,2021-05-03,衔接,天等县,,产业帮扶,-5.00,disbursement,\n",  # matched, no project
    "V6,2020-12-31,协作,天等县,TD-1,产业帮扶,1.00,支出,\n",  # outside the year
    "V7,2022-06-01,协作,天等县,TD-1,产业帮扶,1.00,承诺,\n",  # in the future
    "V8,2021-06-01,协作,天等县,TD-1,产业帮扶,-50.00,支出,V1\n",  # original large enough
    "V9,2021-06-02,协作,天等县,TD-1,产业帮扶,-50.00,支出,V404\n",  # original missing
]) + "".join(  # more duplicate ids than are listed
    f"W{k:02d},2021-07-{1 + k % 28:02d},衔接,龙州县,LZ-2,就业帮扶,{k}.25,支出,\n" * 2
    for k in range(14)
)


def _files(tmp_path: Path, rows: str, name: str = "p") -> tuple[Path, Path]:
    csv = tmp_path / f"{name}.csv"
    csv.write_text(HEADER + rows, encoding="utf-8")
    parquet = tmp_path / f"{name}.parquet"
    duckdb.sql(  # every column as the text of the CSV, so both reads see the same values
        f"COPY (SELECT * FROM read_csv('{csv}', header = true, all_varchar = true, "
        f"quote = '\"', escape = '\"', delim = ',')) TO '{parquet}' (FORMAT parquet)"
    )
    return csv, parquet


def _picture(paths: list[Path], options: Options) -> tuple[object, ...]:
    s = summarize(paths, options)
    return (s.rows, s.totals, s.by_month, s.by_type, s.findings)


@pytest.mark.parametrize("extra", [
    {},
    {"fund": "协作"},  # the selection differs from the file: no shortcut
    {"until": dt.date(2021, 4, 30)},
])
def test_parquet_summary_and_findings_equal_the_csv_ones(tmp_path, extra):
    csv, parquet = _files(tmp_path, ROWS)
    options = Options(year=2021, today=TODAY, **extra)
    expected = _picture([csv], options)
    assert _picture([parquet], options) == expected
    rules = [f.rule for f in expected[-1]]  # the fixture really exercises the checks
    if not extra:
        assert rules.count("ledger.duplicate_voucher") == 10 + 1  # ten listed, the rest counted
        assert {"ledger.orphan_reversal", "ledger.outside_year", "ledger.future_date"} <= set(rules)


def test_the_triple_padded_voucher_id_is_counted_three_times(tmp_path):
    _csv, parquet = _files(tmp_path, ROWS)
    findings = summarize([parquet], Options(year=2021, today=TODAY)).findings
    v1 = [f for f in findings if f.where == "ledger/凭证 V1"]
    assert [(f.rule, f.actual) for f in v1] == [("ledger.duplicate_voucher", "3")]


def test_a_voucher_id_repeated_across_two_parquet_files_is_a_duplicate(tmp_path):
    _, first = _files(tmp_path, "A1,2021-03-01,协作,天等县,TD-1,产业帮扶,1.00,支出,\n", "a")
    _, second = _files(tmp_path, "A1,2021-03-02,协作,天等县,TD-1,产业帮扶,2.00,支出,\n", "b")
    findings = summarize([first, second], Options(year=2021, today=TODAY)).findings
    assert [(f.rule, f.where) for f in findings] == [("ledger.duplicate_voucher", "ledger/凭证 A1")]


def test_no_reversal_leaves_no_orphan_finding(tmp_path):
    _csv, parquet = _files(tmp_path, "V1,2021-03-01,协作,天等县,TD-1,产业帮扶,1.00,支出,\n")
    assert summarize([parquet], Options(year=2021, today=TODAY)).findings == []


def test_bad_values_in_parquet_are_counted_and_located_as_before(tmp_path):
    bad = "".join([
        ",2021-03-01,协作,天等县,TD-1,产业帮扶,1.00,支出,\n",  # blank voucher id
        ",2021-03-02,协作,天等县,TD-1,产业帮扶,1.00,支出,\n",  # another: one group, two rows
        "V2,2021-03-02,协作,天等县,TD-1,产业帮扶,1.005,支出,\n",  # too many places
        "V3,2021-03-02,协作,天等县,TD-1,产业帮扶,1.00,支出,\n",
        "V3,2021-13-02,协作,天等县,TD-1,产业帮扶,1.00,支出,\n",  # bad date on a repeated id
        "V4,2021-03-02,协作,,TD-1,产业帮扶,1.00,借记,\n",  # no recipient, unknown type
    ] + ["V5,2021-03-02,协作,天等县,TD-1,产业帮扶,1.00,支出,\n"] * 9)
    _csv, parquet = _files(tmp_path, bad)
    with pytest.raises(InputError) as caught:
        summarize([parquet], Options(year=2021, today=TODAY))
    problems = caught.value.problems
    located = [(p.line, p.field) for p in problems if p.line is not None]
    assert located == [(1, "凭证号"), (2, "凭证号"), (3, "金额"), (5, "日期"), (6, "单位"),
                       (6, "类型")]
    assert [p.message for p in problems if p.line is None] == []  # all five rows listed


def test_one_parquet_file_groups_its_voucher_ids_while_checking_values(tmp_path):
    from jixiao.formats.payment_files import VOUCHER_COUNTS, connect, load_ledgers

    csv, parquet = _files(tmp_path, ROWS)
    con = connect()
    assert load_ledgers(con, [parquet]) == ROWS.count("\n")
    repeated = con.execute(
        f"SELECT voucher_id, n FROM {VOUCHER_COUNTS} ORDER BY voucher_id LIMIT 2"
    ).fetchall()
    assert repeated == [("V1", 3), ("W00", 2)]
    con.close()
    con = connect()
    load_ledgers(con, [csv])  # a table: checked the usual way
    assert con.execute(
        f"SELECT count(*) FROM duckdb_tables() WHERE table_name = '{VOUCHER_COUNTS}'"
    ).fetchone() == (0,)
    con.close()
