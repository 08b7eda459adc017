"""Pages for importing a payments ledger: the upload form, the job page and its progress
partial (polled by htmx every second)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext

from jixiao.web.funds import payment_import
from jixiao.web.funds.access import fund_for
from jixiao.web.funds.models import Fund, PaymentImport
from jixiao.web.kernel.errors import Refusal
from jixiao.web.kernel.pages import status_of


def _context(fund: Fund, job: PaymentImport | None = None, error: str = "") -> dict[str, Any]:
    if payment_import.fail_stale(fund) and job is not None:
        job.refresh_from_db()
    return {
        "fund": fund, "job": job, "error": error,
        # a failed job's errors, each said in the viewer's language
        "errors": payment_import.said_errors(job.errors) if job is not None else [],
        "active": job is not None and job.status in ("pending", "running"),
        "history": fund.payment_imports.select_related("user")[:10],
        "allowed": pgettext("field list separator", "、").join(payment_import.ALLOWED),
    }


def upload(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk, edit=True)
    if request.method == "POST":
        try:
            job = payment_import.start_import(request.user, fund, request.FILES.get("file"))
        except Refusal as refused:
            return render(request, "funds/payment_import.html",
                          _context(fund, error=refused.message), status=status_of(refused))
        return redirect("funds:payment_import_job", pk, job.pk)
    return render(request, "funds/payment_import.html", _context(fund))


def job_page(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk, edit=True)
    job = get_object_or_404(PaymentImport, pk=job_pk, fund=fund)
    return render(request, "funds/payment_import.html", _context(fund, job))


def progress(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk, edit=True)
    job = get_object_or_404(PaymentImport, pk=job_pk, fund=fund)
    return render(request, "funds/_payment_import_progress.html", _context(fund, job))
