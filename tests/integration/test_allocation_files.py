"""Allocation specs and recipient tables on disk: reading, errors with file/row/column, writing."""

from __future__ import annotations

import csv
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
import python_calamine
import xlsxwriter

from jixiao.formats.allocation_spec import (
    load_allocation_spec,
    parse_allocation_spec,
    read_allocation_spec,
)
from jixiao.formats.allocation_xlsx import write_allocation_csv, write_allocation_xlsx
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.yaml_loader import load_yaml

ROOT = Path(__file__).resolve().parents[2]
GUANGXI = ROOT / "examples" / "allocation-guangxi" / "spec.yaml"

SPEC = """\
total: 1000
unit: 万元
base_share: 0.5
factors:
  - name: 人口
    weight: 0.6
    category: 客观因素
  - name: 人均财力
    weight: 0.4
    category: 客观因素
    direction: inverse
recipients: {table}
"""
ROWS = [["甲县", "001", "100", "2"], ["乙县", "002", "300", "4"]]


def write_spec(tmp_path: Path, table: str = "t.csv", text: str = SPEC) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text.format(table=table), encoding="utf-8")
    return spec


def write_csv(path: Path, rows: list[list[str]], header: list[str] | None = None,
              encoding: str = "utf-8") -> Path:
    header = header or ["名称", "代码", "人口", "人均财力"]
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def problems(spec: Path) -> list[Problem]:
    with pytest.raises(InputError) as exc:
        load_allocation_spec(spec).allocate()
    return exc.value.problems


def one(spec: Path) -> Problem:
    found = problems(spec)
    assert len(found) == 1, found
    return found[0]


# --- the example and good tables ------------------------------------------------------------


def test_guangxi_example_gives_4000_bases_and_sums_to_50000():
    loaded = load_allocation_spec(GUANGXI)
    result = loaded.allocate()
    assert [r.name for r in loaded.spec.recipients][:3] == ["天等县", "龙州县", "宁明县"]
    assert len(result.allocations) == 10
    assert {a.base for a in result.allocations} == {D(4000)}
    assert sum(a.exact_fraction() - 4000 for a in result.allocations) == 10000
    assert sum(a.amount for a in result.allocations) == D("50000.00")
    assert {f.category for f in loaded.spec.factors} == {"客观因素", "政策因素", "绩效因素"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_the_encodings_offices_use(tmp_path, encoding):
    write_csv(tmp_path / "t.csv", ROWS, encoding=encoding)
    spec = read_allocation_spec(write_spec(tmp_path))
    assert [r.name for r in spec.recipients] == ["甲县", "乙县"]
    assert spec.recipients[1].values == {"人口": D(300), "人均财力": D(4)}
    assert spec.recipients[0].code == "001"


def test_undecodable_csv_names_both_encodings(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"\xff\xfe\x00\x81\x30\x00\xff")
    problem = one(write_spec(tmp_path))
    assert problem.file == str(tmp_path / "t.csv")
    assert "UTF-8" in problem.message and "GB18030" in problem.message


def test_xlsx_table_with_floats_numeric_codes_blank_rows_and_ignored_columns(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "t.xlsx"))
    ws = book.add_worksheet("名单")
    ws.write_row(1, 0, ["序号", "名称", "代码", "人口", "人均财力", "备注"])
    ws.write_row(2, 0, [1, "甲县", 451425, 100.5, 0.1, "示意"])
    ws.write_row(4, 0, [2, "乙县", 451423, 300, 0.3])  # row 4 left blank
    book.close()
    loaded = load_allocation_spec(write_spec(tmp_path, "t.xlsx"))
    rows = loaded.spec.recipients
    assert [(r.name, r.code) for r in rows] == [("甲县", "451425"), ("乙县", "451423")]
    assert rows[0].values == {"人口": D("100.5"), "人均财力": D("0.1")}
    assert loaded.table is not None and loaded.table.rows == [3, 5]
    assert sum(a.amount for a in loaded.allocate().allocations) == 1000


def test_flags_override_total_and_base_share(tmp_path):
    write_csv(tmp_path / "t.csv", ROWS)
    loaded = load_allocation_spec(write_spec(tmp_path), total=D(2000), base_share=D(1))
    assert [a.amount for a in loaded.allocate().allocations] == [D("1000.00"), D("1000.00")]


def test_flag_errors_name_the_flag(tmp_path):
    write_csv(tmp_path / "t.csv", ROWS)
    with pytest.raises(InputError) as exc:
        load_allocation_spec(write_spec(tmp_path), base_share=D("1.5"))
    assert [(p.file, p.field) for p in exc.value.problems] == [("命令行", "--base-share")]


def test_inline_recipients(tmp_path):
    text = SPEC.replace("recipients: {table}", """\
recipients:
  - name: 甲县
    values: {{人口: 100, 人均财力: 2}}
  - name: 乙县
    values: {{人口: 300, 人均财力: 4}}
    cap: 400
""")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text.format(), encoding="utf-8")
    result = load_allocation_spec(spec).allocate()
    assert [a.amount for a in result.allocations] == [D("600.00"), D("400.00")]


def test_floor_and_cap_columns(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "100", "2", "", "450"], ["乙县", "300", "4", "", ""]],
              header=["name", "人口", "人均财力", "保底", "上限"])
    rows = read_allocation_spec(write_spec(tmp_path)).recipients
    assert (rows[0].floor, rows[0].cap, rows[1].cap) == (None, D(450), None)


def test_a_spec_block_inside_another_file_reports_its_own_lines(tmp_path):
    text = "fund: x\nallocation:\n" + "".join(
        "  " + line + "\n" for line in SPEC.format(table="[]").replace(
            "weight: 0.4", "weight: 0.3").splitlines()
    )
    data, lines = load_yaml(text, "dossier.yaml")
    with pytest.raises(InputError) as exc:
        parse_allocation_spec(data["allocation"], lines, "dossier.yaml", tmp_path,
                              prefix=("allocation",))
    found = {(p.line, p.field) for p in exc.value.problems}
    assert (14, "allocation.recipients") in found  # min length: no recipients


# --- bad input: file, row and column --------------------------------------------------------


def test_missing_and_extra_factor_columns_are_named_on_the_header_row(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "100", "9"]], header=["名称", "人口", "面积"])
    found = problems(write_spec(tmp_path))
    assert {(p.file, p.line, p.field) for p in found} == {
        (str(tmp_path / "t.csv"), 1, "面积"), (str(tmp_path / "t.csv"), 1, "人均财力")}
    assert any("缺少因素列「人均财力」" in p.message for p in found)
    assert any("多余的列「面积」" in p.message for p in found)


def test_missing_name_column(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "100", "2"]], header=["县", "人口", "人均财力"])
    found = problems(write_spec(tmp_path))
    assert any("缺少名称列" in p.message for p in found)


def test_bad_cells_name_row_and_column_all_at_once(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "001", "abc", "2"], ["乙县", "002", "-3", "4"],
                                   ["丙县", "003", "5", "六"]])
    found = problems(write_spec(tmp_path))
    table = str(tmp_path / "t.csv")
    assert {(p.file, p.line, p.field) for p in found} == {
        (table, 2, "人口"), (table, 3, "人口"), (table, 4, "人均财力")}
    messages = {p.line: p.message for p in found}
    assert messages[2] == "应为数字（实际为「abc」）"
    assert messages[3] == "不能为负数（实际为 -3）"


def test_empty_cell_is_a_missing_value(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "001", "", "2"], ["乙县", "002", "1", "4"]])
    problem = one(write_spec(tmp_path))
    assert (problem.line, problem.field, problem.message) == (2, "人口", "缺少因素「人口」的数值")


def test_inverse_factor_with_zero_names_the_cell(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "001", "1", "2"], ["乙县", "002", "1", "0"]])
    problem = one(write_spec(tmp_path))
    assert (problem.line, problem.field) == (3, "人均财力")
    assert "不能为 0" in problem.message


def test_zero_column_names_the_column(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "001", "0", "2"], ["乙县", "002", "0.00", "4"]])
    problem = one(write_spec(tmp_path))
    assert (problem.file, problem.line, problem.field) == (str(tmp_path / "t.csv"), 1, "人口")
    assert "合计为 0" in problem.message


def test_duplicate_names_name_the_row(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "001", "1", "2"], ["甲县", "002", "1", "3"]])
    problem = one(write_spec(tmp_path))
    assert (problem.line, problem.field, problem.message) == (3, "名称", "名称「甲县」重复")


def test_weights_not_summing_to_one_name_the_spec_line(tmp_path):
    write_csv(tmp_path / "t.csv", ROWS)
    spec = write_spec(tmp_path, text=SPEC.replace("weight: 0.4", "weight: 0.3"))
    problem = one(spec)
    assert (problem.file, problem.line, problem.field) == (str(spec), 5, "factors")
    assert problem.message == "各因素权重合计应为 1，实际为 0.9"


def test_base_share_outside_0_1_names_the_spec_line(tmp_path):
    write_csv(tmp_path / "t.csv", ROWS)
    spec = write_spec(tmp_path, text=SPEC.replace("base_share: 0.5", "base_share: 1.5"))
    problem = one(spec)
    assert (problem.line, problem.field) == (3, "base_share")
    assert problem.message == "应 ≤ 1（实际为 1.5）"


def test_missing_table_and_wrong_suffix_point_at_the_recipients_line(tmp_path):
    problem = one(write_spec(tmp_path, "nowhere.csv"))
    assert (problem.line, problem.field) == (12, "recipients") and "找不到" in problem.message
    problem = one(write_spec(tmp_path, "t.txt"))
    assert problem.line == 12 and ".csv" in problem.message


def test_infeasible_caps_name_the_table(tmp_path):
    write_csv(tmp_path / "t.csv", [["甲县", "1", "2", "100"], ["乙县", "3", "4", "100"]],
              header=["名称", "人口", "人均财力", "上限"])
    problem = one(write_spec(tmp_path))
    assert problem.file == str(tmp_path / "t.csv") and "上限金额过低" in problem.message


def test_missing_spec_file_and_bad_yaml(tmp_path):
    assert one(tmp_path / "none.yaml").message == "文件不存在"
    bad = tmp_path / "bad.yaml"
    bad.write_text("total: [1\n", encoding="utf-8")
    assert "YAML" in one(bad).message


# --- writing --------------------------------------------------------------------------------


def test_csv_output_round_trips_the_amounts(tmp_path):
    result = load_allocation_spec(GUANGXI).allocate()
    out = tmp_path / "out.csv"
    write_allocation_csv(result, out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["名称"] for r in rows] == [a.name for a in result.allocations]
    assert sum(D(r["分配金额"]) for r in rows) == D(50000)
    assert rows[0]["基数"] == "4000" and "占比：脱贫人口" in rows[0]


def test_text_cells_that_look_like_formulas_are_escaped(tmp_path):
    write_csv(tmp_path / "t.csv", [["=HYPERLINK(1)", "+1", "100", "2"],
                                   ["@SUM(A1)", "-2", "300", "4"]])
    loaded = load_allocation_spec(write_spec(tmp_path))
    result = loaded.allocate()
    write_allocation_csv(result, tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1),'+1" in text and "'@SUM(A1),'-2" in text
    write_allocation_xlsx(loaded.spec, result, tmp_path / "out.xlsx")
    with zipfile.ZipFile(tmp_path / "out.xlsx") as z:
        strings = z.read("xl/sharedStrings.xml").decode()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "&apos;=HYPERLINK(1)" in strings or "'=HYPERLINK(1)" in strings
    assert "HYPERLINK" not in sheet  # never a formula


def test_xlsx_holds_live_formulas_and_cached_values(tmp_path):
    loaded = load_allocation_spec(GUANGXI)
    result = loaded.allocate()
    write_allocation_xlsx(loaded.spec, result, tmp_path / "gx.xlsx")
    with zipfile.ZipFile(tmp_path / "gx.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    for formula in ("COUNTA($B$17:$B$26)", "B6*B5/B7", "(1-B6)*B5", "IF(D$27=0,0,D17/D$27)",
                    "SUMPRODUCT($D$15:$F$15,G17:I17)", "$B$10*J17", "K17+L17", "SUM(M17:M26)"):
        assert f"<f>{formula}</f>" in sheet
    grid = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "gx.xlsx")) \
        .get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert grid[15][:3] == ["序号", "名称", "代码"] and grid[16][1] == "天等县"
    assert grid[16][12] == pytest.approx(float(result.allocations[0].exact))
    assert grid[16][13] == float(result.allocations[0].amount)
