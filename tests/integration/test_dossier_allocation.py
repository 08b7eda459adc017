"""A dossier carrying an allocation: stated amounts are compared with the factor method."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao import services
from jixiao.formats.dossier_yaml import read_dossier
from jixiao.formats.errors import InputError

DOSSIER = """\
fund: {name: 协作资金, budget_unit: 某厅, year: 2021}
template: guangdong-2022
indicators:
  - {name: 过程, weight: 20, method: qualitative, level: 达成}
  - {name: 产出, weight: 40, method: qualitative, level: 达成}
  - {name: 效益, weight: 40, method: qualitative, level: 达成}
allocations:
  - id: guangxi
    spec:
      total: 1000
      base_share: 0.8
      factors:
        - {name: 人口, weight: 1, category: 客观因素, direction: positive}
      recipients:
        - {name: 甲县, values: {人口: 3}}
        - {name: 乙县, values: {人口: 1}}
    stated:
      - {name: 甲县, amount: 550}
      - {name: 乙县, amount: 460}
"""


def test_a_stated_allocation_that_differs_from_the_factor_method_is_an_error(tmp_path):
    path = tmp_path / "fund.yaml"
    path.write_text(DOSSIER, encoding="utf-8")
    ev = services.evaluate_file(path)
    found = {f.where: f for f in ev.findings if f.rule == "allocation.stated"}
    # 甲县: 400 + 200 × 3/4 = 550 (right); 乙县: 400 + 200 × 1/4 = 450, stated 460.
    assert list(found) == ["allocations/guangxi/乙县"]
    f = found["allocations/guangxi/乙县"]
    assert (f.severity, f.expected, f.actual) == ("error", Decimal("450.00"), Decimal(460))


def test_a_broken_allocation_spec_in_a_dossier_names_its_line(tmp_path):
    path = tmp_path / "fund.yaml"
    path.write_text(DOSSIER.replace("weight: 1, category", "weight: 0.9, category"), "utf-8")
    with pytest.raises(InputError) as caught:
        read_dossier(path)
    (problem,) = caught.value.problems
    assert problem.line == 13 and problem.field == "allocations[0].spec.factors"
    assert "合计应为 1" in problem.message


def test_a_stated_name_missing_from_the_spec_is_refused(tmp_path):
    path = tmp_path / "fund.yaml"
    path.write_text(DOSSIER.replace("{name: 乙县, amount: 460}", "{name: 丙县, amount: 460}"),
                    "utf-8")
    with pytest.raises(InputError, match="丙县"):
        read_dossier(path)
