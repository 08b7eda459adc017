"""One owner per shown figure: the report, the 自评表, the CLI and the JSON show the same total and
grade — for the example as stated and for variants that leave stated figures out (issue 11, bug 3:
with the stated total removed, report.html said 99.70 and the xlsx 96.7)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jixiao import services
from jixiao.cli.render import summary_line
from jixiao.core import shown
from jixiao.core.dossier import Dossier
from jixiao.formats.evaluation_json import evaluation_dict
from jixiao.formats.form_xlsx import read_form, write_form
from jixiao.reports.model import build_report
from jixiao.reports.structure import Table, walk


def _example() -> dict:
    return yaml.safe_load(services.example_dossier().read_text(encoding="utf-8"))


def _drop(data: dict, *keys: str) -> dict:
    for key in keys:
        data["evaluation"].pop(key, None)
    return data


def _drop_scores(nodes: list[dict]) -> None:
    for node in nodes:
        node.pop("stated_score", None)
        node.pop("stated_rate", None)
        _drop_scores(node.get("children", []))


def _no_stated_scores() -> dict:
    data = _drop(_example(), "stated_total", "stated_grade", "stated_rate")
    _drop_scores(data["indicators"])
    return data


VARIANTS = {
    "as stated": _example,
    "no stated total": lambda: _drop(_example(), "stated_total", "stated_rate"),
    "no stated total or grade": lambda: _drop(_example(), "stated_total", "stated_grade",
                                             "stated_rate"),
    "no stated figures at all": _no_stated_scores,
}


def _report_total(ev) -> tuple[str, str]:
    """表2-1's 总得分 row: (score, rate)."""
    for section in walk(build_report(ev).sections):
        for block in section.blocks:
            if isinstance(block, Table) and block.key == "scores":
                row = block.rows[0]
                return row[2], row[3]
    raise AssertionError("no 表2-1")


@pytest.fixture(params=list(VARIANTS))
def ev(request):
    data = VARIANTS[request.param]()
    return services.evaluate(Dossier.model_validate(data))


def test_report_form_cli_and_json_show_one_total_and_grade(ev, tmp_path: Path) -> None:
    total, grade = shown.total(ev), shown.grade(ev)
    data = evaluation_dict(ev)
    json_total, json_rate = data["shown"]["score"], data["shown"]["rate"]
    assert Decimal(json_total) == total.value
    assert data["shown"]["grade"] == grade.grade
    # the report's 表2-1: the same figure, as text
    report_total, report_rate = _report_total(ev)
    assert report_total == json_total
    assert Decimal(report_rate.rstrip("%")) == Decimal(json_rate)
    # the 自评表 read back: the 总分 cell and the 自评等级 cell
    path = tmp_path / "form.xlsx"
    write_form(ev, path)
    form = read_form(path)
    assert form.evaluation.stated_total == total.value
    assert form.evaluation.stated_grade == grade.grade
    # the CLI names the shown figure whenever it is not the computed one
    line = summary_line(ev)
    if total.value != ev.scorecard.score:
        assert json_total in line and f"「{grade.grade}」" in line


def test_without_a_stated_total_every_output_shows_the_sum_of_the_shown_rows() -> None:
    ev = services.evaluate(Dossier.model_validate(VARIANTS["no stated total or grade"]()))
    # 20 + 39.70 + 40 as the unit stated its first-level scores; the engine recomputes 96.70
    assert ev.scorecard.score == Decimal("96.70")
    assert shown.total(ev) == shown.Shown(Decimal("99.70"), stated=False)
    assert shown.grade(ev).grade == "优" and not shown.grade(ev).stated
    assert evaluation_dict(ev)["shown"] == {
        "score": "99.70", "score_stated": False, "rate": "99.70", "grade": "优",
        "grade_stated": False,
    }


def test_without_any_stated_figure_the_shown_total_is_the_computed_one() -> None:
    ev = services.evaluate(Dossier.model_validate(VARIANTS["no stated figures at all"]()))
    assert shown.total(ev).value == ev.scorecard.score
    assert shown.grade(ev).grade == ev.scorecard.grade
