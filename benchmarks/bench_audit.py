"""Audit a ~30-page report (sections of a synthetic report repeated): must take under 2 s.

Run: .venv/bin/python benchmarks/bench_audit.py
"""

from __future__ import annotations

import time

from jixiao.audit import audit_text
from jixiao.core.numbers import cn_numeral

SECTION = """\
（{cn}）专项资金第{n}部分
县财政安排农田水利专项资金900万元，乡镇配套资金100万元。主要用于灌区改造和高标准农田建设，\
项目实施过程规范，资金拨付及时，未发现截留挤占挪用。其中：用于渠道衬砌420万元；用于泵站改造\
300万元；用于田间道路200万元；其他支出80万元。
计划培训农民400人和技术骨干50名，实际培训520人、技术骨干65名，完成率分别为130%和130%。\
全年预算数1000万元，全年执行数950万元，执行率为95%。本年投入资金1320万元，较上年增加120万元、\
增长10%。全县共有示范合作社4家，即青山社、绿水社、丰收社、满仓社。
甲、乙两个项目组各50万元工作经费。其中甲项目组主要用于差旅费20万元，培训费30万元；\
乙项目组主要用于办公费30万元，其他20万元。项目建设严格执行招投标和监理制度，工程质量\
总体良好，群众满意度较高，后续管护机制已经建立，资金使用效益明显。
1.过程。指标分值20分，自评得分20分，得分率为100%。
（1）资金管理。指标分值12分，自评得分12分，得分率为100%。
（2）事项管理。指标分值8分，自评得分8分，得分率为100%。
2.产出。指标分值40分，自评得分39.70分，得分率为99.25%。
（1）数量指标。该指标分值13.40分，自评得分13.40分，得分率为100%。
一是新建渠道。该指标4.50分，自评得分4.50分，得分率100%。
二是维修泵站。该指标4.50分，自评得分4.50分，得分率100%。
三是田间道路。该指标4.40分，自评得分4.40分，得分率100%。
（2）质量指标。该指标分值13.30分，自评得分13分，得分率为97.74%。验收整改不及时，扣0.30分。
（3）时效指标。该指标分值13.30分，自评得分13.30分，得分率为100%。
表{n} 资金分配表
\t县区
\t项目数（个）
\t资金（万元）

\t甲县
\t3
\t150

\t乙县
\t5
\t350

\t合计
\t8
\t500

"""

def synthetic_report(pages: int = 30) -> str:
    # One section is about a page (≈ 850 characters); a page of a report ≈ 800–900.
    parts = ["一、基本情况"]
    for k in range(1, pages + 1):
        parts.append(SECTION.format(cn=cn_numeral(k), n=k))
    return "\n".join(parts)


def main() -> None:
    text = synthetic_report()
    start = time.perf_counter()
    result = audit_text(text)
    elapsed = time.perf_counter() - start
    print(f"{len(text)} characters, {result.checked} checks, {len(result.findings)} findings, "
          f"{elapsed:.3f} s")
    assert elapsed < 2.0, f"too slow: {elapsed:.3f} s"
    assert not result.errors, [f.finding.message for f in result.errors]


if __name__ == "__main__":
    main()
