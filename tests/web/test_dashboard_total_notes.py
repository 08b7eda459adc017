"""The total's scoring notes (加分 over its cap, 一票否决) are shown beside the total score and
grade on the fund dashboard, in the page's language; an evaluation that cannot be made says
its reason in the page's language too."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jixiao import services
from jixiao.formats.errors import InputError
from jixiao.web.funds import presenter
from jixiao.web.funds.access import evaluate
from jixiao.web.funds.models import Fund

from .test_english_pages import HAN

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/farmland-2023/dossier.yaml"
BONUS = "  - {kind: bonus, points: 1, reason: 机制创新：建后管护纳入村规民约}\n"
# 5 bonus points over the example's cap of 2, and a veto
CHANGED = ("  - {kind: bonus, points: 5, reason: 机制创新：建后管护纳入村规民约}\n"
           "  - {kind: veto, reason: 发生重大安全责任事故}\n")


def _upload(client: Any, text: str) -> Fund:
    upload = SimpleUploadedFile("dossier.yaml", text.encode("utf-8"), "application/yaml")
    response = client.post("/import/", {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Fund.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def _notes(page: str) -> str | None:
    found = re.search(r'id="total-notes">([^<]*)<', page)
    return html.unescape(found.group(1)) if found else None


@pytest.fixture
def vetoed(login: Any) -> tuple[Any, Fund]:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert BONUS in text
    client = login("admin")
    return client, _upload(client, text.replace(BONUS, CHANGED))


def test_the_capped_bonus_and_the_veto_are_shown_beside_the_total(vetoed: Any) -> None:
    client, fund = vetoed
    chinese = _notes(client.get(f"/funds/{fund.pk}/").content.decode())
    ev, _ = evaluate(fund)
    assert ev is not None and len(ev.scorecard.notes) == 2
    assert chinese == "；".join(ev.scorecard.notes)  # the core's Chinese, as the CLI prints
    assert chinese == ("加分 5.00 分超过上限，按 2.00 分计；"  # the web keeps figures at 0.01
                       "一票否决（发生重大安全责任事故），等级为「差」")

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _notes(client.get(f"/funds/{fund.pk}/").content.decode())
    assert english is not None
    assert english.startswith("Bonus of 5.00 points is over its cap: 2.00 points counted")
    assert "One-vote veto (发生重大安全责任事故)" in english
    assert HAN.search(english.replace("发生重大安全责任事故", "")) is None, english


def test_a_total_without_notes_shows_none(login: Any) -> None:
    client = login("admin")
    fund = _upload(client, EXAMPLE.read_text(encoding="utf-8"))
    page = client.get(f"/funds/{fund.pk}/").content.decode()
    assert 'id="total-score"' in page and _notes(page) is None


def test_a_rule_that_cannot_be_read_is_said_in_english(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + (
        'rules:\n  - {id: r1, description: 自定义规则, left: "{budget.nonsense}", op: "==",'
        ' right: "1"}\n'), encoding="utf-8")
    with pytest.raises(InputError) as err:
        services.evaluate_file(path)
    [problem] = err.value.problems
    with translation.override("zh-hans"):
        assert presenter.problem(problem, field=False) == (
            "规则 r1 无法解析：未知的数据项 {budget.nonsense}")
    with translation.override("en"):
        assert presenter.problem(problem, field=False) == (
            "Rule r1 cannot be read: unknown figure {budget.nonsense}")
