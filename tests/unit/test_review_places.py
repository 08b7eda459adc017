"""A form finding's location by the names of the form's indicators (`jixiao.core.locations`),
beside its path: the JSON gains ``place`` ("指标 · 效益", "总分"); the phrase a page says in
its language is no part of the JSON."""

from __future__ import annotations

import json
from pathlib import Path

from jixiao import services
from jixiao.core.locations import Locator
from jixiao.core.phrases import Phrase
from jixiao.review.document import place_of


def test_places_of_an_example_dossier() -> None:
    dossier = services.evaluate_file(services.example_dossier()).dossier
    locate = Locator(dossier)
    total = place_of(locate, "total", "total.stated")
    assert isinstance(total, Phrase) and str(total) == "总分"
    assert total.render(lambda t, c: {"总分": "Total score"}.get(t, t)) == "Total score"
    top = dossier.indicators[0].name
    named = place_of(locate, f"indicators/{top}", "weights.children_sum")
    assert named is not None and str(named) == f"指标 · {top}"
    assert named.render(lambda t, c: {"指标": "Indicator"}.get(t, t)) == f"Indicator · {top}"
    deduction = place_of(locate, f"indicators/{top}/deductions/0", "")
    assert deduction is not None and str(deduction) == f"指标 · {top} · 第1项扣分"
    assert deduction.render(lambda t, c: {"第{n}项扣分": "deduction {n}"}.get(t, t)).endswith(
        "deduction 1")
    assert place_of(locate, "no/such/path", "") is None
    assert place_of(locate, "项目支出绩效自评表!G25", "") is None


def test_the_json_gains_the_place_only(tmp_path: Path) -> None:
    from jixiao.formats.form_xlsx import write_form
    from jixiao.review.document import review_one

    target = tmp_path / "form.xlsx"
    write_form(services.evaluate_file(services.example_dossier()), target)
    result = review_one(target)
    data = json.loads(result.model_dump_json())
    assert any(row["place"] for row in data["findings"])
    for row, finding in zip(data["findings"], result.findings, strict=True):
        assert "place_phrase" not in row and "phrase" not in row
        assert row["place"] == (str(finding.place_phrase) if finding.place_phrase else None)
