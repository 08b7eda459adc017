"""Ledger files: CSV (UTF-8, BOM, GB18030), XLSX, Parquet; bad files named by row and column."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.formats import payment_csv
from jixiao.formats.errors import InputError
from jixiao.formats.payment_columns import ColumnMapping
from jixiao.formats.payment_files import connect, load_ledgers

HEADER = "凭证号,日期,资金,单位,项目,用途,金额,类型\n"
ROWS = (
    "V1,2021-03-01,东西部协作,天等县,TD-1,产业帮扶,100.50,支出\n"
    "V2,2021/04/02,东西部协作,龙州县,LZ-1,就业帮扶,20,拨付\n"
)


def load(path: Path, mapping: ColumnMapping | None = None) -> list[tuple]:
    con = connect()
    load_ledgers(con, [path], mapping)
    sql = "SELECT voucher_id, date, recipient, fen, type FROM ledger ORDER BY 1"
    return con.execute(sql).fetchall()


def problems(path: Path, mapping: ColumnMapping | None = None):
    with pytest.raises(InputError) as err:
        load(path, mapping)
    return err.value.problems


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_accepted_encoding(tmp_path, encoding):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + ROWS, encoding=encoding)
    rows = load(path)
    assert [r[3] for r in rows] == [10050, 2000]  # exact 分
    assert [r[4] for r in rows] == ["expenditure", "disbursement"]
    assert str(rows[1][1]) == "2021-04-02"


def test_other_encodings_are_refused_clearly(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + ROWS, encoding="utf-16")
    assert "UTF-16" in problems(path)[0].message


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("凭证号,单位\nV1,天等县\n", encoding="utf-8")
    [p] = problems(path)
    assert "日期（date）" in p.message and "金额（amount）" in p.message and p.line == 1


def test_text_in_the_amount_column_names_row_and_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + ROWS + "V3,2021-05-01,x,天等县,,,一百元,支出\n", encoding="utf-8")
    [p] = problems(path)
    assert (p.line, p.field) == (4, "金额") and "一百元" in p.message


def test_more_than_two_decimal_places_is_an_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "V1,2021-03-01,x,天等县,,,1.005,支出\n", encoding="utf-8")
    [p] = problems(path)
    assert (p.line, p.field) == (2, "金额")


def test_bad_dates_and_types_are_errors(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "V1,三月一日,x,天等县,,,1,借款\n", encoding="utf-8")
    fields = {p.field for p in problems(path)}
    assert fields == {"日期", "类型"}


def test_a_saved_mapping_reads_another_layout_in_wan_yuan(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("单据号,支付日期,收款单位,实付金额\nA1,2021-03-01,天等县,1.234567\n")
    mapping = ColumnMapping(columns={"voucher_id": "单据号", "amount": "实付金额"}, unit="万元")
    [row] = load(path, mapping)
    assert row[0] == "A1" and row[3] == 1234567  # 1.234567 万元 = 12345.67 元
    assert row[4] == "expenditure"  # no type column: expenditure


def test_xlsx_with_real_dates_and_numbers(tmp_path):
    import datetime as dt

    path = tmp_path / "p.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("台账")
    ws.write_row(0, 0, ["凭证号", "日期", "单位", "金额"])
    ws.write_row(1, 0, ["V1"])
    ws.write_datetime(1, 1, dt.datetime(2021, 3, 1), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write(1, 2, "天等县")
    ws.write_number(1, 3, 12.34)
    ws.write_row(2, 0, ["V2", "2021-04-01", "龙州县", "abc"])
    wb.close()
    [p] = problems(path)
    assert (p.line, p.field) == (3, "金额")


def test_parquet_with_decimal_amounts(tmp_path):
    path = tmp_path / "p.parquet"
    duckdb.sql(
        "COPY (SELECT 'V1' AS voucher_id, DATE '2021-03-01' AS date, '天等县' AS recipient, "
        f"CAST(7.25 AS DECIMAL(18,2)) AS amount) TO '{path}' (FORMAT parquet)"
    )
    [row] = load(path)
    assert row[3] == 725


def test_xlsx_and_csv_together_with_type_words_in_any_form(tmp_path):
    """XLSX is normalized into a table like CSV; the two union into one ledger. Canonical
    type words take a fast path; padded, capitalized and Chinese words still map."""
    xlsx = tmp_path / "a.xlsx"
    wb = xlsxwriter.Workbook(xlsx)
    ws = wb.add_worksheet("台账")
    ws.write_row(0, 0, ["凭证号", "日期", "单位", "金额", "类型"])
    ws.write_row(1, 0, ["X1", "2021-03-01", "天等县", "12.34", " Expenditure "])
    ws.write_row(2, 0, ["X2", "2021-03-02", "天等县", "-0.01", "disbursement"])
    wb.close()
    csv = tmp_path / "b.csv"
    csv.write_text(HEADER + ROWS + "V3,2021-05-01,x,天等县,,,1,　承诺\n", encoding="utf-8")
    con = connect()
    assert load_ledgers(con, [xlsx, csv]) == 5
    rows = con.execute("SELECT voucher_id, fen, CAST(type AS VARCHAR) FROM ledger ORDER BY 1")
    assert rows.fetchall() == [
        ("V1", 10050, "expenditure"), ("V2", 2000, "disbursement"), ("V3", 100, "commitment"),
        ("X1", 1234, "expenditure"), ("X2", -1, "disbursement"),
    ]
    by_type = dict(con.execute("SELECT type, sum(fen) FROM ledger GROUP BY type").fetchall())
    assert by_type == {"expenditure": 11284, "disbursement": 1999, "commitment": 100}


@pytest.mark.parametrize(("text", "fen"), [
    ("12.3", 1230), ("-0.01", -1), ("+3.", 300), ("0012.30", 1230),
    ("99999999999999.99", 9999999999999999),  # the largest the fast path takes
    ("999999999999999.99", 99999999999999999),  # one digit more: the general path, same result
    ('" 1,234.56 "', 123456),  # blanks and thousands separators: the general path
])
def test_amounts_are_exact_on_the_fast_and_the_general_path(tmp_path, text, fen):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + f"V1,2021-03-01,x,天等县,,,{text},支出\n", encoding="utf-8")
    assert load(path)[0][3] == fen


@pytest.mark.parametrize("text", ["1.005", "1e3", ".5", "99999999999999.999"])
def test_amounts_with_extra_places_or_odd_forms_are_errors_not_rounded(tmp_path, text):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + f"V1,2021-03-01,x,天等县,,,{text},支出\n", encoding="utf-8")
    [p] = problems(path)
    assert (p.line, p.field) == (2, "金额") and text in p.message


# Dates: CSV files are first read with the date column typed (strict %Y-%m-%d, cheap); any value
# that read refuses sends the whole file through the all-text path. Both must agree everywhere.
_DATES = [
    "2021-03-01", "2021-3-1", " 2021-03-01", "2021-03-01 ", '"2021-03-01"', "\t2021-03-01",
    "21-03-01", "0001-01-01", "20210301", "2021/03/01", "2021-03-01 10:00:00",
    "2021-03-01T00:00:00", "2021-03-01\u3000", "02021-03-01",
]
_BAD_DATES = [
    "2021-02-30", "01/03/2021", "2021.03.01", "+2021-03-01", "2021-03-01 BC", "2021-13-01",
    "2021-03-01x", "三月一日",
]


def _text_path_date(con: duckdb.DuckDBPyConnection, text: str):
    from jixiao.formats.payment_files import _date
    return con.execute(f"SELECT {_date('d', 'VARCHAR')} FROM (SELECT ? AS d)", [text]).fetchone()[0]


@pytest.mark.parametrize("text", _DATES + _BAD_DATES)
def test_csv_dates_equal_the_text_path_whichever_read_is_used(tmp_path, text):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + ROWS.splitlines(keepends=True)[0]
                    + f"V9,{text},x,天等县,,,1,支出\n", encoding="utf-8")
    expected = _text_path_date(duckdb.connect(), text.strip('"'))
    if expected is None:
        [p] = problems(path)
        assert (p.line, p.field) == (3, "日期")
    else:
        assert load(path)[1][1] == expected


def test_a_clean_csv_takes_the_typed_read_and_a_refused_date_the_text_path(tmp_path):
    headers = HEADER.strip().split(",")
    found, _ = ColumnMapping().resolve(headers)
    clean = tmp_path / "clean.csv"
    clean.write_text(HEADER + "V1,2021-03-01,x,天等县,,,1,expenditure\nV2,,x,天等县,,,1,支出\n",
                     encoding="utf-8")
    typed = payment_csv.typed_columns(clean, headers, found, _dialect(clean))
    assert typed["日期"] == "DATE"
    assert typed["资金"] == "ENUM('x')" and typed["单位"] == "ENUM('天等县')"
    assert "类型" not in typed  # 支出 is not a canonical word: the type column is read as text
    # An empty date is NULL on both paths, so it is still a bad row with row and column.
    [p] = problems(clean)
    assert (p.line, p.field) == (3, "日期")
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(HEADER + "V1,2021-03-01,x,天等县,,,1,支出\nV2,20210302,x,天等县,,,2,支出\n",
                     encoding="utf-8")
    assert [str(r[1]) for r in load(mixed)] == ["2021-03-01", "2021-03-02"]


# Text columns: the typed read keeps fund, recipient and category as ENUMs of the values a
# sample shows (only trimmed, non-empty ones) and the type column as the canonical words. Any
# file must give exactly what the all-text read gives, whichever read ends up being used.
def _everything(path: Path, monkeypatch: pytest.MonkeyPatch | None = None) -> list[tuple]:
    con = connect()
    if monkeypatch is None:
        load_ledgers(con, [path])
    else:  # the all-text read, for comparison
        with monkeypatch.context() as m:
            m.setattr(payment_csv, "typed_columns", lambda *_: {})
            load_ledgers(con, [path])
    return con.execute("SELECT * FROM ledger ORDER BY voucher_id").fetchall()


def _dialect(path: Path) -> payment_csv.Dialect:
    return payment_csv.Dialect.sniff(duckdb.connect(), path)


def _stored_types(path: Path) -> dict[str, str]:
    con = connect()
    load_ledgers(con, [path])
    return {r[0]: r[1] for r in con.execute("DESCRIBE ledger_0").fetchall()}


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sample small files the way large ones are: 4 chunks of 400 bytes."""
    monkeypatch.setattr(payment_csv, "CHUNKS", 4)
    monkeypatch.setattr(payment_csv, "CHUNK_BYTES", 400)


TYPE_CHOICES = ["expenditure", "disbursement", "支出", " expenditure", "Expenditure"]
_TEXTS = [
    "产业帮扶", " 产业帮扶", "产业帮扶 ", '"产业帮扶"', '" 产业帮扶 "', "产业帮扶\u3000",
    "\u3000产业帮扶", "产业\u00a0帮扶", "\t产业帮扶", "产业帮扶\u00a0", '""', "", "O'Brien",
    '"a,b"', "Expenditure",
]


@pytest.mark.parametrize("text", _TEXTS)
def test_text_columns_equal_the_text_path_whichever_read_is_used(tmp_path, monkeypatch, text):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "V1,2021-03-01,x,天等县,,产业帮扶,1,expenditure\n"
                    + f"V2,2021-03-02,{text},天等县,,{text},2,expenditure\n", encoding="utf-8")
    rows = _everything(path)
    assert rows == _everything(path, monkeypatch)
    assert all(isinstance(v, str) or v is None for r in rows for v in (r[2], r[5]))


def test_a_blank_recipient_is_still_a_bad_row_on_the_typed_read(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "V1,2021-03-01,x,天等县,,,1,expenditure\n"
                    "V2,2021-03-01,x,  ,,,1,expenditure\n", encoding="utf-8")
    [p] = problems(path)
    assert (p.line, p.field) == (3, "单位")


@pytest.mark.parametrize("odd", ["就业帮扶", " 产业帮扶", "产业帮扶\u3000", '"产业帮扶"', ""])
@pytest.mark.usefixtures("small_chunks")
def test_a_value_the_sample_missed_retries_without_that_column_only(tmp_path, monkeypatch, odd):
    """A large file is sampled in chunks; a value outside the sample fails the typed read on
    that column, which is then read as text while the other columns stay typed."""
    lines = [f"V{i:04d},2021-03-01,东西部协作,县{i % 3},,产业帮扶,1.5,expenditure\n"
             for i in range(400)]
    lines[150] = f"V0150,2021-03-01,东西部协作,县1,,{odd},1.5,expenditure\n"
    lines[350] = "V0350,2021-03-01,东西部协作,县1,,产业帮扶,1.5,支出\n"
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    headers = HEADER.strip().split(",")
    planned = payment_csv.typed_columns(path, headers, ColumnMapping().resolve(headers)[0],
                                       _dialect(path))
    assert planned["用途"] == "ENUM('产业帮扶')" and planned["类型"] == payment_csv.TYPE_ENUM
    stored = _stored_types(path)
    # Quoted or empty, the value still converts; anything else sends the column to text.
    converts = odd.strip('"') in ("", "产业帮扶")
    assert stored["category"] == ("ENUM('产业帮扶')" if converts else "VARCHAR")
    assert stored["fund"] == "ENUM('东西部协作')" and stored["date"] == "DATE"
    rows = _everything(path)
    assert rows == _everything(path, monkeypatch)
    assert {r[5] for r in rows} == {"产业帮扶", odd.strip(' "\u3000') or None}
    assert {r[7] for r in rows} == {"expenditure"}


_CELL = st.text(alphabet=st.sampled_from(["甲", "乙", "a", " ", "\u3000", "\u00a0", ",", '"']),
                max_size=4)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(_CELL, _CELL, st.sampled_from(TYPE_CHOICES)), min_size=1,
                      max_size=60))
def test_property_any_text_reads_the_same_typed_or_not(tmp_path_factory, monkeypatch, cells):
    monkeypatch.setattr(payment_csv, "CHUNKS", 3)
    monkeypatch.setattr(payment_csv, "CHUNK_BYTES", 200)
    path = tmp_path_factory.mktemp("p") / "p.csv"

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    body = "".join(
        f"V{i:03d},2021-03-01,{cell(fund)},天等县,,{cell(category)},1,{kind}\n"
        for i, (fund, category, kind) in enumerate(cells)
    )
    path.write_text(HEADER + body, encoding="utf-8")
    assert _everything(path) == _everything(path, monkeypatch)


@pytest.mark.usefixtures("small_chunks")
def test_a_file_sorted_by_a_column_does_not_type_it_from_the_sample(tmp_path, monkeypatch):
    """Values confined to one sampled chunk suggest unseen ones: that column stays text."""
    lines = [f"V{i:04d},2021-03-01,东西部协作,县{i // 10:03d},,产业帮扶,1.5,expenditure\n"
             for i in range(400)]
    path = tmp_path / "sorted.csv"
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    headers = HEADER.strip().split(",")
    planned = payment_csv.typed_columns(path, headers, ColumnMapping().resolve(headers)[0],
                                       _dialect(path))
    assert "单位" not in planned and "资金" in planned and "用途" in planned
    assert _everything(path) == _everything(path, monkeypatch)


def test_a_ragged_row_is_reported_by_the_text_read(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "V1,2021-03-01,x,天等县,,,1,expenditure\nV2,2021-03-01,x\n",
                    encoding="utf-8")
    assert problems(path)


def test_summaries_are_the_same_whether_text_columns_load_as_enums_or_text(tmp_path, monkeypatch):
    """One file's typed read keeps ENUMs in the ledger view; totals, their order and every
    finding must equal those of the all-text read."""
    import datetime as dt

    from jixiao.payments.summarize import Options, summarize

    rows = [
        "V3,2021-05-01,乙资金,龙州县,P2,就业帮扶,30.00,expenditure",
        "V1,2021-03-01,甲资金,天等县,P1,产业帮扶,100.50,expenditure",
        "V2,2021-03-02,甲资金,天等县,P1,产业帮扶,-10.00,expenditure",
        "V2,2021-04-02,甲资金,Zhou县,,其他,-5.00,expenditure",
        "V4,2022-01-02,乙资金,龙州县,P2,,7.00,disbursement",
        "V5,2021-06-02,,天等县,P3,产业帮扶,1.00,commitment",
    ]
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    options = Options(year=2021, today=dt.date(2022, 3, 1))
    typed = summarize([path], options)
    assert _stored_types(path)["recipient"].startswith("ENUM")
    with monkeypatch.context() as m:
        m.setattr(payment_csv, "typed_columns", lambda *_: {})
        text = summarize([path], options)
    assert typed.totals == text.totals and typed.by_month == text.by_month
    assert typed.by_type == text.by_type
    assert typed.findings == text.findings
    assert {f.rule for f in typed.findings} >= {
        "ledger.duplicate_voucher", "ledger.outside_year", "ledger.orphan_reversal"}


def test_classification_codes_are_read_and_totalled(tmp_path, monkeypatch):
    """功能分类 / 经济分类 codes ride along with each payment; executed totals by code are exact
    and the same whether the codes load as ENUMs or as text (one code here is padded)."""
    import datetime as dt

    from jixiao.payments.summarize import Options, summarize

    path = tmp_path / "p.csv"
    path.write_text(
        "凭证号,日期,单位,金额,类型,功能分类科目,经济分类科目\n"
        "V1,2021-03-01,天等县,100.10,支出,2130504,30201\n"
        "V2,2021-03-02,天等县,0.20,支出, 2130504,30201\n"
        "V3,2021-03-03,龙州县,5.00,支出,2130599,\n"
        "V4,2021-03-04,龙州县,7.00,拨付,2130599,31005\n",
        encoding="utf-8",
    )
    options = Options(year=2021, today=dt.date(2022, 3, 1))
    typed = summarize([path], options)
    assert typed.by_function_code == {"2130504": 10030, "2130599": 500}
    assert typed.by_economic_code == {"30201": 10030}  # disbursements are not executed spending
    with monkeypatch.context() as m:
        m.setattr(payment_csv, "typed_columns", lambda *_: {})
        text = summarize([path], options)
    assert (text.by_function_code, text.by_economic_code) == (
        typed.by_function_code, typed.by_economic_code)


# Files that once made the two reads disagree or the sampler crash (found in review).


def test_bare_cr_lines_and_a_stray_quote_load_without_the_sample(tmp_path, monkeypatch):
    mac = tmp_path / "mac.csv"  # Excel for Mac's "CSV (Macintosh)": bare CR line ends
    mac.write_text((HEADER + "V1,2021-03-01,x,天等县,,产业,1,expenditure\n").replace("\n", "\r"),
                   encoding="utf-8")
    assert len(_everything(mac)) == 1 and _everything(mac) == _everything(mac, monkeypatch)
    body = [f"V{i},2021-03-01,x,天等县,,产业帮扶,1,expenditure" for i in range(5000)]
    body[1] = 'V1,2021-03-01,x,天等县,,"产业帮扶,1,expenditure'  # an unclosed quote, 200 KB file
    stray = tmp_path / "stray.csv"
    stray.write_text(HEADER + "\n".join(body) + "\n", encoding="utf-8")
    assert len(_everything(stray)) == 5000
    assert _everything(stray) == _everything(stray, monkeypatch)


@pytest.mark.usefixtures("small_chunks")
def test_a_refused_value_drops_its_own_column_even_after_an_unused_one(tmp_path, monkeypatch):
    """DuckDB may name the wrong column when unused columns come first; the type decides."""
    lines = [f"{i},V{i:04d},2021-03-01,东西部协作,县{i % 3},,产业帮扶,1.5,expenditure\n"
             for i in range(400)]
    lines[150] = "150,V0150,2021-03-01,东西部协作,县1,,就业帮扶,1.5,expenditure\n"
    path = tmp_path / "numbered.csv"
    path.write_text("序号," + HEADER + "".join(lines), encoding="utf-8")
    stored = _stored_types(path)
    assert stored["category"] == "VARCHAR"
    assert stored["fund"].startswith("ENUM") and stored["recipient"].startswith("ENUM")
    assert _everything(path) == _everything(path, monkeypatch)


@pytest.mark.parametrize("text", [
    '凭证号,日期,单位,项目,金额\nV1,2021-03-01,天等县,"\\1",1\n',  # a backslash in quotes
    "凭证号,日期,备注,单位,金额\nV1,2021-03-01, #补录,天等县,1\nV2,2021-03-02,,龙州县,2\n",
])
def test_both_reads_share_one_dialect(tmp_path, monkeypatch, text):
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    rows = _everything(path)
    assert rows == _everything(path, monkeypatch)
    assert len(rows) == text.count("\n") - 1  # "#" never starts a comment: no row is dropped


def test_a_row_missing_required_values_behind_a_hash_is_reported(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("凭证号,日期,备注,单位,金额,项目\nV1,2021-03-01, #补录,,,\n"
                    "V2,2021-03-02,,龙州县,2,\n", encoding="utf-8")
    fields = {(p.line, p.field) for p in problems(path)}
    assert fields == {(2, "单位"), (2, "金额")}


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_sample_reads_the_sniffed_delimiter(tmp_path, monkeypatch, delimiter):
    path = tmp_path / "p.csv"
    rows = [HEADER.strip(), "V1,2021-03-01,甲资金,天等县,,产业帮扶,1,expenditure",
            'V2,2021-03-02,乙资金,龙州县,,"就业,帮扶",2,expenditure']
    path.write_text("\n".join(r.replace(",", delimiter) for r in rows) + "\n", encoding="utf-8")
    assert _stored_types(path)["fund"] == "ENUM('乙资金', '甲资金')"
    assert _everything(path) == _everything(path, monkeypatch)
