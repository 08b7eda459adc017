"""The API's outward contracts: a response schema for every operation (OpenAPI), and the
payment-ledger summary identical to `jixiao ledger summarize --json` on the same file."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from django.core.files.uploadedfile import SimpleUploadedFile
from typer.testing import CliRunner

from jixiao import services
from jixiao.cli.payments import payments_app
from jixiao.payments.contract import LedgerSummaryOut

LEDGER = Path(__file__).resolve().parents[2] / "examples" / "ledgers" / "payments-2021.csv"


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = document["components"]["schemas"][name]
    return schema


def _has_shape(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    """An object with declared properties, or an array of such objects."""
    schema = _resolve(document, schema)
    if schema.get("type") == "array":
        return _has_shape(document, schema.get("items", {}))
    return bool(schema.get("properties"))


def test_every_operation_declares_its_response_schema(login: Any) -> None:
    document = login("admin").get("/api/openapi.json").json()
    operations = [(path, method, op) for path, item in document["paths"].items()
                  for method, op in item.items()]
    assert len(operations) >= 12
    for path, method, op in operations:
        success = [code for code in op["responses"] if code.startswith("2")]
        assert success, (method, path)
        for code in success:
            content = op["responses"][code].get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            assert _has_shape(document, schema), (method, path, code, schema)
        for code, response in op["responses"].items():
            if code.startswith(("4", "5")):
                error = _resolve(document, response["content"]["application/json"]["schema"])
                assert {"detail", "code"} <= set(error["properties"]), (method, path, code)


def test_the_evaluation_and_the_ledger_summary_are_the_shared_contracts(login: Any) -> None:
    schemas = login("admin").get("/api/openapi.json").json()["components"]["schemas"]
    evaluation = schemas["FundEvaluationOut"]["properties"]
    assert {"id", "total", "shown", "indicators", "findings"} <= set(evaluation)
    job = schemas["PaymentImportOut"]["properties"]
    # the import's result is the `jixiao ledger summarize --json` contract, its findings
    # with the place beside the where
    assert "ImportSummaryOut" in json.dumps(job["result"])
    summary = schemas["ImportSummaryOut"]["properties"]
    assert set(LedgerSummaryOut.model_fields) <= set(summary)
    assert {"totals", "execution", "execution_unit"} <= set(summary)
    finding = json.dumps(summary["findings"]).rsplit("/", 1)[-1].split('"')[0]
    assert {"where", "place", "message"} <= set(schemas[finding]["properties"])


def test_api_findings_keep_their_path_and_add_the_place_by_name(login: Any, demo: Any) -> None:
    schemas = login("admin").get("/api/openapi.json").json()["components"]["schemas"]
    finding = json.dumps(schemas["FundEvaluationOut"]["properties"]["findings"])
    name = finding.rsplit("/", 1)[-1].split('"')[0]
    assert {"where", "place"} <= set(schemas[name]["properties"])
    findings = login("admin").get(f"/api/funds/{demo.pk}").json()["findings"]
    assert findings and all(f["where"] and f["place"] for f in findings)
    guizhou = next(f for f in findings if f["where"] == "spending/guizhou-use")
    assert guizhou["place"] == "贵州省 · 分用途支出"
    total = next(f for f in findings if f["where"] == "total")
    assert total["place"] == "总分"


def _cli_summary(year: int) -> dict[str, Any]:
    app = typer.Typer()
    app.add_typer(payments_app, name="ledger")
    result = CliRunner().invoke(app, [
        "ledger", "summarize", str(LEDGER), "--dossier", str(services.example_dossier()),
        "--year", str(year), "--json",
    ])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.django_db(transaction=True)
def test_the_api_summary_agrees_with_the_cli_field_for_field(
    login: Any, demo: Any, settings: Any
) -> None:
    settings.JIXIAO_PAYMENT_IMPORT_INLINE = True
    c = login("unit")
    upload = SimpleUploadedFile("payments.csv", LEDGER.read_bytes(), content_type="text/csv")
    r = c.post(f"/api/funds/{demo.pk}/payment-imports", {"file": upload})
    assert r.status_code == 202, r.content
    deadline = time.monotonic() + 60
    job = r.json()
    while job["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        job = c.get(f"/api/payment-imports/{job['id']}").json()
    assert job["status"] == "done", job
    api = job["result"]
    cli = _cli_summary(demo.year)
    assert api.keys() == cli.keys()
    # the API adds each finding's place (the location as the dashboard says it) and nothing else
    assert all(f["place"] for f in api["findings"])
    api["findings"] = [{k: v for k, v in f.items() if k != "place"} for f in api["findings"]]
    for field in cli:
        assert api[field] == cli[field], field
    assert api["execution"], "compared with the dossier on both sides"
    assert all(len(row["budget"].split(".")[1]) == 2 for row in api["execution"])
