"""The JSON API (django-ninja): OpenAPI at /api/docs, session (with CSRF) or bearer-token
auth (`TokenAuth`, no CSRF), and the same predicates (`jixiao.web.permissions`) and use cases
as the pages. Every operation declares its response schema (`api.schemas`); a refusal answers
its status with ``{"detail": message, "code": code}`` (one handler, `_refused`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from ninja import Field, File, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.files import UploadedFile
from ninja.security import HttpBearer, django_auth

from jixiao.formats.errors import InputError
from jixiao.formats.evaluation_json import evaluation_dict
from jixiao.web import permissions as perm
from jixiao.web.accounts.models import WRITE as WRITE_SCOPE
from jixiao.web.accounts.models import ApiToken
from jixiao.web.api.budget import router as budget_router
from jixiao.web.api.schemas import (
    AuditTrailOut,
    CarryOverOut,
    Error,
    FundEvaluationOut,
    FundListItemOut,
    IndicatorError,
    IndicatorRowOut,
    IndicatorSavedOut,
    PaymentImportOut,
    ProjectOut,
    RecipientOut,
    RectificationItemOut,
    RectificationOut,
    SubmissionOut,
)
from jixiao.web.audit import presenter as audit_presenter
from jixiao.web.audit import views as audit_views
from jixiao.web.funds import indicator_form, mapping, payment_import, presenter, usecases
from jixiao.web.funds.access import evaluate, fund_for
from jixiao.web.funds.codec import plain
from jixiao.web.funds.indicator_form import FieldRefused
from jixiao.web.funds.models import (
    Fund,
    Indicator,
    PaymentImport,
    Project,
    Recipient,
    Submission,
)
from jixiao.web.funds.presenter import indicator_paths
from jixiao.web.kernel.errors import Code, NotFound, Refusal, Refused
from jixiao.web.rectification import queries as ledger_queries
from jixiao.web.rectification import rules
from jixiao.web.rectification import usecases as ledger
from jixiao.web.rectification.models import RectificationItem


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a personal token (`ApiToken`) acts as its user, within
    its scope. A request that presents a token is judged on the token alone: unknown, expired,
    revoked or of an inactive user is 401 (never a fall-back to the session cookie); a read token
    on a write is 403. A token request is not a browser's, so it is exempt from CSRF (which
    stays enforced for session-cookie requests by `django_auth`)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        item = ApiToken.objects.filter(digest=ApiToken.hash(token)).select_related("user").first()
        if item is None or not item.active or not item.user.is_active:
            raise AuthenticationError
        if item.scope != WRITE_SCOPE and request.method not in ("GET", "HEAD", "OPTIONS"):
            raise ReadOnlyToken
        now = timezone.now()
        if item.last_used is None or now - item.last_used > dt.timedelta(minutes=1):
            ApiToken.objects.filter(pk=item.pk).update(last_used=now)
        request._ninja_csrf_exempt = True  # type: ignore[attr-defined]
        request.user = item.user
        return item.user


api = NinjaAPI(
    title="jixiao 绩效管理 API", version="1", auth=[TokenAuth(), django_auth],
    description="与网页相同的权限；金额、分值均为精确的十进制字符串。",
    urls_namespace="api",
)


api.add_router("", budget_router)  # the fund-year's 预算 (api/budget.py)


class ReadOnlyToken(PermissionDenied):
    """A write presented with a token of the read scope: refused, saying why."""


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, ReadOnlyToken):
        return api.create_response(request, {
            "detail": gettext("该令牌为只读令牌，不能修改数据；请在“API 令牌”页面创建可写令牌"),
            "code": Code.READ_ONLY_TOKEN}, status=403)
    return api.create_response(request, {"detail": gettext("无权访问")}, status=403)


@api.exception_handler(Refusal)
def _refused(request: HttpRequest, exc: Refusal) -> HttpResponse:
    """Every refusal of a use case: the status of its class, its code and message."""
    return api.create_response(request, {"detail": exc.message, "code": exc.code},
                               status=exc.status)


@api.exception_handler(SchemaError)
def _malformed(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    """A body, path or query the input schema refuses: 422 naming each field, in the request's
    language, in the same shape as every other error."""
    names = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "path", "query")]
        names.append(".".join(loc) or "body")
    detail = gettext("请求数据不正确：%(fields)s") % {
        "fields": _listed(dict.fromkeys(names)) or "body"}
    return api.create_response(request, {"detail": detail, "code": Code.INVALID_VALUE},
                               status=422)


def _listed(names: Iterable[str]) -> str:
    """Field names in one line, separated as the request's language separates them."""
    return pgettext("field list separator", "、").join(names)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": gettext("未找到所请求的对象")}, status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals (a body that is not JSON, no or a bad token, too many
    requests) in the request's language; any other keeps django-ninja's text."""
    said = {400: gettext("请求体无法解析：应为 JSON"),
            401: gettext("未登录，或令牌无效、已过期、已撤销"),
            403: gettext("无权访问"),
            429: gettext("请求过于频繁，请稍后再试")}
    detail = said.get(exc.status_code, str(exc))
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def _user(request: HttpRequest) -> Any:
    auth = getattr(request, "auth", None)
    return auth if auth is not None else request.user


READ = {403: Error, 404: Error}
WRITE = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@api.get("/funds", summary="可见的资金", response={200: list[FundListItemOut]})
def list_funds(request: HttpRequest) -> list[dict[str, Any]]:
    user = _user(request)
    return [{"id": f.pk, "name": f.name, "year": f.year, "budget_unit": f.budget_unit,
             "full_access": perm.can_view_fund(user, f)} for f in perm.visible_funds(user)]


@api.get("/funds/{fund_id}", summary="资金的评价结果（evaluate --json 契约）",
         response={200: FundEvaluationOut, 422: Error, **READ})
def get_fund(request: HttpRequest, fund_id: int) -> Any:
    fund = fund_for(_user(request), fund_id)
    ev, problem = evaluate(fund)
    if ev is None:
        return Status(422, {"detail": problem, "code": Code.INVALID_DOSSIER})
    return {"id": fund.pk, **evaluation_dict(ev)}


def _indicator(row: Indicator, path: str) -> dict[str, Any]:
    data = {name: plain(getattr(row, name)) for name in usecases.INDICATOR_FIELDS}
    return {"id": row.pk, "path": path, "name": row.name, "version": row.version, **data}


@api.get("/funds/{fund_id}/indicators", summary="指标（可编辑字段与版本号）",
         response={200: list[IndicatorRowOut], **READ})
def list_indicators(request: HttpRequest, fund_id: int) -> list[dict[str, Any]]:
    fund = fund_for(_user(request), fund_id)
    return [_indicator(row, path) for path, row in indicator_paths(fund).items()]


def _known_fields(changes: dict[str, Any], known: list[str]) -> None:
    """A change to a field the object does not have is refused, not silently dropped (a
    misspelt key would otherwise answer 200 with nothing changed)."""
    unknown = sorted(set(changes) - set(known))
    if unknown:
        raise Refused(Code.INVALID_VALUE, gettext("未知字段：%(fields)s；可修改的字段：%(known)s")
                      % {"fields": ", ".join(unknown), "known": ", ".join(known)})


class IndicatorPatch(Schema):
    version: int
    changes: dict[str, Any]
    reason: str = ""


@api.patch("/indicators/{indicator_id}", summary="修改指标（须带版本号；冲突返回 409）",
           response={200: IndicatorSavedOut, **WRITE, 400: IndicatorError})
def patch_indicator(request: HttpRequest, indicator_id: int, body: IndicatorPatch) -> Any:
    row = get_object_or_404(Indicator.objects.select_related("fund"), pk=indicator_id)
    user = _user(request)
    if not perm.can_view_fund(user, row.fund):
        raise PermissionDenied
    _known_fields(body.changes, usecases.INDICATOR_FIELDS + usecases.RULE_EDITS)
    try:
        if body.version == row.version:  # a stale version is a conflict first (409)
            indicator_form.check_changes(row, body.changes)  # a field by its label
        row = usecases.update_indicator(user, row.pk, body.version, body.changes, body.reason)
    except FieldRefused as refused:
        return Status(400, {"detail": indicator_form.for_api(row, refused),
                            "code": refused.code, "field": refused.field})
    except Refused as refused:
        if refused.code != Code.INVALID_DOSSIER:
            raise
        # the dossier's path of this indicator (indicators[1].children[0].weight) said by
        # its name and the field's label, as the edit form says it
        return Status(400, {"detail": indicator_form.readable(row, refused.message, named=True),
                            "code": refused.code})
    path = next(p for p, r in indicator_paths(row.fund).items() if r.pk == row.pk)
    return {**_indicator(row, path), "warnings": indicator_form.weight_notes(row)}


def _submission(sub: Submission) -> dict[str, Any]:
    return {"id": sub.pk, "status": sub.status, "reason": sub.reason,
            "updated": sub.updated.isoformat()}


def _project(p: Project) -> dict[str, Any]:
    return {"id": p.pk, "recipient": p.recipient_id, "name": p.name, "category": p.category,
            "budget": plain(p.budget), "spent": plain(p.spent), "status": p.status,
            "version": p.version}


@api.get("/recipients/{recipient_id}", summary="单位（县、市、工作队）的数据与报送状态",
         response={200: RecipientOut, **READ})
def get_recipient(request: HttpRequest, recipient_id: int) -> dict[str, Any]:
    r = get_object_or_404(Recipient.objects.select_related("fund"), pk=recipient_id)
    if not perm.can_view_recipient(_user(request), r):
        raise PermissionDenied
    sub = r.submissions.first()
    return {"id": r.pk, "fund": r.fund_id, "code": r.code, "name": r.name, "kind": r.kind,
            "parent": r.parent_id, "submission": _submission(sub) if sub else None,
            "projects": [_project(p) for p in r.projects.all()]}


@api.get("/projects/{project_id}", summary="项目库中的一个项目",
         response={200: ProjectOut, **READ})
def get_project(request: HttpRequest, project_id: int) -> dict[str, Any]:
    p = get_object_or_404(Project.objects.select_related("recipient__fund"), pk=project_id)
    if not perm.can_view_recipient(_user(request), p.recipient):
        raise PermissionDenied
    return _project(p)


@api.get("/submissions/{submission_id}", summary="报送状态",
         response={200: SubmissionOut, **READ})
def get_submission(request: HttpRequest, submission_id: int) -> dict[str, Any]:
    sub = get_object_or_404(Submission.objects.select_related("recipient__fund"),
                            pk=submission_id)
    if not perm.can_view_recipient(_user(request), sub.recipient):
        raise PermissionDenied
    return _submission(sub)


class Reason(Schema):
    reason: str = ""


@api.post("/submissions/{submission_id}/{action}", summary="报送、退回与重新打开（须填原因）、审核",
          response={200: SubmissionOut, **WRITE})
def act_on_submission(request: HttpRequest, submission_id: int, action: str,
                      body: Reason | None = None) -> dict[str, Any]:
    reason = body.reason if body is not None else ""  # 报送 and 审核通过 need no body
    sub = get_object_or_404(Submission.objects.select_related("recipient__fund"),
                            pk=submission_id)
    user = _user(request)
    if not perm.can_view_recipient(user, sub.recipient):
        raise PermissionDenied
    operations = {
        "submit": lambda: usecases.submit(user, sub.pk),
        "return": lambda: usecases.return_with_reason(user, sub.pk, reason),
        "approve": lambda: usecases.approve(user, sub.pk),
        "reopen": lambda: usecases.reopen(user, sub.pk, reason),
    }
    if action not in operations:
        raise Refused(Code.UNKNOWN_ACTION, gettext("未知操作：%(action)s") % {"action": action})
    return _submission(operations[action]())


# --- the rectification ledger (整改台账) --------------------------------------------------


def _ledger_item(i: RectificationItem, today: dt.date) -> dict[str, Any]:
    return {
        "id": i.pk, "fund": i.fund_id, "number": i.number, "source": i.source,
        "problem": i.problem, "amount": plain(i.amount),
        "rectified_amount": plain(i.rectified_amount), "indicator": i.indicator,
        "deduction": plain(i.deduction), "measures": i.measures, "recipient": i.recipient_id,
        "responsible_unit": i.responsible_unit, "responsible_person": i.responsible_person,
        "deadline": plain(i.deadline), "progress": i.progress, "status": i.status,
        "closed_on": plain(i.closed_on), "has_evidence": bool(i.evidence),
        "overdue": rules.is_overdue(i, today), "version": i.version,
        "carried_from": i.carried_from_id,
    }


@api.get("/funds/{fund_id}/rectification",
         summary="整改台账：按状态计数、筛选（q、status、unit、source、overdue）、合计与分页（page）",
         response={200: RectificationOut, **READ})
def get_rectification(request: HttpRequest, fund_id: int) -> dict[str, Any]:
    user = _user(request)
    fund = ledger_queries.ledger_fund(user, fund_id)
    today = timezone.localdate()
    items = list(ledger_queries.visible(user, fund))
    shown = list(ledger_queries.Filters.from_query(request.GET).apply(
        ledger_queries.visible(user, fund), today))
    page = Paginator(shown, ledger_queries.PAGE_SIZE).get_page(request.GET.get("page"))
    sums = ledger_queries.totals(shown)
    return {
        "total": len(items), "counts": rules.counts_by_status(items), "matched": len(shown),
        "amount_total": plain(sums.amount), "rectified_total": plain(sums.rectified),
        "page": page.number, "pages": page.paginator.num_pages,
        "page_size": ledger_queries.PAGE_SIZE,
        "items": [_ledger_item(i, today) for i in page],
    }


class LedgerItemIn(Schema):
    """An item's fields as on the page; money and points as decimal text."""

    problem: str
    source: str = "自评"
    amount: str | None = None
    rectified_amount: str | None = None
    indicator: str = ""
    deduction: str | None = None
    measures: str = ""
    recipient: int | None = None
    responsible_person: str = ""
    deadline: str | None = None
    progress: str = ""
    status: str = "未整改"


class LedgerItemPatch(Schema):
    version: int
    changes: dict[str, Any] = Field(
        description="要修改的字段；责任单位的用户只能改 progress、rectified_amount、status")


class CarryOverIn(Schema):
    to_fund: int | None = Field(default=None, description="目标资金；默认为同名资金的下一年度")


@api.post("/funds/{fund_id}/rectification", summary="新增问题（资金的编辑者）",
          response={201: RectificationItemOut, **WRITE})
def create_ledger_item(request: HttpRequest, fund_id: int, body: LedgerItemIn) -> Any:
    user = _user(request)
    fund = fund_for(user, fund_id)
    item = ledger.create_item(user, fund, body.dict())
    return Status(201, _ledger_item(item, timezone.localdate()))


@api.patch("/rectification/{item_id}",
           summary="修改问题（须带版本号）：编辑者改全部字段，责任单位改进展",
           response={200: RectificationItemOut, **WRITE})
def patch_ledger_item(request: HttpRequest, item_id: int, body: LedgerItemPatch) -> Any:
    user = _user(request)
    found = get_object_or_404(RectificationItem.objects.select_related("fund"), pk=item_id)
    ledger_queries.item_for(user, ledger_queries.ledger_fund(user, found.fund_id), found.pk)
    _known_fields(body.changes, ledger.EDIT_FIELDS)
    item = ledger.update_item(user, found.pk, body.version, body.changes)
    return _ledger_item(item, timezone.localdate())


@api.post("/rectification/{item_id}/close", summary="销号（资金的编辑者；须已上传佐证材料）",
          response={200: RectificationItemOut, **WRITE})
def close_ledger_item(request: HttpRequest, item_id: int) -> Any:
    user = _user(request)
    found = get_object_or_404(RectificationItem.objects.select_related("fund"), pk=item_id)
    ledger_queries.item_for(user, ledger_queries.ledger_fund(user, found.fund_id), found.pk)
    return _ledger_item(ledger.close_item(user, found.pk), timezone.localdate())


@api.post("/funds/{fund_id}/rectification/carry-over",
          summary="把未销号的问题结转到同名资金的以后年度",
          response={200: CarryOverOut, **WRITE})
def carry_over_ledger(request: HttpRequest, fund_id: int, body: CarryOverIn) -> Any:
    user = _user(request)
    fund = fund_for(user, fund_id, edit=True)
    target = (fund_for(user, body.to_fund, edit=True) if body.to_fund is not None
              else ledger.later_fund(fund))
    if target is None:
        raise NotFound(Code.NOT_FOUND, gettext("没有同名资金的以后年度，无法结转"))
    created = ledger.carry_over(user, fund, target)
    today = timezone.localdate()
    return {"from_fund": fund.pk, "to_fund": target.pk,
            "created": [_ledger_item(i, today) for i in created]}


# --- payment ledgers (支付台账): the import page's upload, job page and progress -------------


def _import_result(job: PaymentImport) -> Any:
    """A finished import's stored summary with each finding's message in the request's
    language, said from the phrase stored beside it as the dashboard says it
    (`presenter.payment_execution`); a finding stored without a phrase keeps its Chinese.
    ``where`` stays the path programs rely on; ``place`` is the location as the dashboard
    says it (the ledger's words, or the fund's names for a comparison with the dossier)."""
    result = job.result
    if not isinstance(result, dict) or not isinstance(result.get("findings"), list):
        return result
    place = _ledger_places(job)
    findings = [
        {**f, "message": presenter.say(presenter.phrase_from_data(f.get("phrase")),
                                       f["message"]),
         "place": place(str(f.get("where", "")), str(f.get("rule", "")))}
        if isinstance(f, dict) and isinstance(f.get("message"), str) else f
        for f in result["findings"]]
    return {**result, "findings": findings}


def _ledger_places(job: PaymentImport) -> Callable[[str, str], str]:
    """Where a ledger finding is, as the dashboard says it: the ledger's own words, else the
    fund's names (its dossier read once, on the first finding that needs it), else the path."""
    located: list[Callable[[str, str], str] | None] = []

    def place(where: str, rule: str) -> str:
        said = presenter.ledger_place(where)
        if said is not None:
            return said
        if not located:
            try:
                located.append(presenter.places(mapping.to_domain(job.fund)))
            except InputError:
                located.append(None)
        return located[0](where, rule) if located[0] is not None else where
    return place


def _import_errors(errors: Any) -> list[dict[str, Any]]:
    """A failed import's stored errors with each message in the request's language, said from
    the reader's phrase stored beside it as the import page says it (`payment_import.said`);
    an error stored without a phrase keeps its Chinese. File, line and column stay as stored
    (the file's own names)."""
    return [{**{k: v for k, v in e.items() if k not in ("phrase", "said")}, "message": e["said"]}
            for e in payment_import.said_errors(errors)]


def _import_job(job: PaymentImport) -> dict[str, Any]:
    """A ledger import: status and progress; when done, the stored summary (the contract of
    ``jixiao ledger summarize --json``, findings said in the request's language); when
    failed, the errors with file, line and column, said in the request's language."""
    return {
        "id": job.pk, "fund": job.fund_id, "filename": job.filename, "status": job.status,
        "done_rows": job.done_rows, "total_rows": job.total_rows,
        "created": job.created.isoformat(), "updated": job.updated.isoformat(),
        "result": _import_result(job) if job.status == "done" else None,
        "errors": _import_errors(job.errors) if job.status == "failed" else [],
    }


@api.post("/funds/{fund_id}/payment-imports",
          summary="上传支付台账（CSV/XLSX/Parquet），在后台汇总与核对；返回导入任务",
          response={202: PaymentImportOut, **WRITE})
def start_payment_import(request: HttpRequest, fund_id: int,
                         file: File[UploadedFile | None] = None) -> Any:
    user = _user(request)
    fund = fund_for(user, fund_id, edit=True)
    job = payment_import.start_import(user, fund, file)
    return Status(202, _import_job(job))


@api.get("/funds/{fund_id}/payment-imports", summary="最近的支付台账导入任务",
         response={200: list[PaymentImportOut], **READ})
def list_payment_imports(request: HttpRequest, fund_id: int) -> list[dict[str, Any]]:
    fund = fund_for(_user(request), fund_id, edit=True)
    payment_import.fail_stale(fund)
    return [_import_job(job) for job in fund.payment_imports.all()[:20]]


@api.get("/payment-imports/{job_id}", summary="支付台账导入任务的进度与结果（轮询至完成或失败）",
         response={200: PaymentImportOut, **READ})
def get_payment_import(request: HttpRequest, job_id: int) -> dict[str, Any]:
    job = get_object_or_404(PaymentImport.objects.select_related("fund"), pk=job_id)
    fund_for(_user(request), job.fund_id, edit=True)
    if payment_import.fail_stale(job.fund):
        job.refresh_from_db()
    return _import_job(job)


# --- the audit trail (审计日志): the page's filters, scope, paging and wording, read-only ----


class AuditQuery(Schema):
    """The audit page's filters (`audit.views.Filters`), as query parameters."""

    date_from: dt.date | None = Field(default=None, description="起始日期（含），如 2021-07-01")
    date_to: dt.date | None = Field(default=None, description="截止日期（含）")
    user: str = Field(default="", description="用户名")
    unit: str = Field(default="", description="单位名称")
    action: str = Field(default="", description="操作：create、update、delete 等，或操作代码")
    type: str = Field(default="", description="对象类型代码，如 agreement、project")
    page: int = Field(default=1, ge=1, description="页码（每页 50 条）")


def _audit_entry(shown: audit_presenter.Shown) -> dict[str, Any]:
    entry = shown.entry
    return {
        "id": entry.pk, "at": entry.at.isoformat(), "when": shown.when,
        "username": entry.username, "who": shown.who, "fund": entry.fund_id,
        "fund_name": shown.fund, "unit": shown.unit, "action": entry.action,
        "action_label": shown.action, "object_type": entry.object_type,
        "object_id": entry.object_id, "object": shown.object, "reason": shown.reason,
        "changes": [{"field": c.label, "old": c.old, "new": c.new} for c in shown.changes],
    }


def _audit_trail(request: HttpRequest, fund: Fund | None, query: AuditQuery,
                 fund_filter: int | None = None) -> Any:
    """The entries the user may read (`audit.views.visible`: a city, county or work team its
    own units' only), filtered as the page filters them; a filter value the page would ignore
    (an unknown action or object type) is refused here, so a caller never reads an unfiltered
    trail believing it filtered."""
    base = audit_views.visible(_user(request), fund)
    typed = {k: v for k, v in query.dict().items() if k != "page"}
    wanted = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in typed.items()
              if v not in (None, "")}
    if fund_filter is not None:
        wanted["fund"] = str(fund_filter)
    filters = audit_views.Filters.from_query(wanted)
    unknown = [name for name in ("action", "type")
               if wanted.get(name) and not getattr(filters, name)]
    if unknown or filters.errors:
        detail = pgettext("list separator", "；").join(filters.errors) or gettext(
            "请求数据不正确：%(fields)s") % {"fields": _listed(unknown)}
        return Status(422, {"detail": detail, "code": Code.INVALID_VALUE})
    entries = filters.apply(base)
    pages = Paginator(entries, audit_views.PAGE_SIZE)
    page = pages.get_page(query.page)
    return {"matched": pages.count, "page": page.number, "pages": pages.num_pages,
            "page_size": audit_views.PAGE_SIZE,
            "items": [_audit_entry(s) for s in audit_presenter.present(page)]}


@api.get("/audit", summary="审计日志（全部资金与用户管理；省级管理员、评审）：筛选与分页",
         response={200: AuditTrailOut, 422: Error, **READ})
def get_audit_trail(request: HttpRequest, query: Query[AuditQuery],
                    fund: int | None = None) -> Any:
    return _audit_trail(request, None, query, fund)


@api.get("/funds/{fund_id}/audit",
         summary="资金的审计日志：筛选与分页；市、县、工作队只见本单位的记录",
         response={200: AuditTrailOut, 422: Error, **READ})
def get_fund_audit_trail(request: HttpRequest, fund_id: int, query: Query[AuditQuery]) -> Any:
    return _audit_trail(request, get_object_or_404(Fund, pk=fund_id), query)
