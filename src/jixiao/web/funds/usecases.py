"""Business operations on a fund. Each checks permissions, keeps the dossier valid, and
writes its audit entry in the same transaction. Views and the API call these, nothing else
writes. Refusals are the kernel's typed errors (`jixiao.web.kernel.errors`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext, pgettext

from jixiao.core import next_year, vocabulary
from jixiao.core.dossier import Dossier
from jixiao.formats.dossier_yaml import parse_dossier
from jixiao.formats.errors import InputError
from jixiao.web import permissions as perm
from jixiao.web.audit.log import record, snapshot
from jixiao.web.funds import mapping
from jixiao.web.funds.conflicts import form_labels
from jixiao.web.funds.models import (
    PROJECT_STATUS,
    Agreement,
    Arrival,
    Fund,
    Indicator,
    PlanActual,
    Project,
    Recipient,
    Spending,
    Submission,
    UseLine,
)
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refused, stale
from jixiao.web.kernel.limits import check_fields
from jixiao.web.kernel.versioning import (
    check_version,
    delete_versioned,
    row_for_update,
    save_versioned,
)
from jixiao.web.rectification.usecases import rectification_from_dossier

INDICATOR_FIELDS = [
    "weight", "method", "direction", "target", "actual", "unit", "level", "score", "reason",
    "analysis", "evidence", "applicable",
]
# The rule settings and listed deductions, edited as words on the indicator page.
RULE_EDITS = ["rule", "deductions"]
# What an indicator's coded fields accept: the dossier's own values, or empty.
CHOICES: dict[str, tuple[str, ...]] = {
    "method": ("", *vocabulary.METHODS),
    "direction": ("", *vocabulary.DIRECTIONS),
    "level": ("", *vocabulary.QUALITATIVE_LEVELS),
}


def _value_text(value: Any) -> tuple[str, bool]:
    text = inputs.text(value)
    if text == "":
        return "", False
    try:
        number = inputs.decimal("", text, required=False)
    except Refused:
        return text, False
    return (f"{number:f}", True) if number is not None else ("", False)


def validated(fund: Fund) -> Dossier | None:
    """The fund's dossier after a change; a change that breaks it is refused (rolled back).
    A fund-year still being filled in (created from last year's, `core.next_year`) is valid
    when everything but its missing measurements is: then None."""
    try:
        return mapping.to_domain(fund)
    except InputError as err:
        problems = err.problems
    data = mapping.dossier_data(fund)
    if next_year.unfilled(data):
        try:
            parse_dossier(next_year.with_stand_ins(data), file=str(fund))
            return None
        except InputError as err:
            problems = err.problems
    from jixiao.web.funds import presenter

    raise Refused(Code.INVALID_DOSSIER, presenter.problems(problems, line=False))


def fund_changed(fund: Fund) -> None:
    """Count a write to the fund's dossier data, in the writer's transaction: the dashboard's
    cached evaluation (`access.evaluate`) is keyed by this version, so it is never stale."""
    Fund.objects.filter(pk=fund.pk).update(data_version=F("data_version") + 1)


def locked(recipient: Recipient) -> bool:
    """Submitted data is under review; approved data is locked until an admin reopens it."""
    return Submission.objects.filter(
        recipient=recipient, status__in=("submitted", "approved")
    ).exists()


# ---------------------------------------------------------------- indicators

@transaction.atomic
def update_indicator(
    user: Any, indicator_id: int, version: int, changes: dict[str, Any], reason: str = ""
) -> Indicator:
    row = row_for_update(Indicator.objects.select_related("fund"), indicator_id)
    if not perm.can_edit_fund(user, row.fund):
        raise PermissionDenied
    check_version(row, version)
    reason = inputs.text(reason, gettext("修改原因"))
    audited = INDICATOR_FIELDS + RULE_EDITS
    before = snapshot(row, audited)
    had_actual = row.actual != ""
    for name, value in changes.items():
        if name in RULE_EDITS:  # already read into their stored form (web.funds.rule_text)
            setattr(row, name, value)
            continue
        if name not in INDICATOR_FIELDS:
            continue
        if name in CHOICES:
            # named by the edit form's label (评分方法), never by the key (method)
            setattr(row, name, inputs.choice(form_labels()[name], value, CHOICES[name]))
        elif name == "weight":
            row.weight = cast(Decimal, inputs.decimal(gettext("分值"), value, required=True,
                                                      maximum=inputs.SCORE_LIMIT))
        elif name == "score":
            row.score = inputs.decimal(gettext("得分"), value, required=False,
                                       maximum=inputs.SCORE_LIMIT)
        elif name in ("target", "actual"):
            text, is_number = _value_text(value)
            setattr(row, name, text)
            setattr(row, f"{name}_is_number", is_number)
        elif name == "applicable":
            row.applicable = bool(value)
        else:
            setattr(row, name, inputs.text(value))
    if ({"score", "weight"} & changes.keys() and row.score is not None
            and row.score > row.weight):
        # the web form refuses it at once (`indicator_form`); the API alike, not only as a
        # finding once every indicator is filled
        raise Refused(Code.OUT_OF_RANGE,
                      gettext("得分：应在 0 到分值 %(weight)s 之间（实际为 %(value)s）")
                      % {"weight": f"{row.weight:f}", "value": f"{row.score:f}"})
    after = snapshot(row, audited)
    if after == before:
        return row
    if after["target"] != before["target"] and had_actual and not reason.strip():
        raise Refused(Code.REASON_REQUIRED,
                      gettext("已有实际完成值时修改年度指标值，须填写修改原因"))
    fields = {name: getattr(row, name) for name in audited}
    fields.update(target_is_number=row.target_is_number, actual_is_number=row.actual_is_number)
    save_versioned(row, fields, version)
    validated(row.fund)
    fund_changed(row.fund)
    changed = {k: v for k, v in after.items() if before[k] != v}
    record(user, "indicator.update", row, fund=row.fund,
           before={k: before[k] for k in changed}, after=changed, reason=reason.strip())
    return row


# ---------------------------------------------------------------- rows of one recipient

ROW_FIELDS: dict[type[models.Model], dict[str, str]] = {
    Agreement: {"amount": "decimal", "level": "choice", "purpose": "text"},
    Arrival: {"amount": "decimal", "date": "date", "document": "text"},
    UseLine: {"amount": "decimal", "category": "text"},
    PlanActual: {"plan": "decimal", "actual": "decimal", "name": "text", "unit": "text"},
    Project: {"name": "text", "category": "text", "budget": "decimal", "spent": "decimal",
              "status": "text"},
}
PROJECT_STATUSES = tuple(value for value, _ in PROJECT_STATUS)
# What a "choice" row field accepts: the dossier's own values.
ROW_CHOICES: dict[str, tuple[str, ...]] = {"level": vocabulary.AGREEMENT_LEVELS}


def owner(row: models.Model) -> tuple[Fund, Recipient | None]:
    """The fund a row belongs to, and its recipient (None for fund-wide rows)."""
    if isinstance(row, UseLine):
        return row.spending.fund, row.spending.recipient
    if isinstance(row, PlanActual):
        return row.fund, None
    if isinstance(row, Agreement | Arrival | Project):
        return row.fund, row.recipient
    raise TypeError(f"not a row of a fund: {type(row).__name__}")


def _check_row_access(user: Any, row: models.Model) -> None:
    fund, recipient = owner(row)
    if recipient is None:
        if not perm.can_edit_fund(user, fund):
            raise PermissionDenied
        return
    if not perm.can_edit_recipient(user, recipient):
        raise PermissionDenied
    _refuse_if_locked(recipient)


def _refuse_if_locked(recipient: Recipient) -> None:
    if locked(recipient):
        raise Refused(
            Code.LOCKED,
            gettext("%(recipient)s的数据已报送或已审核，已锁定；须退回或由管理员重新打开后再修改")
            % {"recipient": recipient.name},
        )


def _label(row: models.Model, name: str) -> str:
    """A field's label in the page's language: its verbose name (Chinese, the msgid),
    translated."""
    return gettext(str(getattr(row._meta.get_field(name), "verbose_name", name)))


def _assign(row: models.Model, kinds: dict[str, str], changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        kind = kinds.get(name)
        if kind == "decimal":
            number = inputs.decimal(_label(row, name), value, required=True)
            if number is not None and number < 0:
                raise Refused(Code.NEGATIVE, gettext("%(field)s：不能为负数")
                              % {"field": _label(row, name)})
            setattr(row, name, number)
        elif kind == "date":
            setattr(row, name, inputs.date(_label(row, name), value))
        elif kind == "choice":
            setattr(row, name, inputs.choice(_label(row, name), value, ROW_CHOICES[name]))
        elif kind == "text":
            setattr(row, name, inputs.text(value, _label(row, name)))
    if isinstance(row, Project) and row.status not in PROJECT_STATUSES:
        raise Refused(Code.INVALID_VALUE, gettext("项目状态应为 %(statuses)s") % {
            "statuses": " / ".join(str(label) for _, label in PROJECT_STATUS)})
    if isinstance(row, Arrival) and row.amount is not None and row.amount <= 0:
        # An arrival is money that reached the unit: a 0 row says nothing and hides a
        # missing figure (negative amounts are refused above).
        raise Refused(Code.INVALID_VALUE, gettext("到位金额应大于 0"))


def overspent(project: Project) -> bool:
    """已支出 above 预算: accepted (a project's budget may still be raised), but warned
    about beside the row and before 报送. Projects are web-only (not in the dossier), so
    the core has no check of its own for this."""
    return project.spent is not None and project.budget is not None and (
        project.spent > project.budget)


def arrival_gaps(arrival: Arrival) -> list[str]:
    """What an arrival lacks to be traced to its allocation (到位日期, 拨付文件), as labels:
    accepted (they may come later), but warned about beside the row, when it is added and
    before 报送."""
    missing = []
    if arrival.date is None:
        missing.append(pgettext("missing field", "到位日期"))
    if not (arrival.document or "").strip():
        missing.append(pgettext("missing field", "拨付文件"))
    return missing


def arrival_gaps_said(arrival: Arrival) -> str:
    """未填写到位日期、拨付文件；到位日期 … 不在 … (empty when there is nothing to say)."""
    said = []
    gaps = arrival_gaps(arrival)
    if gaps:
        joined = pgettext("field list separator", "、").join(gaps)
        said.append(gettext("未填写%(fields)s") % {"fields": joined})
    year = owner(arrival)[0].year
    if arrival.date is not None and not year <= arrival.date.year <= year + 1:
        # money of a fund-year arrives in that year, or the next when carried over (结转)
        said.append(gettext("到位日期 %(date)s 不在 %(first)s—%(last)s 年内，请核实") % {
            "date": arrival.date.isoformat(), "first": year, "last": year + 1})
    return pgettext("clause separator", "；").join(said)


def fund_total(fund: Fund) -> Decimal | None:
    """The fund's 全年预算数 (its whole money for the year), None while it has no budget."""
    from jixiao.web.funds.budget import stored  # budget uses this module

    annual = (stored(fund) or {}).get("annual")
    return annual if isinstance(annual, Decimal) and annual > 0 else None


def beyond_fund(total: Decimal | None, label: str, amount: Decimal | None) -> str:
    """A project's 预算 or an arrival larger than the whole fund (``total``, `fund_total`):
    kept (the budget may be stale), but said, since it is usually a unit or a digit typed
    wrong. Empty otherwise."""
    if amount is None or total is None or amount <= total:
        return ""
    return gettext("%(what)s %(amount)s 超过资金全年预算 %(total)s，请核对单位和位数") % {
        "what": label, "amount": f"{amount:f}", "total": f"{total:f}"}


def repeated_names(projects: Iterable[Project]) -> dict[str, int]:
    """Project names entered more than once for one unit (allowed: two phases of one road may
    share a name; but usually entered twice by mistake), with how often."""
    counts = Counter(" ".join(p.name.split()) for p in projects)
    return {name: n for name, n in counts.items() if n > 1}


def submit_warnings(recipient: Recipient) -> list[str]:
    """The warnings on a recipient's own projects and arrivals, as listed before 报送."""
    projects = list(recipient.projects.all())
    out = [gettext("项目「%(name)s」已支出超过预算（已支出 %(spent)s，预算 %(budget)s）")
           % {"name": p.name, "spent": f"{p.spent:f}", "budget": f"{p.budget:f}"}
           for p in projects if overspent(p)]
    out += [gettext("项目名称「%(name)s」重复 %(n)s 次，请核实是否重复录入")
            % {"name": name, "n": n} for name, n in repeated_names(projects).items()]
    total = fund_total(recipient.fund)  # read once for every row below
    out += [said for p in projects if (said := beyond_fund(
        total, gettext("项目「%(name)s」的预算") % {"name": p.name}, p.budget))]
    arrivals = Arrival.objects.filter(recipient=recipient).select_related("fund")
    for a in arrivals.order_by("position", "pk"):
        said = arrival_gaps_said(a)
        if said:
            out.append(gettext("到位资金 %(amount)s %(gaps)s") % {
                "amount": f"{a.amount:f}", "gaps": said})
        if beyond := beyond_fund(total, gettext("到位资金"), a.amount):
            out.append(beyond)
    return out


@transaction.atomic
def update_row(
    user: Any, model: type[models.Model], pk: int, version: int, changes: dict[str, Any]
) -> models.Model:
    """Money lines, plan-vs-actual measures and projects: one row, optimistic locking."""
    kinds = ROW_FIELDS[model]
    row = row_for_update(model._default_manager.all(), pk)
    _check_row_access(user, row)
    check_version(row, version)
    before = snapshot(row, list(kinds))
    _assign(row, kinds, {k: v for k, v in changes.items() if k in kinds})
    after = snapshot(row, list(kinds))
    if after == before:
        return row
    save_versioned(row, {k: getattr(row, k) for k in kinds}, version)
    fund, _ = owner(row)
    if model is not Project:
        validated(fund)
    fund_changed(fund)
    changed = {k: v for k, v in after.items() if before[k] != v}
    record(user, f"{model._meta.model_name}.update", row, fund=fund,
           before={k: before[k] for k in changed}, after=changed)
    return row


@transaction.atomic
def create_project(user: Any, recipient: Recipient, changes: dict[str, Any]) -> Project:
    row = Project(fund=recipient.fund, recipient=recipient, budget=Decimal(0), spent=Decimal(0))
    if not perm.can_add_project(user, recipient):  # also a city, for one of its counties
        raise PermissionDenied
    _refuse_if_locked(recipient)
    _assign(row, ROW_FIELDS[Project], changes)
    if not row.name or not row.category:
        raise Refused(Code.REQUIRED, gettext("项目名称和用途类别不能为空"))
    check_fields(row)
    row.save()
    fund_changed(row.fund)
    record(user, "project.create", row, fund=row.fund,
           after=snapshot(row, list(ROW_FIELDS[Project])), label=row.name)
    return row


CREATABLE: dict[type[models.Model], tuple[str, ...]] = {
    Agreement: ("level", "amount"),
    Arrival: ("amount",),
    UseLine: ("category", "amount"),
    Project: ("name", "category", "budget"),
}
ROW_LABELS: dict[type[models.Model], str] = {
    Agreement: "协议数", Arrival: "资金到位", UseLine: "分用途支出", Project: "项目",
}
REQUIRED_LABELS = {"level": "承担层级", "amount": "金额", "category": "用途", "name": "项目名称",
                   "budget": "预算"}


def _next_position(queryset: Any) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else int(last) + 1


def _new_row(model: type[models.Model], recipient: Recipient) -> models.Model:
    """An unsaved row of ``model`` for ``recipient`` (its 分用途支出 block is found or made)."""
    fund = recipient.fund
    if model is UseLine:
        spending = Spending.objects.filter(fund=fund, recipient=recipient).first()
        if spending is None:
            codes = set(fund.spending.values_list("code", flat=True))
            code, n = f"{recipient.code}-spending", 1
            while code in codes:
                n += 1
                code = f"{recipient.code}-spending-{n}"
            spending = Spending(fund=fund, recipient=recipient, code=code,
                                position=_next_position(fund.spending))
        return UseLine(spending=spending, amount=Decimal(0))
    if model is Project:
        return Project(fund=fund, recipient=recipient, budget=Decimal(0), spent=Decimal(0))
    if model is Agreement:
        return Agreement(fund=fund, recipient=recipient, amount=Decimal(0),
                         position=_next_position(fund.agreements))
    return Arrival(fund=fund, recipient=recipient, amount=Decimal(0),
                   position=_next_position(fund.arrivals))


@transaction.atomic
def create_row(
    user: Any, model: type[models.Model], recipient: Recipient, changes: dict[str, Any]
) -> models.Model:
    """Add a money line (agreement, arrival, spending by use) or a project for a recipient:
    same permissions and workflow lock as editing; the dossier must stay valid."""
    if model not in CREATABLE:
        raise PermissionDenied
    kinds = ROW_FIELDS[model]
    row = _new_row(model, recipient)
    _check_row_access(user, row)
    missing = [gettext(REQUIRED_LABELS[k]) for k in CREATABLE[model]
               if not str(changes.get(k, "")).strip()]
    if missing:
        raise Refused(Code.REQUIRED,
                      gettext("%(fields)s不能为空") % {"fields": "、".join(missing)})
    _assign(row, kinds, {k: v for k, v in changes.items() if k in kinds})
    check_fields(row)
    if isinstance(row, UseLine):
        if row.spending.pk is None:
            row.spending.save()
        row.position = _next_position(row.spending.uses)
    row.save()
    fund, _ = owner(row)
    if model is not Project:
        validated(fund)
    fund_changed(fund)
    record(user, f"{model._meta.model_name}.create", row, fund=fund,
           after=snapshot(row, list(kinds)), label=f"{recipient.name} {ROW_LABELS[model]}")
    return row


@transaction.atomic
def delete_row(user: Any, model: type[models.Model], pk: int, version: int) -> None:
    """Delete one money line or project; optimistic locking, workflow lock, audit entry."""
    if model not in CREATABLE:
        raise PermissionDenied
    kinds = ROW_FIELDS[model]
    row = row_for_update(model._default_manager.all(), pk)
    _check_row_access(user, row)
    check_version(row, version)
    fund, recipient = owner(row)
    before = snapshot(row, list(kinds))
    label = f"{recipient.name if recipient else fund} {ROW_LABELS[model]}"
    delete_versioned(row, version)
    if model is not Project:
        validated(fund)
    fund_changed(fund)
    record(user, f"{model._meta.model_name}.delete", row, fund=fund, before=before,
           label=label)


# ---------------------------------------------------------------- workflow

def _submission(pk: int) -> Submission:
    return row_for_update(Submission.objects.select_related("fund", "recipient"), pk)


def _move(user: Any, sub: Submission, action: str, status: str, reason: str = "") -> Submission:
    before = {"status": sub.status, "reason": sub.reason}
    sub.status, sub.reason, sub.updated_by = status, reason, user
    check_fields(sub, ["status", "reason"])
    sub.save()
    record(user, action, sub, fund=sub.fund, before=before,
           after={"status": status, "reason": reason}, reason=reason,
           label=f"{sub.recipient.name} 报送")
    return sub


def _wrong_status(sub: Submission, message: str) -> Refused:
    return Refused(Code.WRONG_STATUS, message % {"status": sub.get_status_display()})


@transaction.atomic
def submit(user: Any, pk: int) -> Submission:
    sub = _submission(pk)
    if not perm.can_submit(user, sub):
        raise PermissionDenied
    if sub.status not in ("draft", "returned"):
        raise _wrong_status(sub, gettext("当前状态为“%(status)s”，不能报送"))
    return _move(user, sub, "submission.submit", "submitted")


@transaction.atomic
def return_with_reason(user: Any, pk: int, reason: str) -> Submission:
    sub = _submission(pk)
    if not perm.can_review(user, sub):
        raise PermissionDenied
    if not reason.strip():
        raise Refused(Code.REASON_REQUIRED, gettext("退回须填写原因"))
    if sub.status != "submitted":
        raise _wrong_status(sub, gettext("当前状态为“%(status)s”，只有已报送的数据可以退回"))
    return _move(user, sub, "submission.return", "returned", reason.strip())


@transaction.atomic
def approve(user: Any, pk: int) -> Submission:
    sub = _submission(pk)
    if not perm.can_review(user, sub):
        raise PermissionDenied
    if sub.status != "submitted":
        raise _wrong_status(sub, gettext("当前状态为“%(status)s”，只有已报送的数据可以审核通过"))
    return _move(user, sub, "submission.approve", "approved")


@transaction.atomic
def bulk_approve(user: Any, pks: Iterable[int]) -> list[Submission]:
    """Approve every listed submission, or none (one refusal stops the batch)."""
    return [approve(user, pk) for pk in pks]


@transaction.atomic
def reopen(user: Any, pk: int, reason: str = "") -> Submission:
    sub = _submission(pk)
    if not perm.can_reopen(user, sub):
        raise PermissionDenied
    if sub.status != "approved":
        raise Refused(Code.WRONG_STATUS, gettext("只有已审核的数据需要重新打开"))
    if not reason.strip():
        raise Refused(Code.REASON_REQUIRED, gettext("重新打开已审核的数据须填写原因"))
    return _move(user, sub, "submission.reopen", "draft", reason.strip())


# ---------------------------------------------------------------- import

@transaction.atomic
def existing_fund(dossier: Dossier) -> Fund | None:
    """The fund-year a dossier names (fund name + year), archived ones included."""
    return (Fund.objects.filter(name=dossier.fund.name, year=dossier.fund.year)
            .order_by("id").first())


def import_preview(user: Any, dossier: Dossier, *, form: bool = False
                   ) -> tuple[Fund, dict[str, Any]] | None:
    """The existing fund-year a re-import would update and what would change; None when the
    import would create a new fund-year. ``form``: the dossier was read from a 自评表, which
    updates only what the form holds (`form_merge`). Writes nothing."""
    if not perm.can_import(user):
        raise PermissionDenied
    fund = existing_fund(dossier)
    if fund is None:
        return None
    _check_replaceable(user, fund)
    return fund, _diff(fund, _incoming(fund, dossier, form))


def _incoming(fund: Fund, dossier: Dossier, form: bool) -> Dossier:
    """What the fund-year becomes: the uploaded dossier, or for a 自评表 the stored dossier
    with the form's part written over it (raises InputError if that is no valid dossier)."""
    if not form:
        return dossier
    from jixiao.web.funds.form_merge import merge_form

    return merge_form(fund, dossier)


def _check_replaceable(user: Any, fund: Fund) -> None:
    if fund.archived:
        raise Refused(Code.LOCKED, gettext("该资金年度已归档，只读，不能导入更新"))
    if not perm.can_edit_fund(user, fund):
        raise PermissionDenied


def _diff(fund: Fund, dossier: Dossier) -> dict[str, Any]:
    from jixiao.web.funds.dossier_diff import diff, removed_recipients

    try:
        old = mapping.to_domain(fund)
    except InputError:  # the stored data no longer makes a dossier: everything is replaced
        return {"unreadable": True, **removed_recipients(fund, dossier)}
    return {**diff(old, dossier), **removed_recipients(fund, dossier)}


@transaction.atomic
def import_dossier(user: Any, dossier: Dossier, source: str, *, replace: bool = False,
                   expected_version: int | None = None, form: bool = False) -> Fund:
    """Create the dossier's fund-year; if it exists, refuse (`exists`) unless ``replace``:
    then its dossier data is replaced (the ledger is kept; recipients the dossier no longer
    has go, with their projects, workflow and roles — the preview lists them), its data
    version goes up and the audit entry holds the change summary. ``form``: the dossier was
    read from a 自评表 and updates only what the form holds, everything else is kept.
    ``expected_version`` is the `Fund.data_version` the user saw the summary at: a later
    write is a conflict."""
    if not perm.can_import(user):
        raise PermissionDenied
    existing = (Fund.objects.select_for_update()
                .filter(name=dossier.fund.name, year=dossier.fund.year).order_by("id").first())
    if existing is None:
        fund = mapping.load_dossier(dossier)
        rectification_from_dossier(fund, dossier)
        record(user, "fund.import", fund, fund=fund, after={"source": source},
               label=fund.stored_title)
        return fund
    _check_replaceable(user, existing)
    if not replace:
        raise Refused(Code.EXISTS, gettext("%(fund)s 已存在：请确认后更新现有资金年度")
                      % {"fund": existing})
    if expected_version is not None and existing.data_version != expected_version:
        raise stale()
    from jixiao.web.funds.dossier_diff import audit_summary

    dossier = _incoming(existing, dossier, form)
    summary = audit_summary(_diff(existing, dossier))
    before = {"data_version": existing.data_version}
    # A form holds no money rows: they stay the same rows (an open edit of one still fits).
    keep = mapping.MONEY_BLOCKS if form else ()
    fund = mapping.load_dossier(dossier, existing, keep=keep)  # bumps data_version
    record(user, "fund.reimport", fund, fund=fund, before=before,
           after={"source": source, "data_version": fund.data_version, "summary": summary},
           label=fund.stored_title)
    return fund


def _fund_year(user: Any, pk: int, reason: str) -> tuple[Fund, str]:
    if not perm.can_manage_fund_years(user):
        raise PermissionDenied
    fund = row_for_update(Fund.objects.all(), pk)
    reason = inputs.text(reason, gettext("原因"))
    if not reason:
        raise Refused(Code.REASON_REQUIRED, gettext("须填写原因"))
    return fund, reason


@transaction.atomic
def archive_fund(user: Any, pk: int, reason: str, *, archived: bool = True) -> Fund:
    """Archive (read-only, out of the default list) or restore a fund-year: 省级管理员."""
    fund, reason = _fund_year(user, pk, reason)
    if fund.archived == archived:
        return fund
    Fund.objects.filter(pk=fund.pk).update(archived=archived)
    fund.archived = archived
    record(user, "fund.archive" if archived else "fund.unarchive", fund, fund=fund,
           before={"archived": not archived}, after={"archived": archived}, reason=reason)
    return fund


@transaction.atomic
def delete_fund(user: Any, pk: int, reason: str) -> str:
    """Delete a fund-year and everything of it; the audit entry stays (its fund link is
    cleared). Returns the fund's label."""
    fund, reason = _fund_year(user, pk, reason)
    label = fund.stored_title
    record(user, "fund.delete", fund, fund=fund, before={
        "name": fund.name, "year": fund.year, "budget_unit": fund.budget_unit,
        "data_version": fund.data_version}, reason=reason)
    fund.delete()  # the entry's fund link is cleared (SET_NULL); its label and id stay
    return label
