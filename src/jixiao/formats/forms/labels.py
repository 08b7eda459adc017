"""The label vocabulary of the forms a finance office receives, as data.

A new provincial layout usually needs only new words here (docs/FORMS.md says which list
takes which word). Labels are compared after `cells.norm` (NFKC, traditional → simplified
for the characters below, whitespace and parenthesised parts removed).
"""

from __future__ import annotations

# Traditional characters met in published forms (mirrors of mainland pages), → simplified.
TRADITIONAL = (
    "計计額额資资預预執执實实際际標标績绩產产滿满總总體体項项財财數数級级質质時时經经濟济"
    "會会態态續续響响務务對对補补萬万鄉乡鎮镇銜衔進进興兴應应約约單单門门報报評评價价劃划"
    "發发費费結结餘余轉转撥拨權权調调後后達达與与無无為为歸归幫帮貧贫準准區区縣县農农業业"
    "個个戶户億亿類类範范圍围蓋盖內内場场學学園园醫医療疗衛卫養养環环節节護护廢废設设現现"
    "義义條条幣币區区標标況况開开線线負负責责聯联係系電电話话務务據据構构織织導导夠够響响"
    "覺觉證证質质獎奖勵励勞劳動动險险儲储備备災灾減减輕轻紮扎穩稳鞏巩脫脱貸贷約约東东嶺岭"
    "橋桥崇崇對对象象"
)

# Column headers of amount tables (项目资金 / 资金情况 / 资金分配表), by role.
AMOUNT_ROLES: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数", "年初预算", "年初数"),
    "annual": ("全年预算数", "调整后预算数", "调整预算数", "全年调整预算数", "全年预算",
               "调整后预算", "年度预算数", "预算数"),
    "arrived": ("到位数", "资金到位数", "全年到位数", "实际到位数", "到位资金"),
    "executed": ("全年执行数", "预算执行数", "执行数", "全年执行", "实际执行数", "实际支出数",
                 "支出数", "实际支出", "全年支出数"),
    "rate": ("执行率", "预算执行率", "全年执行率", "资金执行率"),
    "weight": ("分值", "权重", "执行率权重", "标准分值"),
    "score": ("得分", "执行率得分", "自评得分", "评分", "自评分"),
    "amount": ("金额", "补助金额", "补助资金", "资金投入", "本年度申请资金", "上年度安排资金",
               "下达数", "本次下达", "分配数", "安排数", "拨付数", "拨付资金", "拨付金额",
               "安排资金", "分配资金", "下达资金", "资金数", "资金额度", "投资额", "申请资金",
               "补助标准", "下达金额", "分配金额"),
}
# Labels of a whole amount block, written in its header row: never a column.
BLOCK_LABELS = ("项目资金", "资金情况", "年度预算申请", "预算执行情况", "部门预算执行情况",
                "项目资金申请", "支出明细预算", "年度资金总额", "年度预算数", "资金投入情况",
                "年度资金", "资金来源")
ADDITIVE_ROLES = ("initial", "annual", "arrived", "executed", "amount")
# Count columns (受益户数 …): a 合计 row adds them up too, but they never make a table.
COUNT_HEADERS = ("户数", "人数", "个数", "项目数", "村数", "受益户数", "受益人数", "项目个数",
                 "受益对象数", "人次")
# Units of a count written in a 合计 row ("合计（3个）", "共5项"): the parts are counted.
COUNT_UNITS = ("个", "项", "家", "户", "所", "处", "村", "笔", "宗", "条")
# Keyword fallbacks for headers not listed above (first match wins, in this order).
AMOUNT_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("执行率", "rate"), ("到位率", "arrival_rate"), ("得分", "score"), ("权重", "weight"),
    ("执行数", "executed"), ("支出数", "executed"), ("到位数", "arrived"),
    ("年初预算", "initial"), ("预算数", "annual"), ("金额", "amount"),
)

# Row labels of a total (合计) row, and of a group subtotal.
TOTAL_ROW = ("年度资金总额", "资金总额", "总额", "合计", "总计", "年度资金合计", "资金合计",
             "资金总计")
SUBTOTAL_ROW = ("小计",)
PART_PREFIX = "其中"

# Labels that start another part of a form: an amount table stops before them.
SECTION_LABELS = ("年度总体目标", "总体目标", "绩效指标", "一级指标", "指标名称", "当年绩效目标",
                  "年度绩效目标", "绩效目标", "项目年度", "单位已有", "项目基本情况",
                  "年度目标", "评价结论", "存在问题", "改进措施")

# Indicator tables.
INDICATOR_ROLES: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标", "一级"),
    "level2": ("二级指标", "二级"),
    "level3": ("三级指标", "指标名称", "具体指标", "绩效指标名称", "三级", "指标内容",
               "考核指标", "考核内容", "绩效指标内容"),
    "target": ("年度指标值", "年度目标值", "指标值", "目标值", "年度预期指标值", "预期指标值",
               "计划值", "年初指标值", "年度指标", "预期目标值"),
    "target_adjusted": ("调整指标值", "调整后指标值", "全年调整指标值", "调整后目标值"),
    "actual": ("实际完成值", "全年实际值", "实际值", "全年实际完成值", "实际完成", "完成值",
               "全年完成值", "实际完成情况", "全年实际完成情况"),
    "weight": ("分值", "权重", "指标权重", "指标分值", "标准分值"),
    "score": ("得分", "自评得分", "指标得分", "评分", "自评分"),
    "nature": ("指标性质",),
    "coefficient": ("得分系数", "得分率", "完成系数"),
    "unit": ("度量单位", "计量单位", "单位"),
}
# Keyword fallbacks for indicator headers not listed above (first match wins, in this order;
# a header holding a word of INDICATOR_NOT_A_FIGURE describes, it holds no figure).
INDICATOR_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("得分", "score"), ("评分", "score"), ("分值", "weight"), ("权重", "weight"),
    ("实际", "actual"), ("完成值", "actual"), ("完成情况", "actual"),
    ("指标值", "target"), ("目标值", "target"), ("计划值", "target"), ("预期值", "target"),
)
INDICATOR_NOT_A_FIGURE = ("标准", "说明", "依据", "方法", "原因", "措施", "系数", "率", "是否")
LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标", "项目决策", "项目过程",
                "项目管理", "项目产出", "项目效益", "决策", "过程", "产出", "效益")
# 共性指标 rows (宁夏 and others): indicator rows that restate a figure of the amount block
# (common.py). Name → the amount block's figure: "rate" (执行数 ÷ 预算数) or "arrival"
# (到位数 ÷ 预算数).
COMMON_ROWS: dict[str, str] = {
    "预算执行率": "rate", "资金执行率": "rate", "预算资金执行率": "rate", "执行率": "rate",
    "项目预算执行率": "rate", "资金支出率": "rate", "预算完成率": "rate",
    "资金到位率": "arrival", "到位率": "arrival", "预算资金到位率": "arrival",
}
COMMON_RATE_NAMES = tuple(k for k, v in COMMON_ROWS.items() if v == "rate")
# Indicators that are a share of a whole (a name ending so): as a percentage they cannot
# exceed 100%, neither the target nor the actual value (common.py, an error). Rates that can
# exceed 100% (完成率, 增长率, 执行率, 到位率 …) are not listed.
BOUNDED_RATES = ("合格率", "满意度", "满意率", "及时率", "达标率", "知晓率", "通过率", "成活率",
                 "发放率", "兑现率", "准确率", "正确率", "规范率", "建档率", "签约率", "办结率",
                 "完好率", "验收率", "公开率", "治愈率", "落实率", "合规率", "回收率", "处置率",
                 "处理率", "结案率", "上报率", "录入率", "知晓度", "满意程度")
# Shares that official statistics sometimes put above 100% (a base counted apart: 毛入学率,
# 接种覆盖率): above 100% is a warning, not an error.
USUALLY_BOUNDED_RATES = ("覆盖率", "接种率", "入学率", "入园率", "巩固率", "普及率", "参保率",
                         "保障率", "受益率", "管理率", "使用率")
# Units of a target that is met by reaching it (a count, an area, a share): a target written
# without ≥/≤ in one of them ("221人", "100%") is read as ≥ when its score is judged.
POSITIVE_UNITS = ("人", "人次", "个", "户", "次", "项", "种", "例", "所", "家", "名", "亩",
                  "万亩", "公里", "千米", "米", "台", "套", "册", "份", "场", "期", "批", "间",
                  "座", "处", "条", "辆", "%", "百分比", "万人", "万户", "村", "个村", "栋",
                  "口", "头", "只", "株")
# Indicators where less is better (a target without ≥/≤ is then not read as ≥).
LESS_IS_BETTER = ("结余率", "差错率", "投诉率", "发生率", "事故率", "失误率", "超支率", "偏差率",
                  "不合格率", "返工率", "损失率", "死亡率", "空置率", "闲置率", "违规率",
                  "流失率", "辍学率", "成本", "费用", "单价", "造价", "时间", "时限", "周期",
                  "次数", "件数", "起数")
REASON_WORDS = ("偏差原因", "未完成原因", "原因分析", "改进措施", "原因")
TOTAL_SCORE_ROW = ("总分", "合计", "总计", "总得分", "综合得分", "合计得分", "自评总分")
# The stated grade (自评等级) and the stated score it is judged on (grades.py).
GRADE_LABELS = ("自评等级", "评价等级", "绩效等级", "等级", "自评结果等级", "评定等级",
                "绩效评价等级", "自评结论等级")
GRADE_WORDS = {"优": "优", "优秀": "优", "良": "良", "良好": "良", "中": "中", "差": "差"}
SCORE_LABELS = ("自评得分", "自评总分", "自评分", "总得分", "综合得分", "自评总得分")
# The full score of a self-evaluation: a stated 自评得分 or 合计分值 above it is an error.
FULL_SCORE = 100
PLACEHOLDER_NAMES = ("……", "…", "...", "指标1", "指标2", "指标3", "指标4")
BLANK_MARKS = frozenset({"", "—", "-", "--", "——", "一", "/", "无", "不涉及", "不适用", "\\"})

# Titles → form type, first match wins (the type is reported; the blocks decide the checks).
FORM_TYPES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("转移支付", "区域绩效自评表"), "中央对地方转移支付区域绩效自评表"),
    (("目标自评表",), "资金绩效目标自评表"),
    (("部门整体",), "部门整体支出绩效自评表"),
    (("整体支出",), "部门整体支出绩效自评表"),
    (("部门整体绩效",), "部门整体支出绩效自评表"),
    (("绩效自评表",), "项目支出绩效自评表"),
    (("自评表",), "项目支出绩效自评表"),
    (("申报表",), "绩效目标申报表"),
    (("绩效目标表",), "绩效目标表"),
    (("资金分配表",), "资金分配表"),
    (("分配表",), "资金分配表"),
)
