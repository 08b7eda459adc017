"""How `audit_text` scales with the length of a report: 32 KB to 1 MB of synthetic text.

The text is built from sentences written for this script (never from a real report): 其中
lists, completion and budget rates, changes on last year, counted lists ("共N个……，即A、B、C"),
long enumerations separated by "、" and "，" (one of them a tenth of the text), long
paragraphs of many sentences, figures in 万 next to the same figure in the base unit,
numbered headings with scores, and tables as text.
Each size is audited once per repeat (the fastest run is printed) with the seconds per size,
the ratio to the size before it and that ratio per doubling of the size: about 2 when the
auditor is linear, 4 when it is quadratic.

Run: .venv/bin/python benchmarks/bench_audit_scaling.py [--sizes 32,64,128,256,1024] [--repeat 1]
"""

from __future__ import annotations

import argparse
import math
import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import best

from jixiao.audit import audit_text
from jixiao.core.numbers import cn_numeral

KB = 1024
SIZES_KB = (32, 64, 128, 256, 1024)

_PLACES = ("东坪", "西岭", "南湾", "北塘", "柳溪", "桃源", "石门", "龙潭", "梅岗", "竹园",
           "松岭", "杏林", "枫桥", "荷塘", "麦田", "稻香", "清泉", "白沙", "红岩", "金塘")


def _names(k: int, count: int, suffix: str) -> list[str]:
    return [f"{_PLACES[(k + i) % len(_PLACES)]}{i + 1}{suffix}" for i in range(count)]


def _prose(k: int) -> str:
    """One long paragraph of several sentences, each with figures the extractors read."""
    villages = "、".join(_names(k, 6, "村"))
    plan, actual = 200 + k % 50, 230 + k % 60
    return (
        f"第{k}片区安排乡村振兴衔接资金{600 + k % 90}万元，县级统筹资金{40 + k % 9}万元，"
        f"用于产业路、灌溉渠和冷链仓储建设，受益群众覆盖{villages}等地。"
        f"全年预算数{800 + k % 70}万元，全年执行数{760 + k % 70}万元，执行率为95%。"
        f"计划改造农房{plan}户，实际改造{actual}户，完成率为{actual * 100 / plan:.2f}%。"
        f"本年度投入资金{1100 + k}万元，较上年增加{100 + k % 10}万元、增长10%。"
        f"片区内设有服务站5个，即{'、'.join(_names(k, 5, '站'))}。"
        f"{12 + k % 7}.5万农户参与分红，资金使用公开透明，群众评价总体较好。"
    )


def _breakdown(k: int) -> str:
    a, b, c = 300 + k % 40, 200 + k % 30, 100 + k % 20
    return (
        f"片区{k}共下达农业生产发展资金{a + b + c}万元。其中：用于良种补贴{a}万元；"
        f"用于农机购置补贴{b}万元；用于技术推广{c}万元。"
    )


def _enumeration(k: int, items: int) -> str:
    """A long enumeration of places, mixed 、 and ， separators, ending in 等."""
    names = _names(k, items, "组")
    parts = []
    for i, name in enumerate(names):
        parts.append(name)
        parts.append("，" if i % 9 == 8 else "、")
    return "项目覆盖" + "".join(parts[:-1]) + "等" + str(items) + "个村民小组，带动务工增收。"


def _scores(k: int) -> str:
    return "\n".join([
        f"{k % 9 + 1}.产出。指标分值40分，自评得分39分，得分率为97.50%。",
        "（1）数量指标。该指标分值20分，自评得分20分，得分率为100%。",
        "（2）质量指标。该指标分值20分，自评得分19分，得分率为95%。扣1分。",
    ])


def _table(k: int) -> str:
    rows = [("片区", "项目数（个）", "资金（万元）")]
    total_n = total_m = 0
    for i, name in enumerate(_names(k, 4, "片")):
        n, m = 2 + i, 50 * (i + 1)
        total_n, total_m = total_n + n, total_m + m
        rows.append((name, str(n), str(m)))
    rows.append(("合计", str(total_n), str(total_m)))
    lines = [f"表{k} 资金分配情况"]
    for row in rows:
        lines.extend("\t" + cell for cell in row)
        lines.append("")
    return "\n".join(lines)


def synthetic_text(size: int) -> str:
    """About ``size`` bytes (UTF-8) of report text; the mix is the same at every size."""
    parts = ["一、基本情况"]
    used = len(parts[0].encode())
    k = 0
    while used < size:
        k += 1
        block = [f"（{cn_numeral(k % 99 + 1)}）第{k}片区实施情况",
                 " ".join(_prose(k * 7 + j) for j in range(4)),
                 _breakdown(k),
                 _enumeration(k, 40 + k % 30),
                 _scores(k),
                 _table(k)]
        chunk = "\n".join(block)
        parts.append(chunk)
        used += len(chunk.encode()) + 1
    # A list that grows with the report (every beneficiary group in one enumeration, as an
    # annex of a real report may have): about a tenth of the text, no 。 until its end.
    roster = "、".join(_names(0, max(2, size // 10 // 16), "组"))
    parts.append("附表说明：本年度受益村民小组名单为" + roster + "。")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES_KB),
                        help="sizes in KB, comma-separated")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    previous: float | None = None
    print(f"{'size':>8} {'chars':>9} {'checks':>7} {'findings':>8} {'seconds':>9} {'ratio':>6} "
          f"{'per doubling':>12}")
    before_kb: int | None = None
    for kb in (int(s) for s in args.sizes.split(",")):
        text = synthetic_text(kb * KB)
        seconds, result = best(partial(audit_text, text), repeat=args.repeat)
        ratio = doubling = "-"
        if previous and before_kb and kb > before_kb:
            ratio = f"{seconds / previous:.2f}"
            doubling = f"{(seconds / previous) ** (1 / math.log2(kb / before_kb)):.2f}"
        print(f"{kb:>6}KB {len(text):>9} {result.checked:>7} {len(result.findings):>8} "
              f"{seconds:>9.3f} {ratio:>6} {doubling:>12}", flush=True)
        previous, before_kb = seconds, kb


if __name__ == "__main__":
    main()
