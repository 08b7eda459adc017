"""A warm LibreOffice serves one conversion after another, each PDF complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao import services
from jixiao.reports import pdf, write_reports

pytestmark = pytest.mark.skipif(pdf.soffice() is None, reason="LibreOffice not installed")


def test_conversions_go_through_the_warm_office(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    ev = services.evaluate_file(services.example_dossier())
    docx = write_reports(ev, tmp_path / "docx", {"docx"}).written["docx"]
    exe = pdf.soffice()
    assert exe is not None
    office = pdf.WarmOffice(exe)
    monkeypatch.setattr(pdf, "_warm", office)
    try:
        made = [pdf.docx_to_pdf(docx, tmp_path / f"out{i}") for i in range(2)]
        assert office.warm_conversions == 2
    finally:
        office.close()
    for path in made:
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    assert not Path(office.profile).exists()


def test_without_keep_warm_a_conversion_starts_cold() -> None:
    assert pdf._warm is None
