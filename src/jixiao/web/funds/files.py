"""Downloads and uploads: reports, dossier export/import (YAML, 自评表 xlsx), allocation."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext

from jixiao.formats.dossier_yaml import dump_dossier, dump_dossier_data, parse_dossier
from jixiao.formats.errors import InputError
from jixiao.formats.yaml_loader import load_yaml
from jixiao.web import permissions as perm
from jixiao.web import uploads
from jixiao.web.funds import mapping, presenter, usecases
from jixiao.web.funds.access import evaluate, fund_for
from jixiao.web.kernel.errors import Code, Refusal, Refused
from jixiao.web.kernel.pages import status_of

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}


# What a downloaded document is called (the documents are Chinese whatever the page's language;
# the 自评表 has one name however it is reached: report.xlsx or the form export).
DOWNLOAD_STEMS = {"docx": "绩效自评报告", "pdf": "绩效自评报告", "html": "绩效自评报告",
                  "xlsx": "自评表"}


def attachment(data: bytes, filename: str, kind: str) -> HttpResponse:
    response = HttpResponse(data, content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _problems(err: InputError) -> str:
    return presenter.problems(err.problems, limit=10)


def report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    fund = fund_for(request.user, pk)
    if fmt not in DOWNLOAD_STEMS:
        raise Http404
    ev, problem = evaluate(fund)
    if ev is None:
        messages.error(request, gettext("无法生成报告：%(why)s") % {"why": problem})
        return redirect("funds:dashboard", pk)
    from jixiao.reports import write_reports  # heavy: only when a report is asked

    with tempfile.TemporaryDirectory(prefix="jixiao-web-") as tmp:
        result = write_reports(ev, Path(tmp), {fmt}, include_checks=True)
        path = result.written.get(fmt)
        if path is None:
            messages.error(request, "；".join(result.messages) or gettext("报告未生成"))
            return redirect("funds:dashboard", pk)
        data = path.read_bytes()
    name = f"{fund.year}年{fund.name}-{DOWNLOAD_STEMS[fmt]}.{fmt}"
    return attachment(data, name, fmt)


def export_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    try:
        text = dump_dossier(mapping.to_domain(fund))
    except InputError:  # a year still being filled in: its data as it stands
        text = dump_dossier_data(mapping.dossier_data(fund))
    return attachment(text.encode("utf-8"), f"{fund.year}-{fund.name}.yaml", "yaml")


def export_form(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    from jixiao.formats.form_xlsx import write_form

    ev, problem = evaluate(fund)
    if ev is None:
        messages.error(request, problem)
        return redirect("funds:dashboard", pk)
    with tempfile.TemporaryDirectory(prefix="jixiao-web-") as tmp:
        path = Path(tmp) / "form.xlsx"
        try:
            write_form(ev, path)
        except InputError as err:
            messages.error(request, _problems(err))
            return redirect("funds:dashboard", pk)
        data = path.read_bytes()
    return attachment(data, f"{fund.year}年{fund.name}-自评表.xlsx", "xlsx")


def read_upload(upload: Any) -> Any:
    """A Dossier from an uploaded YAML dossier or 自评表 xlsx."""
    ext = uploads.check(upload, (".yaml", ".yml", ".xlsx"))
    if ext == ".xlsx":
        from jixiao.formats.form_xlsx import read_form

        with tempfile.TemporaryDirectory(prefix="jixiao-web-") as tmp:
            path = Path(tmp) / "form.xlsx"
            path.write_bytes(upload.read())
            return read_form(path)
    try:
        text = upload.read().decode("utf-8")
    except UnicodeDecodeError:
        raise uploads.refused(gettext("YAML 文件应为 UTF-8 编码")) from None
    data, lines = load_yaml(text, file=upload.name)
    return parse_dossier(data, lines, file=upload.name)


REIMPORT_SALT = "jixiao.funds.reimport"
REIMPORT_MAX_AGE = 3600  # seconds a shown change summary can be confirmed


def is_form(source: str) -> bool:
    """Whether an upload named ``source`` is a 自评表 (which holds only part of a dossier)."""
    return source.lower().endswith(".xlsx")


def _reimport_token(request: HttpRequest, fund: Any, dossier: Any, source: str) -> str:
    """What the confirmation posts back: the uploaded dossier (as YAML), signed, bound to the
    user and to the fund's data version the summary was computed at; ``form`` says it came
    from a 自评表, so the update keeps what the form does not hold."""
    return signing.dumps({"user": request.user.pk, "fund": fund.pk,
                          "version": fund.data_version, "source": source,
                          "form": is_form(source),
                          "yaml": dump_dossier(dossier)}, salt=REIMPORT_SALT, compress=True)


def _confirmed(request: HttpRequest) -> HttpResponse:
    try:
        data = signing.loads(request.POST.get("token", ""), salt=REIMPORT_SALT,
                             max_age=REIMPORT_MAX_AGE)
        if data.get("user") != request.user.pk:
            raise signing.BadSignature
    except signing.BadSignature:  # expired included
        raise Refused(Code.UPLOAD_REFUSED, gettext("确认已失效，请重新上传文件")) from None
    loaded, lines = load_yaml(data["yaml"], file=data["source"])
    dossier = parse_dossier(loaded, lines, file=data["source"])
    fund = usecases.import_dossier(request.user, dossier, data["source"], replace=True,
                                   expected_version=data["version"],
                                   form=bool(data.get("form")))
    messages.success(request, gettext("已更新现有资金年度：%(fund)s") % {"fund": fund})
    return redirect("funds:dashboard", fund.pk)


def import_dossier(request: HttpRequest) -> HttpResponse:
    """Upload a dossier. A new fund-year is created at once; an existing one (same name and
    year) is only updated after the user has seen what changes and confirmed."""
    if not perm.can_import(request.user):
        raise PermissionDenied
    error, status = "", 200
    if request.method == "POST":
        try:
            if "token" in request.POST:
                return _confirmed(request)
            upload = request.FILES.get("file")
            dossier = read_upload(upload)
            assert upload is not None  # read_upload refuses a missing file
            form = is_form(upload.name or "")
            preview = usecases.import_preview(request.user, dossier, form=form)
            if preview is not None:
                fund, changes = preview
                return render(request, "funds/import_confirm.html", {
                    "fund": fund, "changes": changes, "form": form,
                    "token": _reimport_token(request, fund, dossier, upload.name or ""),
                })
            fund = usecases.import_dossier(request.user, dossier, upload.name or "")
        except Refusal as refused:
            error, status = refused.message, status_of(refused)
        except InputError as err:
            error, status = _problems(err), 400
        else:
            messages.success(request, gettext("已导入：%(fund)s") % {"fund": fund})
            return redirect("funds:dashboard", fund.pk)
    return render(request, "funds/import.html", {"error": error}, status=status)


def allocation(request: HttpRequest) -> HttpResponse:
    """The factor-method calculator: a spec in YAML, recipients inline or an uploaded factor
    table, optionally a 绩效因素 from a fund-year's results → the allocation, shown or
    downloaded as the live-formula sheet."""
    from jixiao.core import next_year
    from jixiao.web.funds import allocation_page as page

    funds = [f for f in perm.visible_funds(request.user).order_by("-year", "name")
             if perm.can_view_fund(request.user, f)]
    context: dict[str, Any] = {"funds": funds,
                               "measures": [next_year.EXECUTION_RATE, next_year.PROJECT_EXECUTION],
                               "spec": page.example_spec(), "chosen": None,
                               "measure": next_year.EXECUTION_RATE, "error": ""}
    if request.method != "POST":
        return render(request, "funds/allocation.html", context)
    text = request.POST.get("spec", "")
    context["spec"] = text
    chosen, errors, results = request.POST.get("perf_fund", ""), [], None
    measure = request.POST.get("perf_measure", "").strip() or next_year.EXECUTION_RATE
    context["measure"] = measure
    if chosen:
        fund = next((f for f in funds if str(f.pk) == chosen), None)
        if fund is None:
            raise PermissionDenied
        context["chosen"] = fund.pk
        ev, problem = evaluate(fund)
        if ev is None:
            errors.append(gettext("%(fund)s 尚不能评价：%(why)s") % {"fund": fund, "why": problem})
        else:
            projects = [(p.recipient.code, p.budget, p.spent)
                        for p in fund.projects.select_related("recipient")]
            known = next_year.measures(ev.dossier) + (
                [next_year.PROJECT_EXECUTION] if projects else [])
            context["measures"] = known
            if measure not in known:
                errors.append(gettext("%(fund)s 没有可用的结果「%(measure)s」；可选：%(known)s")
                              % {"fund": fund, "measure": measure, "known": "、".join(known)})
            else:
                results = page.Results.of(ev.dossier, measure, str(fund), projects)
    # The file field comes back empty after a submit; the table uploaded before is kept in
    # hidden fields so that 计算 again or 下载 uses it, never the spec's own recipients.
    upload = request.FILES.get("table")
    if upload is not None:
        context["kept"] = page.keep(upload)
    else:
        upload, context["kept"], lost = page.kept_table(request.POST)
        if lost:
            errors.append(lost)
    outcome = page.calculate(text, upload, results) if not errors else None
    if outcome is not None:
        errors = outcome.errors
    context["errors"], context["error"] = errors, "；".join(errors)
    if outcome is None or outcome.result is None or outcome.loaded is None:
        return render(request, "funds/allocation.html", context, status=400)
    if request.POST.get("action") == "download":
        return attachment(page.sheet(outcome.loaded, outcome.result), "分配表.xlsx", "xlsx")
    context["result"] = outcome.result
    context["notes"] = outcome.notes  # the spec's own values kept over the results
    context["table"] = page.rows(outcome.loaded, outcome.result, outcome.filled)
    return render(request, "funds/allocation.html", context)
