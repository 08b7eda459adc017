"""The words the auditor's extractors read, as data (one place to widen them).

Real reports say the same thing many ways: an amount is 下达, 拨付, 发放, 执行 or 支出; a list
is opened by 其中 and separated by "，", "、" or "；"; a rate is an 执行率 or a 到位率. The
extractors read these tuples; none of them spells a word of its own.
"""

from __future__ import annotations

# A few traditional-script characters that occur in the words below and in units, mapped one
# to one to their simplified form (same length, so offsets into the original text still hold).
_TRADITIONAL = str.maketrans({
    "萬": "万", "億": "亿", "個": "个", "項": "项", "戶": "户", "執": "执", "預": "预",
    "達": "达", "實": "实", "際": "际", "計": "计", "劃": "划", "資": "资", "撥": "拨",
    "發": "发", "總": "总", "級": "级", "優": "优", "評": "评", "價": "价", "結": "结",
    "為": "为", "並": "并", "務": "务", "數": "数", "與": "与", "較": "较", "長": "长",
    "減": "减", "績": "绩", "產": "产", "經": "经", "費": "费", "補": "补",
    "貼": "贴", "來": "来", "標": "标", "準": "准", "於": "于", "額": "额", "應": "应",
    "內": "内", "設": "设", "機": "机", "構": "构", "單": "单", "們": "们", "這": "这",
    "將": "将", "區": "区", "縣": "县", "處": "处", "﹪": "%",
    "滿": "满", "訓": "训", "調": "调", "佔": "占", "參": "参", "點": "点", "條": "条",
    "問": "问", "題": "题", "據": "据", "況": "况", "進": "进", "規": "规", "驗": "验",
    "權": "权", "兩": "两", "餘": "余", "節": "节", "約": "约", "畝": "亩", "鎮": "镇",
    "鄉": "乡", "覈": "核", "統": "统", "開": "开", "門": "门",
})


def fold(text: str) -> str:
    """``text`` with the traditional characters above in simplified form (same length)."""
    return text.translate(_TRADITIONAL)


# What opens a list of the parts of the amount just stated.
LIST_OPENERS = ("其中",)
# What opens a list that is usually, not always, all the parts ("33个指标，包括23个数量指标、…",
# "共下达1250万元，分别为…", "资金主要用于：…"):
# a mismatch is a reading (warning), never an error. "不包括 / 未包括" open nothing.
INCLUDE_OPENERS = ("包括", "分别为", "分别是", "资金来源为", "来源为", "来源：", "来源:", "构成为",
                   "构成：", "构成:", "主要用于", "用于：", "用于:")
# Inside a list item: words that say the list is not complete, or not a list of addends.
PARTIAL_WORDS = ("等",)
NOT_ADDEND_WORDS = ("含", "包括", "包含")  # anywhere in the item
APPROXIMATE_BEFORE = ("约", "近", "超", "逾", "超过", "达到", "不足")  # right before the figure
APPROXIMATE_AFTER = ("以上", "以下", "左右", "多")  # right after it

# Verbs and nouns that introduce a named amount of money.
AMOUNT_WORDS = {
    "budget": ("预算", "安排", "计划", "下达", "批复", "核定", "应到位", "年初", "共", "合计",
               "总额", "总计", "总投资"),
    "arrived": ("到位", "拨付", "拨入", "到账", "收到", "下拨"),
    "spent": ("执行", "支出", "发放", "支付", "使用", "拨付到", "兑现", "完成投资", "实际"),
}

# Rates of money: the rate's name → (numerator kinds, base kinds).
MONEY_RATES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # 拨付 is spending for a unit that passes money on: tried as a numerator too.
    "执行率": (("spent", "arrived"), ("budget", "arrived")),
    "支出率": (("spent", "arrived"), ("budget", "arrived")),
    "支付率": (("spent", "arrived"), ("budget", "arrived")),
    "发放率": (("spent", "arrived"), ("budget", "arrived")),
    "使用率": (("spent", "arrived"), ("budget", "arrived")),
    "执行进度": (("spent", "arrived"), ("budget", "arrived")),
    "支出进度": (("spent", "arrived"), ("budget", "arrived")),
    "到位率": (("arrived",), ("budget",)),
}

# What a count of names written before it counts ("A、B、C3个资金文件"): a count of other things
# ("甲、乙、丙市帮扶10个县" counts counties, not the cities named) is not read.
COUNTED_NOUNS = ("文件", "任务", "项目", "单位", "科室", "部门", "机构", "股室", "指标", "工程",
                 "措施", "制度")
