"""The allocation calculator (issue 16): an uploaded factor table (xlsx/csv) read by the
CLI's reader, a 绩效因素 filled from a fund-year's results (results feed next year's money),
the live-formula sheet to download, shares to the places that matter, and bad uploads
answered with a form error naming the sheet, row and column."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.core.allocation import allocate
from jixiao.core.dossier import Dossier
from jixiao.formats.allocation_spec import load_allocation_spec
from jixiao.web.funds.mapping import load_dossier
from jixiao.web.funds.models import Fund

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "allocation-guangxi"
SPEC = """total: 1000
unit: 万元
base_share: 0.5
factors:
  - {name: 人口, weight: 0.6, category: 客观因素}
  - {name: 绩效评价结果, weight: 0.4, category: 绩效因素}
"""
TABLE = "名称,代码,人口\n甲县,a,100\n乙县,b,300\n丙县,c,200\n"


def _spec_without_recipients() -> str:
    text = (EXAMPLE / "spec.yaml").read_text(encoding="utf-8")
    return re.sub(r"(?m)^recipients:.*$", "", text)


def _csv(text: str, name: str = "因素表.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows: list[list[Any]], sheet: str = "县级因素") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return SimpleUploadedFile("因素表.xlsx", buf.getvalue())


def _amounts(page: str) -> list[str]:
    return re.findall(r'<td class="num amount">([^<]+)</td>', page)


def test_an_uploaded_table_allocates_as_the_cli_does(login: Any, demo: Any) -> None:
    expected = load_allocation_spec(EXAMPLE / "spec.yaml").allocate()
    c = login("admin")
    r = c.post("/allocation/", {"spec": _spec_without_recipients(), "action": "calculate",
                                "table": _csv((EXAMPLE / "counties.csv").read_text("utf-8"))})
    assert r.status_code == 200, r.context["error"]
    page = r.content.decode()
    assert _amounts(page) == [f"{a.amount:,.2f}".replace(",", "") if False else
                              _fmt(a.amount) for a in expected.allocations]
    assert re.search(r'id="allocation-total">50000\.00<', page)
    # Shares to the places that matter: 50000 万元 in units of 0.01 is 5,000,000 units, so
    # a percentage with 5 places; never the 12 places of the exact share.
    shares = re.findall(r'<td class="num share">([0-9.]+)%</td>', page)
    assert shares and all(len(s.split(".")[1]) == 5 for s in shares)
    total = sum(Decimal(s) for s in shares)
    assert abs(total - 100) <= Decimal("0.00001") * len(shares)


def _fmt(value: Decimal) -> str:
    from jixiao.core.numbers import fmt

    return fmt(value, 2)


def test_the_same_table_as_xlsx_and_the_sheet_download(login: Any, demo: Any) -> None:
    rows = [["名称", "代码", "脱贫人口", "重点帮扶县", "考核结果"]]
    for line in (EXAMPLE / "counties.csv").read_text("utf-8").splitlines()[1:]:
        name, code, people, key, result, _ = line.split(",")
        rows.append([name, code, int(people), int(key), float(result)])
    c = login("unit")
    r = c.post("/allocation/", {"spec": _spec_without_recipients(), "action": "download",
                                "table": _xlsx(rows)})
    assert r.status_code == 200
    assert r["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content)
                                             if r.streaming else r.content))
    ws = book["分配表"]
    formulas = [cell.value for row in ws.iter_rows() for cell in row
                if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert len(formulas) > 30  # the live formulas, as `jixiao allocate --xlsx` writes them


@pytest.mark.parametrize(("cell", "row", "column"), [("很多", 4, "脱贫人口"), (-5, 3, "考核结果")])
def test_a_bad_cell_is_named_by_sheet_row_and_column(login: Any, demo: Any, cell: Any, row: int,
                                                   column: str) -> None:
    rows: list[list[Any]] = [["名称", "脱贫人口", "重点帮扶县", "考核结果"]]
    for i in range(5):
        rows.append([f"县{i}", 100 + i, i % 2, 1])
    rows[row - 1][rows[0].index(column)] = cell
    r = login("admin").post("/allocation/", {"spec": _spec_without_recipients(),
                                             "table": _xlsx(rows, "县级因素")})
    assert r.status_code == 400
    error = r.context["error"]
    assert "因素表.xlsx" in error and "工作表「县级因素」" in error
    assert f"第 {row} 行" in error and f"「{column}」列" in error


def test_bad_uploads_are_form_errors(login: Any, demo: Any) -> None:
    c = login("admin")
    spec = _spec_without_recipients()
    cases = [
        (_csv("名称,脱贫人口\n甲,1\n"), "缺少因素列"),
        (SimpleUploadedFile("x.xlsx", b"not a zip at all"), "不符"),
        (SimpleUploadedFile("x.pdf", b"%PDF-1.4"), "不支持的文件类型"),
        (_csv(""), "表格为空"),
        (_csv("名称,脱贫人口,重点帮扶县,考核结果,多余\n甲,1,1,1,1\n"), "多余的列"),
    ]
    for upload, words in cases:
        r = c.post("/allocation/", {"spec": spec, "table": upload})
        assert r.status_code == 400, words
        assert words in r.context["error"], (words, r.context["error"])


def _last_year(year: int = 2021) -> Fund:
    d = Dossier.model_validate({
        "fund": {"name": "县级考核资金", "budget_unit": "某厅", "year": year},
        "indicators": [{"name": "总体", "weight": "100", "method": "manual", "score": "95"}],
        "recipients": [{"id": "p", "name": "某省", "kind": "province", "children": [
            {"id": "a", "name": "甲县", "kind": "county", "attributes": {"考核得分": 90}},
            {"id": "b", "name": "乙县", "kind": "county", "attributes": {"考核得分": 80}},
            {"id": "c", "name": "丙县", "kind": "county", "attributes": {"考核得分": 70}},
        ]}],
        "arrivals": [{"recipient": r, "amount": "100"} for r in "abc"],
        "spending": [{"id": f"s{r}", "recipient": r,
                      "by_use": [{"category": "产业", "amount": amount}]}
                     for r, amount in (("a", "100"), ("b", "50"), ("c", "75"))],
    })
    return load_dossier(d)


@pytest.mark.parametrize(("measure", "values"), [
    ("考核得分", {"a": 90, "b": 80, "c": 70}),
    ("资金执行率", {"a": 100, "b": 50, "c": 75}),
])
def test_last_years_results_become_the_performance_factor(login: Any, demo: Any, measure: str,
                                                          values: dict[str, int]) -> None:
    fund = _last_year()
    r = login("admin").post("/allocation/", {
        "spec": SPEC, "table": _csv(TABLE), "perf_fund": fund.pk, "perf_measure": measure})
    assert r.status_code == 200, r.context["error"]
    from jixiao.core.allocation import AllocationSpec

    people = {"a": 100, "b": 300, "c": 200}
    expected = allocate(AllocationSpec.model_validate({
        "total": 1000, "base_share": "0.5",
        "factors": [{"name": "人口", "weight": "0.6", "category": "客观因素"},
                    {"name": "绩效评价结果", "weight": "0.4", "category": "绩效因素"}],
        "recipients": [{"name": n, "code": k, "values": {"人口": people[k],
                                                          "绩效评价结果": values[k]}}
                       for n, k in (("甲县", "a"), ("乙县", "b"), ("丙县", "c"))],
    }))
    page = r.content.decode()
    assert _amounts(page) == [_fmt(a.amount) for a in expected.allocations]
    shown = re.findall(r'<td class="num filled">([^<]+)</td>', page)
    assert shown == [_fmt(Decimal(values[k])) for k in "abc"]


def test_a_recipient_without_a_result_is_named(login: Any, demo: Any) -> None:
    fund = _last_year()
    c = login("admin")
    r = c.post("/allocation/", {"spec": SPEC, "table": _csv(TABLE + "丁县,d,50\n"),
                                "perf_fund": fund.pk, "perf_measure": "考核得分"})
    assert r.status_code == 400
    assert "第 5 行" in r.context["error"] and "丁县" in r.context["error"]
    r = c.post("/allocation/", {"spec": SPEC, "table": _csv(TABLE), "perf_fund": fund.pk,
                                "perf_measure": "不存在的结果"})
    assert r.status_code == 400 and "考核得分" in r.context["error"]
    no_factor = SPEC.replace("category: 绩效因素", "category: 政策因素")
    r = c.post("/allocation/", {"spec": no_factor, "table": _csv(TABLE + ""),
                                "perf_fund": fund.pk, "perf_measure": "考核得分"})
    assert r.status_code == 400 and "绩效因素" in r.context["error"]


def test_a_fund_year_out_of_scope_cannot_be_read(login: Any, demo: Any) -> None:
    fund = _last_year()
    r = login("tiandeng").post("/allocation/", {"spec": SPEC, "table": _csv(TABLE),
                                                "perf_fund": fund.pk})
    assert r.status_code == 403


def test_the_project_library_gives_a_project_execution_rate(login: Any, demo: Fund) -> None:
    """项目执行率: what each county recorded in the web's 项目库 last year."""
    from jixiao.web.funds.models import Project, Recipient

    for code, budget, spent in (("tiandeng", "200", "150"), ("longzhou", "100", "100")):
        unit = Recipient.objects.get(fund=demo, code=code)
        Project.objects.create(fund=demo, recipient=unit, name="项目", category="产业",
                               budget=Decimal(budget), spent=Decimal(spent))
    table = "名称,人口\n天等县,100\n龙州县,300\n"
    c = login("admin")
    r = c.post("/allocation/", {"spec": SPEC, "table": _csv(table), "perf_fund": demo.pk,
                                "perf_measure": "项目执行率"})
    assert r.status_code == 200, r.context["error"]
    shown = re.findall(r'<td class="num filled">([^<]+)</td>', r.content.decode())
    assert shown == ["75.00", "100.00"]
    # The example fund records no money per county: each county is named.
    r = c.post("/allocation/", {"spec": SPEC, "table": _csv(table), "perf_fund": demo.pk,
                                "perf_measure": "资金执行率"})
    assert r.status_code == 400
    assert "第 2 行" in r.context["error"] and "天等县" in r.context["error"]
    # Projects without a budget give no rate anywhere: said once, with what would.
    Project.objects.filter(fund=demo).update(budget=Decimal(0), spent=Decimal(0))
    r = c.post("/allocation/", {"spec": SPEC, "table": _csv(table), "perf_fund": demo.pk,
                                "perf_measure": "项目执行率"})
    assert r.status_code == 400 and "没有任何受益对象" in r.context["error"]
    assert r.context["error"].count("没有任何受益对象") == 1


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    assert found, name
    return found.group(1)


def _sheet_names(response: Any) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                             if response.streaming else response.content))
    ws = book["分配表"]
    return [str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_the_download_after_calculating_is_the_uploaded_tables_allocation(
        login: Any, demo: Any) -> None:
    # The walk's blocker: after 计算 the browser empties the file field; 下载 then sent only
    # the spec (the example's 10 counties) and got their sheet without a word.
    spec = SPEC.replace("  - {name: 绩效评价结果, weight: 0.4, category: 绩效因素}\n", "").replace(
        "weight: 0.6", "weight: 1") + ("recipients:\n  - {name: 示例县, values: {人口: 5}}\n")
    c = login("admin")
    r = c.post("/allocation/", {"spec": spec, "action": "calculate", "table": _csv(TABLE)})
    assert r.status_code == 200, r.context["error"]
    page = r.content.decode()
    shown = _amounts(page)
    assert len(shown) == 3 and "示例县" not in page.split('id="allocation"')[1]
    assert "因素表.csv" in page and 'id="allocation-kept"' in page
    kept = {"table_name": _hidden(page, "table_name"), "table_kept": _hidden(page, "table_kept")}
    # 下载 with the file field empty, as the browser sends it: the same three counties.
    r = c.post("/allocation/", {"spec": spec, "action": "download", **kept})
    assert r.status_code == 200
    cells = _sheet_names(r)
    assert {"甲县", "乙县", "丙县"} <= set(cells) and "示例县" not in cells
    # 计算 again keeps the table and the amounts; 不再使用 falls back to the spec on purpose.
    r = c.post("/allocation/", {"spec": spec, "action": "calculate", **kept})
    assert r.status_code == 200 and _amounts(r.content.decode()) == shown
    r = c.post("/allocation/", {"spec": spec, "action": "calculate", "table_drop": "1", **kept})
    assert r.status_code == 200 and len(_amounts(r.content.decode())) == 1
    # A table that was not kept (too large, or damaged fields) is asked for again, never
    # replaced by the spec's recipients.
    for data in ("", "not base64!"):
        r = c.post("/allocation/", {"spec": spec, "action": "download",
                                    "table_name": "因素表.csv", "table_kept": data})
        assert r.status_code == 400
        assert "请重新选择该文件" in r.context["error"]
        assert r.content.decode().count('name="table_name"') == 1


def test_a_performance_value_the_spec_gives_is_kept_and_said(login: Any, demo: Any) -> None:
    """The spec's own 绩效 values were kept over last year's results without a word, so the
    allocation looked as if last year's results were applied (new-user walk)."""
    fund = _last_year()
    spec = SPEC + """recipients:
  - {name: 甲县, code: a, values: {人口: 100, 绩效评价结果: 0.5}}
  - {name: 乙县, code: b, values: {人口: 300}}
  - {name: 火星县, code: x, values: {人口: 200, 绩效评价结果: 0.9}}
"""
    r = login("admin").post("/allocation/", {"spec": spec, "perf_fund": fund.pk,
                                             "perf_measure": "考核得分"})
    assert r.status_code == 200, r.context["error"]
    page = r.content.decode()
    notes = page[page.index('id="allocation-notes"'):]
    notes = notes[:notes.index("</div>")]
    assert "「甲县」沿用方案所列的 0.5（所选资金年度的结果为 90）" in notes
    assert "「火星县」沿用方案所列的 0.9（不在所选资金年度的受益对象中）" in notes
    assert "乙县" not in notes  # filled from its result


def test_a_recipient_held_at_its_floor_or_cap_is_marked(login: Any, demo: Any) -> None:
    """Once a cap or floor applied, 加权占比 and 因素分配 no longer agreed and nothing said why
    (new-user walk)."""
    spec = """total: 1000
unit: 万元
base_share: 0
factors:
  - {name: 人口, weight: 1, category: 客观因素}
recipients:
  - {name: 甲县, values: {人口: 100}, floor: 300}
  - {name: 乙县, values: {人口: 800}, cap: 500}
  - {name: 丙县, values: {人口: 100}}
"""
    r = login("admin").post("/allocation/", {"spec": spec})
    assert r.status_code == 200, r.context["error"]
    page = r.content.decode()
    assert "保底/上限" in page
    held = re.findall(r'<td class="held">([^<]*)</td>', page)
    assert held == ["保底", "上限", ""]
    assert _amounts(page) == ["300.00", "500.00", "200.00"]
    plain = login("admin").post("/allocation/", {"spec": spec.replace(", floor: 300", "")
                                                 .replace(", cap: 500", "")})
    assert 'class="held"' not in plain.content.decode()
