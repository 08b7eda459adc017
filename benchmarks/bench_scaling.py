"""Does `jixiao check` grow with the size of a dossier, and no faster? Doubling benchmark.

Two kinds of big dossier are generated here (numbers of our own, never from a real report):

- ``indicators``: n leaf indicators under the mof-2020 top level, in groups of ten, of every
  scoring method, with stated scores (some wrong), deductions tied to problems, measures;
- ``recipients``: a recipient tree of about n nodes (provinces → 10 cities → 9 counties →
  10 townships), with agreements, arrivals and spending tables at each level, stated totals
  on every province, city and county (some wrong), the 表1-1 合计 line and custom rules.

Each is written as YAML (`dump_dossier`), then read (`read_dossier`: YAML and the model),
evaluated (`services.evaluate`: scoring and every check) and its findings printed as
`jixiao check` prints them, for size n and 2n. CPU seconds (`time.process_time`) of each
phase, best of ``--repeat`` interleaved runs, and the ratio 2n ÷ n: about 2 when the work is
linear, 4 when quadratic. Nothing is asserted: a shared machine makes single timings noisy.

Run: .venv/bin/python benchmarks/bench_scaling.py [--sizes 5000,10000] [--repeat 2]
     [--kinds indicators,recipients] [--profile]
"""

from __future__ import annotations

import argparse
import io
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

PROVINCE = 1 + 10 + 10 * 9 + 10 * 9 * 10  # nodes under (and including) one province
METHODS = ("quantitative", "reverse", "qualitative", "deduction", "manual", "stepped", "range")


def _leaf(k: int, weight: Decimal, problems: list[dict[str, Any]]) -> dict[str, Any]:
    """Leaf k of one of seven kinds; every 13th states a wrong score."""
    kind = METHODS[k % len(METHODS)]
    node: dict[str, Any] = {"name": f"指标{k}", "weight": weight}
    score = weight
    if kind == "quantitative":
        node.update(method="quantitative", direction=">=", target=Decimal(100),
                    actual=Decimal(90 + k % 20), unit="个")
        score = min(Decimal(90 + k % 20) / 100 * weight, weight).quantize(Decimal("0.01"))
        if k % 20 < 10:
            node["analysis"] = "未完成目标"
    elif kind == "reverse":
        node.update(method="quantitative", direction="<=", target=Decimal(50),
                    actual=Decimal(45 + k % 10), reverse_convention="ratio", unit="天")
        actual = Decimal(45 + k % 10)
        score = (weight if actual <= 50 else (Decimal(50) / actual * weight)).quantize(
            Decimal("0.01"))
        if score < weight:
            node["analysis"] = "工期延误"
    elif kind == "qualitative":
        node.update(method="qualitative", level="达成")
    elif kind == "deduction":
        pid = f"P{len(problems) + 1}"
        problems.append({"id": pid, "title": f"问题{pid}", "indicator": None})
        node.update(method="deduction",
                    deductions=[{"points": Decimal("0.5"), "reason": "资料不全", "problem": pid}])
        score = weight - Decimal("0.5")
    elif kind == "manual":
        node.update(method="manual", score=weight, reason="按评分标准给分")
    elif kind == "stepped":
        node.update(method="stepped", actual=Decimal(85), steps=[
            {"at_least": Decimal(90), "score": weight},
            {"at_least": Decimal(80), "score": weight / 2},
            {"at_least": Decimal(0), "score": Decimal(0)},
        ], analysis="未达最高档")
        score = weight / 2
    else:
        node.update(method="range", lower=Decimal(10), upper=Decimal(20),
                    actual=Decimal(12 + k % 12), outside="zero", analysis="超出区间")
        score = weight if 10 <= 12 + k % 12 <= 20 else Decimal(0)
    node["stated_score"] = score + (Decimal(1) if k % 13 == 0 else 0)
    return node


def indicator_data(n: int) -> dict[str, Any]:
    """A dossier with n leaf indicators under 产出/效益/满意度 in groups of ten."""
    problems: list[dict[str, Any]] = []
    weight = Decimal(1)
    top: dict[str, list[Any]] = {"产出指标": [], "效益指标": [], "满意度指标": []}
    names = list(top)
    for g in range(max(1, n // 10)):
        leaves = [_leaf(g * 10 + j, weight, problems) for j in range(10)]
        stated = sum((x["stated_score"] for x in leaves), Decimal(0))
        top[names[g % 3]].append({"name": f"二级{g}", "weight": weight * 10,
                                  "stated_score": stated, "children": leaves})
    roots: list[dict[str, Any]] = [{"name": "预算执行率", "weight": Decimal(10),
                                    "method": "execution", "stated_score": Decimal(10)}]
    for name, groups in top.items():
        if groups:
            roots.append({"name": name, "weight": sum((x["weight"] for x in groups), Decimal(0)),
                          "children": groups})
    for p in problems:
        del p["indicator"]
    measures = [{"id": f"M{i}", "title": f"整改{i}", "problems": [p["id"]]}
                for i, p in enumerate(problems) if i % 5]
    return {
        "fund": {"name": "规模测试资金", "budget_unit": "测试单位", "year": 2021},
        "budget": {"annual": Decimal(1000), "executed": Decimal(1000)},
        "indicators": roots, "problems": problems, "improvements": measures,
    }


def recipient_data(n: int) -> dict[str, Any]:
    """A recipient tree of about n nodes with money at every level."""
    provinces = max(1, round(n / PROVINCE))
    recipients: list[dict[str, Any]] = []
    agreements: list[dict[str, Any]] = []
    arrivals: list[dict[str, Any]] = []
    spending: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    two = Decimal("0.01")
    total_counties = 0
    total_agreed = Decimal(0)
    for p in range(provinces):
        cities = []
        p_agreed = p_arrived = p_spent = Decimal(0)
        for c in range(10):
            counties = []
            c_agreed = c_arrived = c_spent = Decimal(0)
            for k in range(9):
                cid = f"X{p}-{c}-{k}"
                towns = [{"id": f"{cid}-{t}", "name": f"乡镇{p}-{c}-{k}-{t}", "kind": "township"}
                         for t in range(10)]
                agreed = Decimal(100 + k * 7 + c).quantize(two)
                arrived = agreed - (Decimal(1) if (p + c + k) % 7 == 0 else 0)
                spent = (arrived * Decimal("0.95")).quantize(two)
                agreements.append({"recipient": cid, "level": "省级", "amount": agreed})
                agreements.append({"recipient": cid, "level": "市级", "amount": agreed / 4})
                arrivals.append({"recipient": cid, "amount": arrived})
                uses = [(spent * Decimal("0.6")).quantize(two)]
                uses.append(spent - uses[0])
                spending.append({
                    "id": f"S{cid}", "recipient": cid,
                    "sources": [{"label": "省级财政资金", "amount": arrived}],
                    "stated_total": spent, "carried_over": arrived - spent,
                    "by_use": [{"category": "产业帮扶", "amount": uses[0]},
                               {"category": "就业帮扶", "amount": uses[1]}],
                })
                counties.append({
                    "id": cid, "name": f"县{p}-{c}-{k}", "kind": "county",
                    "attributes": {"国家乡村振兴重点帮扶县": k % 3 == 0},
                    "stated": {"counts": {"township": 10 if k % 11 else 9},
                               "agreements": agreed, "level": "省级"},
                    "children": towns,
                })
                c_agreed += agreed
                c_arrived += arrived
                c_spent += spent
            city_id = f"X{p}-{c}"
            bad = Decimal(5) if (p + c) % 4 == 0 else 0
            cities.append({
                "id": city_id, "name": f"市{p}-{c}", "kind": "city",
                "stated": {"counties": 9, "agreements": c_agreed, "level": "省级",
                           "arrivals": c_arrived + bad, "spending": c_spent},
                "children": counties,
            })
            if bad:
                problems.append({"id": f"Q{p}-{c}", "title": "到位资金不符", "recipient": city_id})
            p_agreed += c_agreed
            p_arrived += c_arrived
            p_spent += c_spent
        recipients.append({
            "id": f"X{p}", "name": f"省{p}", "kind": "province",
            "stated": {"counties": 90, "agreements": p_agreed, "level": "省级",
                       "counts": {"city": 10, "county": 90, "township": 900},
                       "spending": p_spent},
            "children": cities,
        })
        total_counties += 90
        total_agreed += p_agreed
    recipients.append({"id": "T", "name": "工作队", "kind": "work_team"})
    rules = [
        {"id": f"R{p}", "description": f"省{p}协议数不少于其市0", "op": ">=",
         "left": f"{{recipient.X{p}.agreements}}", "right": f"{{recipient.X{p}-0.agreements}}"}
        for p in range(provinces)
    ]
    return {
        "fund": {"name": "规模测试资金", "budget_unit": "测试单位", "year": 2021},
        "recipients": recipients,
        "recipient_totals": {"counties": total_counties, "agreements": total_agreed,
                             "level": "省级"},
        "agreements": agreements, "arrivals": arrivals, "spending": spending,
        "budget": {"level": "省级", "annual": total_agreed, "executed": total_agreed},
        "indicators": [
            {"name": "预算执行率", "weight": Decimal(10), "method": "execution"},
            {"name": "产出指标", "weight": Decimal(50), "method": "manual",
             "score": Decimal(50)},
            {"name": "效益指标", "weight": Decimal(30), "method": "manual",
             "score": Decimal(30)},
            {"name": "满意度指标", "weight": Decimal(10), "method": "manual",
             "score": Decimal(10)},
        ],
        "problems": problems,
        "improvements": [{"id": "M1", "title": "核对到位",
                          "problems": [p["id"] for p in problems]}],
        "rules": rules,
    }


GENERATORS = {"indicators": indicator_data, "recipients": recipient_data}


def write(kind: str, n: int, folder: Path) -> Path:
    from jixiao.core.dossier import Dossier
    from jixiao.formats.dossier_yaml import dump_dossier

    path = folder / f"{kind}-{n}.yaml"
    if not path.exists():
        dossier = Dossier.model_validate(GENERATORS[kind](n))
        path.write_text(dump_dossier(dossier), encoding="utf-8")
    return path


def run(path: Path) -> tuple[dict[str, float], int]:
    """CPU seconds of reading, evaluating and printing the findings of one file, and the
    number of findings."""
    from jixiao.core import collector

    times: dict[str, float] = {}
    with collector.paused():  # as `jixiao check` runs its one dossier (`cli.judge.run`)
        return _timed(path, times)


def _timed(path: Path, times: dict[str, float]) -> tuple[dict[str, float], int]:
    from rich.console import Console

    from jixiao import services
    from jixiao.cli.render import print_findings
    from jixiao.formats.dossier_yaml import read_dossier

    start = time.process_time()
    dossier = read_dossier(path)
    times["read"] = time.process_time() - start
    start = time.process_time()
    ev = services.evaluate(dossier, str(path))
    times["evaluate"] = time.process_time() - start
    start = time.process_time()
    print_findings(Console(file=io.StringIO(), width=120), ev)
    times["print"] = time.process_time() - start
    times["total"] = sum(times.values())
    return times, len(ev.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,10000",
                        help="comma-separated sizes; each is compared with the one before")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--kinds", default="indicators,recipients")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the evaluation of the largest size instead")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = args.kinds.split(",")
    print(f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; CPU s, best of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = {(k, n): write(k, n, folder) for k in kinds for n in sizes}
        if args.profile:
            import cProfile
            import pstats

            for k in kinds:
                from jixiao import services
                from jixiao.formats.dossier_yaml import read_dossier

                dossier = read_dossier(paths[k, sizes[-1]])
                prof = cProfile.Profile()
                prof.runcall(services.evaluate, dossier)
                pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
            return
        best: dict[tuple[str, int], dict[str, float]] = {}
        count: dict[tuple[str, int], int] = {}
        for _ in range(args.repeat):  # interleaved: every size meets the same machine state
            for key, path in paths.items():
                times, count[key] = run(path)
                old = best.get(key)
                best[key] = times if old is None else {p: min(t, old[p]) for p, t in times.items()}
        phases = ("read", "evaluate", "print", "total")
        for k in kinds:
            print(f"\n{k}: " + "  ".join(f"{p:>16}" for p in phases) + "  findings")
            before: dict[str, float] | None = None
            for n in sizes:
                times = best[k, n]
                cells = []
                for p in phases:
                    ratio = f"(×{times[p] / before[p]:.2f})" if before and before[p] else ""
                    cells.append(f"{times[p]:7.3f}{ratio:>9}")
                print(f"{n:>11}: " + "  ".join(cells) + f"  {count[k, n]}")
                before = times
    print(f"\nload {' '.join(f'{x:.2f}' for x in os.getloadavg())}; a ratio near 2 per "
          "doubling is linear, near 4 quadratic")


if __name__ == "__main__":
    main()
