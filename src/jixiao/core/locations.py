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

from collections import Counter
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


class Locator:
    """``locate`` for many findings of one dossier: the dossier's names are indexed once, so
    naming n findings costs O(n), not O(n × dossier size)."""

    def __init__(self, d: Dossier) -> None:
        self.recipients = {r.id: r.name for r, _ in walk_recipients(d.recipients)}
        self.spending = list(d.spending)
        self.spending_ids = {s.id: n for n, s in reversed(list(enumerate(self.spending)))}
        paths = [(node.name, p) for node, p, _ in walk_indicators(d.indicators)]
        self.indicator_paths = {p for _, p in paths}
        self.name_counts = Counter(name for name, _ in paths)
        self.figures = {f.id: f.label for f in reversed(d.figures)}
        self.measures = {m.id: m.name for m in reversed(d.plan_actual)}
        self.plans = {a.id for a in d.allocations}

    def __call__(self, where: str, rule: str = "", word: Word = _same) -> str:
        """The location ``where`` (a finding's path) in the dossier's own names, its fixed
        words through ``word``."""
        if where == "total":
            return word("总分")
        head, _, rest = where.partition("/")
        parts = rest.split("/") if rest else []
        named = self._named(head, parts, rule, word)
        return named if named is not None else where

    def _spending_index(self, key: str) -> int | None:
        """The position of the spending line with id ``key``, else ``key`` as a list index."""
        if key in self.spending_ids:
            return self.spending_ids[key]
        if key.isdigit() and int(key) < len(self.spending):
            return int(key)
        return None

    def _named(self, head: str, parts: list[str], rule: str, w: Word) -> str | None:
        recipients = self.recipients
        if head == "indicators" and parts:
            return self._indicator(parts, w)
        if head == "spending" and parts:
            n = self._spending_index(parts[0])
            if n is None:
                return None
            s = self.spending[n]
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
            label = self.figures.get(parts[0])
            return SEP.join([w("数据"), label]) if label is not None else None
        if head == "plan_actual" and parts:
            name = self.measures.get(parts[0])
            return SEP.join([w("计划与实际"), name]) if name is not None else None
        if head == "allocations" and parts:
            if parts[0] not in self.plans:
                return None
            return SEP.join([w("因素法分配"), *parts])
        if head == "ledger":
            return SEP.join([w("支付台账"), *parts])
        return None

    def _indicator(self, parts: list[str], w: Word) -> str | None:
        """"指标 · 帮扶项目数"; the path down to it only when its name alone is not unique."""
        deduction = None
        if len(parts) >= 3 and parts[-2] == "deductions" and parts[-1].isdigit():
            deduction = int(parts[-1]) + 1
            parts = parts[:-2]
        if "/".join(parts) not in self.indicator_paths:
            return None
        name = parts[-1]
        shown = name if self.name_counts[name] == 1 else " › ".join(parts)
        out = [w("指标"), shown]
        if deduction is not None:
            out.append(w("第%(n)s项扣分") % {"n": deduction})
        return SEP.join(out)


def locate(d: Dossier, where: str, rule: str = "", word: Word = _same) -> str:
    """The location ``where`` (a finding's path) in the dossier's own names. For many findings
    of one dossier build one ``Locator`` instead."""
    return Locator(d)(where, rule, word)
