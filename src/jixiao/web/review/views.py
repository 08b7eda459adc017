"""The 复核 pages: upload and list of runs; a run's progress (htmx polling) then its results,
sortable and filterable; a document with each finding in its context and the form to
confirm or dismiss it; the triage workbook. Views display what `jobs` stored, never compute."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from jixiao.core.phrases import Phrase
from jixiao.core.vocabulary import SEVERITY_LABELS
from jixiao.review.model import (
    KIND_LABELS,
    RECOMPUTED_FROM_LABELS,
    RECOMPUTED_NOTE,
    STATUS_LABELS,
)
from jixiao.review.workbook import Decision, write_workbook
from jixiao.web import permissions as perm
from jixiao.web.audit import objects
from jixiao.web.audit.log import action_label
from jixiao.web.audit.models import AuditEntry
from jixiao.web.audit.presenter import object_name
from jixiao.web.funds import presenter
from jixiao.web.kernel.errors import Refusal
from jixiao.web.kernel.pages import status_of
from jixiao.web.review import jobs
from jixiao.web.review.models import ReviewDocument, ReviewFinding, ReviewJob

# ?sort= key → the ordering it means ("-" first: descending)
SORTS = {
    "triage": ["position"], "file": ["file"], "unit": ["unit", "position"],
    "errors": ["-errors", "-warnings", "position"], "warnings": ["-warnings", "position"],
    "discrepancy": ["-discrepancy", "position"], "kind": ["kind", "form_type", "position"],
}
SEVERITIES = ("error", "warning", "info")


def _allowed(request: HttpRequest) -> None:
    if not perm.can_review_pile(request.user):
        raise PermissionDenied


def runs(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    error = ""
    if request.method == "POST":
        try:
            job = jobs.start_review(request.user, request.FILES.getlist("files"))
        except Refusal as refused:
            error = refused.message
            status = status_of(refused)
        else:
            return redirect("review:job", job.pk)
    jobs.recover_stale()
    context = {"runs": ReviewJob.objects.select_related("user")[:50], "error": error,
               "allowed": pgettext("field list separator", "、").join(jobs.ALLOWED)}
    return render(request, "review/list.html", context, status=status if error else 200)


def _job(request: HttpRequest, pk: int) -> ReviewJob:
    _allowed(request)
    jobs.recover_stale()  # a run whose worker died is retried or failed before it is shown
    return get_object_or_404(ReviewJob, pk=pk)


def _documents(job: ReviewJob, params: Any) -> tuple[QuerySet[ReviewDocument], dict[str, str]]:
    chosen = {k: str(params.get(k, "")).strip()[:100] for k in ("sort", "kind", "severity",
                                                                  "unit", "status")}
    docs = job.documents.all()
    if chosen["kind"] in KIND_LABELS:
        docs = docs.filter(kind=chosen["kind"])
    if chosen["status"] in STATUS_LABELS:
        docs = docs.filter(status=chosen["status"])
    if chosen["severity"] == "error":
        docs = docs.filter(errors__gt=0)
    elif chosen["severity"] == "warning":
        docs = docs.filter(warnings__gt=0)
    elif chosen["severity"] == "info":
        docs = docs.filter(infos__gt=0)
    if chosen["unit"]:
        docs = docs.filter(Q(unit__icontains=chosen["unit"]) | Q(file__icontains=chosen["unit"]))
    docs = docs.order_by(*SORTS.get(chosen["sort"], SORTS["triage"])).annotate(
        dismissed=Count("findings", filter=Q(findings__decision="dismissed")),
        confirmed=Count("findings", filter=Q(findings__decision="confirmed")))
    return docs, chosen


def _trail(job: ReviewJob) -> QuerySet[AuditEntry]:
    """The run's audit entries: the run itself and every decision on its findings."""
    findings = ReviewFinding.objects.filter(document__job=job).annotate(
        key=Cast("pk", CharField())).values("key")
    return AuditEntry.objects.filter(
        Q(object_type="reviewjob", object_id=str(job.pk))
        | Q(object_type="reviewfinding", object_id__in=findings)).order_by("-id")[:100]


def said(finding: ReviewFinding) -> str:
    """A finding's message in the active language: its stored phrase said in it, or the
    Chinese as stored (a finding stored before phrases were kept, or one the core did not
    word as a phrase)."""
    return presenter.say(presenter.phrase_from_data(finding.phrase), finding.message)


def reason(data: dict[str, Any]) -> str:
    """Why a document could not be checked, in the active language: its stored phrase said
    in it, or the Chinese as stored (a document stored before reasons were phrases)."""
    return presenter.say(presenter.phrase_from_data(data.get("reason_phrase")),
                         str(data.get("reason") or ""))


# A report finding's location as the auditor words it (`audit.claims.location_text`):
# 第57段, 表格2, 表格2 第7行, 表格2 第7行第3格; a received form's row as its reader words it
# (`formats.forms.cells.Sheet.ref`): Sheet1!第3行; anything else (a cell such as Sheet1!C3,
# a form's field path) stays as stored.
_PARAGRAPH = re.compile(r"第(\d+)段")
_TABLE = re.compile(r"表格(\d+)(?: 第(\d+)行)?(?:第(\d+)格)?")
_FORM_ROW = re.compile(r"(.+)!第(\d+)行", re.S)


def place(where: str) -> str:
    """A finding's location in the active language ("paragraph 57", "table 2, row 7, cell 3",
    "Sheet1!row 3"); a location the auditor or the form reader did not word this way stays
    as stored."""
    m = _PARAGRAPH.fullmatch(where)
    if m:
        return pgettext("report location", "第%(n)s段") % {"n": m.group(1)}
    m = _FORM_ROW.fullmatch(where)
    if m:
        return presenter.say(Phrase("{sheet}!第{row}行", sheet=m.group(1), row=m.group(2)))
    m = _TABLE.fullmatch(where)
    if not m:
        return where
    table, row, cell = m.groups()
    text = pgettext("report location", "表格%(n)s") % {"n": table}
    if row:
        text += pgettext("report location", " 第%(n)s行") % {"n": row}
    if cell:
        text += pgettext("report location", "第%(n)s格") % {"n": cell}
    return text


def nothing_checked(doc: ReviewDocument) -> bool:
    """Read, but not one relation in it could be checked (`DocumentResult.nothing_checked`;
    a document stored before the count was kept is not flagged)."""
    return doc.status == "checked" and doc.data.get("checked") == 0 and not (
        doc.errors or doc.warnings or doc.infos)


def finding_place(finding: ReviewFinding) -> str:
    """Where a finding is, in the active language: a form finding by the names of its
    indicators (its stored place phrase: "Indicator · 效益"), a report finding by paragraph
    or table (`place`), else as stored."""
    return presenter.say(presenter.phrase_from_data(finding.place), "") or place(finding.where)


def recomputed_label(data: dict[str, Any]) -> str:
    """What a document's 重算得分 is (in Chinese, for the page to translate): recomputed by
    the scoring rules (a form), or its listed scores added up (a report); "" without one, or
    for a document stored before this was kept."""
    if data.get("recomputed_score") is None:
        return ""
    return RECOMPUTED_FROM_LABELS.get(str(data.get("recomputed_from") or ""), "")


def _worst(doc: ReviewDocument) -> str:
    """The document's worst finding as its row shows it (place：message) in the active
    language: placed by the name of its place where it has one (a scored form's "指标 · 效益",
    `finding_place`), its message said in the language where it has a phrase (else its
    Chinese); the first stored finding is the worst (`review.document._summarise`)."""
    stored = str(doc.data.get("worst") or "")
    first = next(iter(getattr(doc, "first_finding", [])), None)
    if first is None:
        return stored
    message = said(first)
    return f"{finding_place(first)}{pgettext('label separator', '：')}{message}" \
        if first.where else message


def _context(job: ReviewJob, params: Any) -> dict[str, Any]:
    docs, chosen = _documents(job, params)
    units = sorted({u for u in job.documents.values_list("unit", flat=True) if u})
    shown = list(docs.prefetch_related(Prefetch(
        "findings", queryset=ReviewFinding.objects.filter(index=0), to_attr="first_finding")))
    for d in shown:
        d.kind_label = KIND_LABELS.get(d.kind, d.kind)  # type: ignore[attr-defined]
        d.worst = _worst(d)  # type: ignore[attr-defined]
        d.reason = reason(d.data)  # type: ignore[attr-defined]
        d.nothing_checked = nothing_checked(d)  # type: ignore[attr-defined]
        d.recomputed_label = recomputed_label(d.data)  # type: ignore[attr-defined]
    trail = list(_trail(job))
    for e in trail:
        e.action_label = action_label(e.action)  # type: ignore[attr-defined]
        # the run by its title in the page's language; a finding as the audit log names it
        e.object_text = (  # type: ignore[attr-defined]
            objects.compose("reviewjob", "", job.shown_title) if e.object_type == "reviewjob"
            else object_name(e))
    return {
        "job": job, "documents": shown, "chosen": chosen, "units": units,
        "kinds": KIND_LABELS, "severities": {k: SEVERITY_LABELS[k] for k in SEVERITIES},
        "statuses": STATUS_LABELS, "sorts": SORTS, "trail": trail,
        "recomputed_note": RECOMPUTED_NOTE,
        "percent": (100 * job.done // job.total) if job.total else 0,
    }


def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "review/job.html", _context(job, request.GET))


def progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    response = render(request, "review/_progress.html", _context(job, {}))
    if not job.active and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"  # finished: show the whole results page
    return response


def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    job = _job(request, pk)
    item = get_object_or_404(ReviewDocument, pk=doc, job=job)
    chosen = item.findings.select_related("decided_by")
    severity = request.GET.get("severity", "")
    if severity in SEVERITIES:
        chosen = chosen.filter(severity=severity)
    findings = list(chosen)
    for f in findings:
        f.said = said(f)  # type: ignore[attr-defined]
        f.shown_place = finding_place(f)  # type: ignore[attr-defined]
    return render(request, "review/document.html", {
        "job": job, "doc": item, "data": item.data, "findings": findings,
        "blocks": [presenter.say(b) for b in jobs.blocks_of(item.data)],
        "reason": reason(item.data), "nothing_checked": nothing_checked(item),
        "recomputed_label": recomputed_label(item.data), "recomputed_note": RECOMPUTED_NOTE,
        "severity": severity, "severities": {k: SEVERITY_LABELS[k] for k in SEVERITIES},
        "kinds": KIND_LABELS, "statuses": STATUS_LABELS, "error": "",
    })


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    finding = get_object_or_404(ReviewFinding.objects.select_related("document__job"), pk=pk)
    doc = finding.document
    url = reverse("review:document", args=[doc.job_id, doc.pk]) + f"#f{finding.pk}"
    try:
        jobs.decide(request.user, finding, request.POST.get("decision", ""),
                    request.POST.get("note", ""))
    except Refusal as refused:
        from django.contrib import messages

        messages.error(request, refused.message)
    return redirect(url)


def _decisions(job: ReviewJob) -> dict[tuple[int, int], Decision]:
    """The reviewers' decisions (who: the user name, as the document page shows it), keyed by
    the positions `jobs.result_of` gives the documents and their findings (the stored order)."""
    out: dict[tuple[int, int], Decision] = {}
    findings = Prefetch("findings", queryset=ReviewFinding.objects.select_related("decided_by"))
    for i, doc in enumerate(job.documents.prefetch_related(findings)):
        for j, f in enumerate(doc.findings.all()):
            if f.decision in ("confirmed", "dismissed"):
                out[(i, j)] = Decision("confirmed" if f.decision == "confirmed" else "dismissed",
                                       f.note, f.decided_by.username if f.decided_by else "")
    return out


def export(request: HttpRequest, pk: int) -> FileResponse:
    """The triage workbook of `jixiao review`, with the reviewers' decisions: a 复核意见 column
    and per-document counts that leave the dismissed findings out."""
    job = _job(request, pk)
    if job.status != "done":
        raise Http404
    result = jobs.result_of(job)
    folder = Path(tempfile.mkdtemp(prefix="jixiao-review-export-"))
    target = write_workbook(result, folder / "复核结果.xlsx", _decisions(job))
    response = FileResponse(target.open("rb"), as_attachment=True, filename="复核结果.xlsx")
    target.unlink()  # the open handle keeps the bytes until the response is sent
    folder.rmdir()
    return response
