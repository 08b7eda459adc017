"""The allocation calculator on an English page: the spec's checks and the factor table's
reader say their problems in English, and where they are (the spec, a row, a column) too;
the only Chinese left is the user's own (file, factor and recipient names)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from .test_english_pages import GLOSSED, HAN

# The user's own words in the specs and tables below (file, factor and recipient names, the
# table's own headers): data, never translated.
NAMES = ("因素表.csv", "人口", "财力", "甲县", "乙县", "多余", "名称", "保底")


def _post(c: Any, spec: str, table: str | None = None) -> list[str]:
    data: dict[str, Any] = {"spec": spec}
    if table is not None:
        data["table"] = SimpleUploadedFile("因素表.csv", table.encode("utf-8"),
                                           content_type="text/csv")
    r = c.post("/allocation/", data)
    assert r.status_code == 400
    errors = list(r.context["errors"])
    assert errors
    return errors


def _assert_english(errors: list[str]) -> None:
    for error in errors:
        text = error
        for name in NAMES:
            text = text.replace(name, "")
        assert not HAN.search(GLOSSED.sub("", text)), error


def _english(login: Any) -> Any:
    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return c


HEAD = """total: 1000.5
base_share: 0
precision: 1
factors:
"""


def test_a_bad_spec_is_said_in_english(login: Any, demo: Any) -> None:
    spec = HEAD + """  - {name: 人口, weight: 0.5, category: 客观因素}
  - {name: 人口, weight: 0.6, category: 客观因素}
  - {name: 财力, weight: 0, category: 客观因素, direction: inverse}
recipients:
  - {name: 甲县, values: {人口: 1, 财力: 0}, floor: 0.5, cap: 0.2}
  - {name: 甲县, values: {人口: 2, 多余: 3}}
"""
    errors = _post(_english(login), spec)
    _assert_english(errors)
    said = "\n".join(errors)
    for words in ("factor name “人口” appears more than once",
                  "the factors' weights should add up to 1; they add up to 1.1",
                  "is not a whole multiple of the rounding precision 1",
                  "“财力” is an inverse factor", "the floor 0.5 is greater than the cap 0.2",
                  "name “甲县” appears more than once", "no value for factor “财力”",
                  "“多余” is not one of the factors"):
        assert words in said, (words, said)
    assert all(e.startswith("Allocation spec row ") for e in errors), errors


def test_a_schema_error_names_the_spec_in_english(login: Any, demo: Any) -> None:
    spec = HEAD.replace("1000.5", "1000") + """  - {name: 人口, weight: 1, category: 客观因素,
     direction: sideways}
recipients:
  - {name: 甲县, values: {人口: 1}}
"""
    errors = _post(_english(login), spec)
    _assert_english(errors)
    assert errors[0].startswith("Allocation spec row "), errors
    assert " factors[0].direction: " in errors[0], errors


def test_a_bad_table_is_said_in_english(login: Any, demo: Any) -> None:
    c = _english(login)
    spec = HEAD.replace("1000.5", "1000") + """  - {name: 人口, weight: 0.5, category: 客观因素}
  - {name: 财力, weight: 0.5, category: 客观因素, direction: inverse}
"""
    cases = [
        ("名称,人口,人口,多余\n甲县,1,2,3\n",
         ("column “人口” appears more than once", "extra column “多余”",
          "no column for factor “财力”")),
        ("\n\n", ("the table is empty",)),
        ("代码,,备注\n1,x,\n", ("this column has data but no header", "no name column")),
        ("名称,人口,财力\n", ("the table has a header but no recipients",)),
        ("名称,人口,财力,保底\n甲县,0,0,\n甲县,0,2,900\n乙县,,3,300\n",
         ("“财力” is an inverse factor", "name “甲县” appears more than once",
          "no value for factor “人口”", "the recipients' floors add up to 1200, more than "
          "the total 1000")),
    ]
    for table, expected in cases:
        errors = _post(c, spec, table)
        _assert_english(errors)
        said = "\n".join(errors)
        for words in expected:
            assert words in said, (words, said)


def test_the_same_problems_stay_chinese_on_a_chinese_page(login: Any, demo: Any) -> None:
    spec = HEAD.replace("1000.5", "1000") + """  - {name: 人口, weight: 1, category: 客观因素}
"""
    errors = _post(login("admin"), spec, "名称,人口,人口\n甲县,1,2\n")
    assert any("列「人口」重复" in e for e in errors), errors


def test_a_yaml_syntax_error_is_said_in_english(login: Any, demo: Any) -> None:
    errors = _post(_english(login), "total: [1000, 2\nfactors: []\n")
    _assert_english(errors)
    assert errors[0].startswith("Allocation spec row "), errors
    assert "YAML syntax error: " in errors[0], errors
    chinese = _post(login("admin"), "total: [1000, 2\nfactors: []\n")
    assert "YAML 格式错误：" in chinese[0], chinese
