"""The indicator edit form names a refused field by its own label, in the page's language:
"indicators[1].children[0].children[1].weight：不能为负数" named the field by the dossier's
path, and a 给定得分 of 99 on a 4.50-point indicator was saved without a word."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from jixiao.web.funds.indicator_form import dossier_path, readable
from jixiao.web.funds.models import Fund, Indicator


def _leaf(demo: Fund, method: str) -> Indicator:
    row = (Indicator.objects.filter(fund=demo, method=method, children__isnull=True)
           .exclude(parent=None).order_by("pk").first())
    assert row is not None
    return row


def _form(row: Indicator, **changes: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "weight": f"{row.weight:f}", "method": row.method, "direction": row.direction,
        "target": row.target, "actual": row.actual, "unit": row.unit, "level": row.level,
        "score": "" if row.score is None else f"{row.score:f}", "reason": row.reason,
        "analysis": row.analysis, "evidence": row.evidence, "version": row.version}
    if row.applicable:
        values["applicable"] = "on"
    values.update(changes)
    return values


def _error(page: str) -> str:
    found = re.search(r'id="form-error">(.*?)</div>', page, re.S)
    assert found is not None, page
    return found.group(1)


@pytest.mark.parametrize(("field", "value", "said", "language"), [
    ("weight", "-1", "分值：不能为负数（实际为 -1）", "zh-hans"),
    ("score", "-2", "给定得分（定性/人工）：不能为负数（实际为 -2）", "zh-hans"),
    ("weight", "-1", "Weight: cannot be negative (got -1)", "en"),
])
def test_a_negative_number_is_refused_by_the_fields_label(
    login: Any, demo: Fund, field: str, value: str, said: str, language: str
) -> None:
    row = _leaf(demo, "qualitative")
    before = (row.weight, row.score, row.version)
    r = login("admin").post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/",
                            _form(row, **{field: value}), HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400
    page = r.content.decode()
    error = _error(page)
    assert said in error and "indicators[" not in error and f".{field}" not in error
    assert re.search(rf'id="f-{field}" aria-invalid="true"', page)  # the field is marked
    assert f'value="{value}"' in page  # what was typed comes back
    row.refresh_from_db()
    assert (row.weight, row.score, row.version) == before


def test_a_quantitative_indicator_without_direction_names_the_forms_field(
    login: Any, demo: Fund
) -> None:
    row = _leaf(demo, "qualitative")
    r = login("admin").post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/",
                            _form(row, method="quantitative", direction="", target="100",
                                  actual="95"))
    assert r.status_code == 400
    error = _error(r.content.decode())
    assert error.startswith("指标性质：") and "direction" not in error
    assert "indicators[" not in error


def test_a_score_above_the_indicators_weight_is_a_form_error(login: Any, demo: Fund) -> None:
    row = _leaf(demo, "qualitative")
    row_weight = f"{row.weight:f}"
    r = login("admin").post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/",
                            _form(row, score="99", level="部分达成"))
    assert r.status_code == 400
    error = _error(r.content.decode())
    assert error == (f"给定得分（定性/人工）：应在 0 到分值 {row_weight} 之间（实际为 99）")
    stored = row.score
    row.refresh_from_db()
    assert row.score == stored
    ok = login("admin").post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/",
                             _form(row, score=row_weight, level="部分达成"))
    assert ok.status_code == 302  # the full 分值 is a score it may have
    row.refresh_from_db()
    assert row.score == Decimal(row_weight)


def test_a_dossier_refusal_names_this_indicators_fields_not_its_path(demo: Fund) -> None:
    row = _leaf(demo, "qualitative")
    path = dossier_path(row)
    assert re.fullmatch(r"indicators\[\d+\](\.children\[\d+\])+", path)
    said = readable(row, f"{path}.target：应为数字；{path}：须设 steps；{path}.children[0]：x")
    assert said == f"年度指标值：应为数字；{row.name}：须设 steps；{path}.children[0]：x"


def test_the_path_is_the_one_the_dossier_check_names(demo: Fund, user: Any) -> None:
    """`readable` finds this indicator's own path in a refusal the dossier check makes."""
    from jixiao.web.funds import usecases
    from jixiao.web.kernel.errors import Refused

    for row in Indicator.objects.filter(fund=demo, method="qualitative").exclude(parent=None):
        with pytest.raises(Refused) as refused:
            usecases.update_indicator(user("admin"), row.pk, row.version, {"weight": "-1"})
        said = readable(row, refused.value.message)
        assert said.startswith("分值：") and "indicators[" not in said, said


def test_the_api_refuses_a_score_above_the_indicators_weight(login: Any, demo: Any) -> None:
    """The API keeps the form's rule: a score above the indicator's 分值 is refused at once
    (400, out_of_range) and nothing is saved; a score equal to it is taken."""
    import json

    from jixiao.web.funds.models import Indicator

    c = login("admin")
    row = Indicator.objects.get(fund=demo, code="fund-management")

    def patch(score: str) -> Any:
        fresh = Indicator.objects.get(pk=row.pk)
        return c.patch(f"/api/indicators/{row.pk}",
                       json.dumps({"version": fresh.version, "changes": {"score": score}}),
                       content_type="application/json")

    too_high = str(row.weight + 1)
    refused = patch(too_high)
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "out_of_range"
    assert f"{row.weight:f}" in refused.json()["detail"]
    assert Indicator.objects.get(pk=row.pk).score == row.score
    assert patch(f"{row.weight:f}").status_code == 200
