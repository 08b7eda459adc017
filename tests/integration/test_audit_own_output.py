"""The auditor on what jixiao itself writes: the example's report shows only the slips the seed
report carries, and a 自评表 is audited through the evaluation the caller passes in."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import services
from jixiao.audit.audit import audit_document, audit_file
from jixiao.audit.text import read_document
from jixiao.formats.errors import InputError
from jixiao.formats.form_xlsx import write_form
from jixiao.reports import write_reports


def test_the_demo_report_audits_to_the_seed_slips_only(tmp_path: Path) -> None:
    ev = services.evaluate_file(services.example_dossier())
    write_reports(ev, tmp_path, {"docx"})
    doc = read_document(tmp_path / "report.docx")
    result = audit_document(doc)
    got = sorted((f.finding.rule, f.finding.severity) for f in result.findings)
    # The seed's 效益 sub-indicators: weights and scores 8 + 8 + 5 + 8 + 8 = 37 against 40.
    assert got == [("scores.children_sum", "error"), ("weights.children_sum", "error")]
    assert all("效益" in f.finding.message for f in result.findings)
    appendix_start = next(p.index for p in doc.paragraphs if p.text == "数据核对情况")
    assert all(f.location.get("paragraph", 0) < appendix_start for f in result.findings)


def test_a_form_is_audited_with_the_evaluation_it_is_given(tmp_path: Path) -> None:
    ev = services.evaluate_file(services.example_dossier())
    form = tmp_path / "form.xlsx"
    write_form(ev, form)
    with pytest.raises(InputError):
        audit_file(form)
    result = audit_file(form, services.evaluate_file)
    assert any(f.finding.rule == "total.stated" for f in result.findings)


def test_the_consistent_examples_report_audits_clean_with_its_bonus(tmp_path: Path) -> None:
    """farmland-2023 is consistent; its total adds a bonus point the report states
    (合计91.96分，加分1分，总得分为92.96分): the auditor flagged the total three times."""
    example = Path(services.example_dossier()).parent.parent / "farmland-2023" / "dossier.yaml"
    ev = services.evaluate_file(example)
    write_reports(ev, tmp_path, {"docx"})
    result = audit_document(read_document(tmp_path / "report.docx"))
    assert [f.finding.message for f in result.findings if f.finding.severity == "error"] == []
    assert result.checked > 20


def test_the_review_adds_the_stated_bonus_to_the_listed_scores(tmp_path: Path) -> None:
    """复核 of the same report: 重算得分 is the listed scores plus the bonus the report states,
    so a consistent report shows no 得分差 (it showed 91.96 against 92.96)."""
    from decimal import Decimal

    from jixiao.review.document import review_one

    example = Path(services.example_dossier()).parent.parent / "farmland-2023" / "dossier.yaml"
    write_reports(services.evaluate_file(example), tmp_path, {"docx"})
    result = review_one(tmp_path / "report.docx")
    assert result.stated_score == result.recomputed_score == Decimal("92.96")
    assert result.recomputed_from == "listed_scores"
