"""`jixiao review`'s workers freeze what they inherit (`review.run._one_pool`): the pile's
results are the same as each document reviewed on its own in this process, and the caller is
never frozen."""

from __future__ import annotations

import gc
from pathlib import Path

from jixiao import services
from jixiao.formats.form_xlsx import write_form
from jixiao.review import DocumentResult, review_paths
from jixiao.review.collect import Item
from jixiao.review.document import review_one
from jixiao.review.run import Task, _refused, review_items

CLEAN = ("2022年度农田水利专项资金绩效自评报告\n预算单位：某县水利局\n一、概况\n"
         "县财政安排资金450万元。其中：用于甲项200万元；用于乙项250万元。\n")
FAULTY = ("2022年度乡村道路专项资金绩效自评报告\n预算单位：某县交通运输局\n一、概况\n"
          "县财政安排资金500万元。其中：用于甲项200万元；用于乙项250万元。\n"
          "综上，绩效自评得分为95分，绩效等级为“优”。\n")


def _comparable(result: DocumentResult) -> dict[str, object]:
    data = result.model_dump(mode="json")
    data.pop("seconds", None)  # the only figure that depends on the run
    return data


def test_pile_in_frozen_workers_equals_each_document_alone(tmp_path: Path) -> None:
    pile = tmp_path / "pile"
    pile.mkdir()
    write_form(services.evaluate_file(services.example_dossier()), pile / "form.xlsx")
    (pile / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (pile / "faulty.md").write_text(FAULTY, encoding="utf-8")
    frozen_before = gc.get_freeze_count()
    pooled = review_paths([pile], jobs=2)
    assert gc.get_freeze_count() == frozen_before  # the caller is left as it was
    alone = {p.name: _comparable(review_one(p, str(p), None)) for p in sorted(pile.iterdir())}
    assert {Path(d.file).name: _comparable(d) for d in pooled.documents} == alone
    assert pooled.checked == 3


def _freeze_count(task: Task) -> DocumentResult:
    return _refused(f"{gc.get_freeze_count()}.txt", "frozen objects")


def test_workers_start_frozen(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(CLEAN, encoding="utf-8")
    rows = list(review_items([Item(path, path.name)], 1, worker=_freeze_count))
    assert len(rows) == 1
    assert int(Path(rows[0].file).stem) > 1000  # the modules and classes the worker inherited
