"""Where a finding is, in names a person understands.

Checks locate what they find by a path into the dossier (``indicators/效益``,
``spending/guizhou-use``, ``spending/0/by_use/3``, ``recipients/jiangmen``). ``locate`` turns such
a path into the names the dossier gives those things ("贵州省 · 分用途支出 · 产业帮扶",
"江门市 · 协议数", "指标 · 效益"), for the web, the command line and the reports alike. A path
it does not know is returned as it is: never a guess.

The fixed words of a location (指标, 分用途支出, 协议数, 第%(n)s项扣分 …) pass through ``word``,
so a caller with a language (the web's ``gettext``) shows them in it; the names are data and
stay as the dossier gives them. Without ``word`` the words are the Chinese ones.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.core.dossier import Dossier, walk_indicators, walk_recipients

SEP = " · "

Word = Callable[[str], str]


def _same(text: str) -> str:
    return text


# Every fixed word ``locate`` may pass through ``word`` (for a caller's catalogue).
WORDS = ("总分", "分用途支出", "受援对象", "下级个数", "协议数", "到位资金", "支出", "预算执行",
         "执行数", "到位数", "全年预算数", "年初预算数", "资金", "数据", "计划与实际", "因素法分配",
         "支付台账", "指标", "第%(n)s项扣分")

# What a recipient finding is about, by rule (the path names only the recipient).
RECIPIENT_FACETS = {
    "recipients.count": "下级个数",
    "recipients.agreements": "协议数",
    "recipients.arrivals": "到位资金",
    "recipients.spending": "支出",
}

BUDGET_FACETS = {
    "": "预算执行",
    "executed": "执行数",
    "arrived": "到位数",
    "annual": "全年预算数",
    "initial": "年初预算数",
}


def _index(items: list[object], key: str, attr: str = "id") -> int | None:
    """The position of the item with id ``key``, else ``key`` read as a list index."""
    for n, item in enumerate(items):
        if getattr(item, attr, None) == key:
            return n
    if key.isdigit() and int(key) < len(items):
        return int(key)
    return None


def locate(d: Dossier, where: str, rule: str = "", word: Word = _same) -> str:
    """The location ``where`` (a finding's path) in the dossier's own names, its fixed words
    through ``word``."""
    if where == "total":
        return word("总分")
    head, _, rest = where.partition("/")
    parts = rest.split("/") if rest else []
    named = _named(d, head, parts, rule, word)
    return named if named is not None else where


def _named(d: Dossier, head: str, parts: list[str], rule: str, w: Word) -> str | None:
    recipients = {r.id: r.name for r, _ in walk_recipients(d.recipients)}
    if head == "indicators" and parts:
        return _indicator(d, parts, w)
    if head == "spending" and parts:
        n = _index(list(d.spending), parts[0])
        if n is None:
            return None
        s = d.spending[n]
        out = [recipients.get(s.recipient, s.recipient), w("分用途支出")]
        if len(parts) >= 3 and parts[1] == "by_use" and parts[2].isdigit():
            k = int(parts[2])
            if k >= len(s.by_use):
                return None
            out.append(s.by_use[k].category)
        return SEP.join(out)
    if head == "recipients" and len(parts) == 1 and parts[0] in recipients:
        return SEP.join([recipients[parts[0]], w(RECIPIENT_FACETS.get(rule, "受援对象"))])
    if head == "arrivals" and len(parts) == 1 and parts[0] in recipients:
        return SEP.join([recipients[parts[0]], w("到位资金")])
    if head == "budget":
        column = parts[0] if parts else ""
        facet = BUDGET_FACETS.get(column)
        return SEP.join([w("资金"), w(facet) if facet is not None else column])
    if head == "figures" and parts:
        figure = next((f for f in d.figures if f.id == parts[0]), None)
        return SEP.join([w("数据"), figure.label]) if figure else None
    if head == "plan_actual" and parts:
        measure = next((m for m in d.plan_actual if m.id == parts[0]), None)
        return SEP.join([w("计划与实际"), measure.name]) if measure else None
    if head == "allocations" and parts:
        plan = next((p for p in d.allocations if p.id == parts[0]), None)
        if plan is None:
            return None
        return SEP.join([w("因素法分配"), plan.id, *parts[1:]])
    if head == "ledger":
        return SEP.join([w("支付台账"), *parts])
    return None


def _indicator(d: Dossier, parts: list[str], w: Word) -> str | None:
    """"指标 · 帮扶项目数"; the path down to it only when its name alone is not unique."""
    deduction = None
    if len(parts) >= 3 and parts[-2] == "deductions" and parts[-1].isdigit():
        deduction = int(parts[-1]) + 1
        parts = parts[:-2]
    path = "/".join(parts)
    found = [(node, p) for node, p, _ in walk_indicators(d.indicators)]
    if not any(p == path for _, p in found):
        return None
    name = parts[-1]
    same = sum(1 for node, _ in found if node.name == name)
    shown = name if same == 1 else " › ".join(parts)
    out = [w("指标"), shown]
    if deduction is not None:
        out.append(w("第%(n)s项扣分") % {"n": deduction})
    return SEP.join(out)
