"""A failed payment ledger import in the viewer's language (issue 16): the ledger readers word
each error as a phrase, the import job stores it beside the Chinese message, and the progress
page and the API say it in the viewer's (the request's) language, the file's own names and
values as the file has them; the Chinese is what the CLI prints; an error stored before
phrases were keeps its Chinese, and the web's own reasons (a lost worker, an internal error)
are said in the page's language too."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jixiao.formats import payment_files
from jixiao.formats.errors import InputError
from jixiao.formats.payment_columns import ColumnMapping
from jixiao.web.funds import payment_import, presenter
from jixiao.web.funds.models import PaymentImport

from .test_payment_findings_english import uploaded

HAN = re.compile(r"[\u4e00-\u9fff]")
HEADER = "凭证号,日期,资金,单位,项目,用途,金额,类型\n"
ROW = "东西部协作财政援助资金,天等县,TD-001,产业帮扶"
# Bad values in rows 3 to 6 (the header is row 1): an amount in words, a date that is none,
# an empty recipient with an amount of too many places, a type the reader does not know.
BAD_ROWS = (
    HEADER
    + f"P1,2021-06-10,{ROW},120.00,支出\n"
    + f"P2,2021-06-11,{ROW},十二元,支出\n"
    + f"P3,六月十二日,{ROW},10.00,支出\n"
    + "P4,2021-06-13,东西部协作财政援助资金,,TD-001,产业帮扶,1.234,支出\n"
    + f"P5,2021-06-14,{ROW},5.00,退款\n"
).encode()
MISSING = "凭证号,资金,支付数额\nP1,东西部协作财政援助资金,120.00\n".encode()
# the file's own names and values (data: never translated)
DATA = ("凭证号", "日期", "资金", "单位", "项目", "用途", "金额", "类型", "支付数额", "十二元",
        "六月十二日", "退款", "无此表", "台账")


def _without_data(text: str) -> str:
    for value in sorted(DATA, key=len, reverse=True):
        text = text.replace(value, "")
    # the Chinese type words, glossed in English ("承诺 (commitment)")
    return re.sub(r"[\u4e00-\u9fff]+ \([a-z]+\)", "", text)


def _failed(client: Any, fund: Any, name: str, content: bytes) -> PaymentImport:
    job = uploaded(client, fund, name, content)
    assert job.status == "failed", job.result
    return job


def _errors(client: Any, fund: Any, job: PaymentImport) -> list[str]:
    page = client.get(f"/funds/{fund.pk}/payment-import/{job.pk}/progress/").content.decode()
    listed = re.search(r'<ul class="errorlist" id="import-errors">(.*?)</ul>', page, flags=re.S)
    assert listed is not None, page
    return [html.unescape(e) for e in re.findall(r"<li>(.*?)</li>", listed.group(1), flags=re.S)]


def _english(client: Any) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@pytest.mark.django_db(transaction=True)
def test_bad_values_read_in_the_viewers_language_with_the_files_own_data(
        login: Any, demo: Any) -> None:
    c = login("unit")
    job = _failed(c, demo, "bad.csv", BAD_ROWS)
    assert all("phrase" in e for e in job.errors), job.errors
    chinese = _errors(c, demo, job)
    assert chinese == [
        "bad.csv 第 3 行 “金额”列：金额不是数字，或小数位超过2位：「十二元」",
        "bad.csv 第 4 行 “日期”列：日期为空或无法识别（应为 2021-03-01 这样的日期）"
        "：「六月十二日」",
        "bad.csv 第 5 行 “单位”列：单位为空",
        "bad.csv 第 5 行 “金额”列：金额不是数字，或小数位超过2位：「1.234」",
        "bad.csv 第 6 行 “类型”列：类型应为 commitment / disbursement / expenditure"
        "（承诺 / 拨付 / 支出）：「退款」",
    ]
    # the page says exactly the message the reader gave (what the CLI prints)
    assert [e.split("列：", 1)[1] for e in chinese] == [e["message"] for e in job.errors]

    _english(c)
    english = _errors(c, demo, job)
    assert english == [
        "bad.csv row 3 column “金额”: The amount is not a number, or has more than 2 decimal "
        "places: “十二元”",
        "bad.csv row 4 column “日期”: The date is empty or cannot be recognized (it should be "
        "a date such as 2021-03-01): “六月十二日”",
        "bad.csv row 5 column “单位”: The recipient is empty",
        "bad.csv row 5 column “金额”: The amount is not a number, or has more than 2 decimal "
        "places: “1.234”",
        "bad.csv row 6 column “类型”: The type should be commitment, disbursement or "
        "expenditure (or in Chinese 承诺 (commitment), 拨付 (disbursement), 支出 "
        "(expenditure)): “退款”",
    ]
    assert [e for e in english if HAN.search(_without_data(e))] == []


@pytest.mark.django_db(transaction=True)
def test_missing_columns_name_the_columns_in_the_viewers_language(login: Any,
                                                                  demo: Any) -> None:
    c = login("unit")
    job = _failed(c, demo, "columns.csv", MISSING)
    [chinese] = _errors(c, demo, job)
    assert chinese == ("columns.csv 第 1 行：缺少必需的列：日期（date）、单位（recipient）、"
                       "金额（amount）；文件中的列为：凭证号、资金、支付数额")
    _english(c)
    [english] = _errors(c, demo, job)
    assert english == ("columns.csv row 1: Required columns are missing: Date (date), "
                       "Recipient (recipient), Amount (amount); the columns in the file are: "
                       "凭证号, 资金, 支付数额")


@pytest.mark.django_db(transaction=True)
def test_the_api_says_a_failed_imports_errors_in_the_requests_language(login: Any,
                                                                       demo: Any) -> None:
    c = login("unit")
    job = _failed(c, demo, "bad.csv", BAD_ROWS)
    stored = [{k: v for k, v in e.items() if k != "phrase"} for e in job.errors]
    chinese = c.get(f"/api/payment-imports/{job.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["errors"] == stored  # as stored, without the phrase
    english = c.get(f"/api/payment-imports/{job.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    errors = english["errors"]
    # file, line and column as stored (the file's own names); only the message is said
    assert [{k: v for k, v in e.items() if k != "message"} for e in errors] == [
        {k: v for k, v in e.items() if k != "message"} for e in stored]
    messages = [e["message"] for e in errors]
    assert messages[0] == ("The amount is not a number, or has more than 2 decimal places: "
                           "“十二元”")
    assert messages[2] == "The recipient is empty"
    assert [m for m in messages if HAN.search(_without_data(m))] == []
    listed = c.get(f"/api/funds/{demo.pk}/payment-imports", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [e["message"] for e in listed[0]["errors"]] == messages


@pytest.mark.django_db(transaction=True)
def test_errors_stored_before_phrases_keep_their_chinese_and_own_reasons_are_said(
        login: Any, demo: Any) -> None:
    c = login("unit")
    job = _failed(c, demo, "bad.csv", BAD_ROWS)
    old = [{k: v for k, v in e.items() if k != "phrase"} for e in job.errors]
    PaymentImport.objects.filter(pk=job.pk).update(errors=old)
    _english(c)
    assert [e.split(": ", 1)[1] for e in _errors(c, demo, job)] == [e["message"] for e in old]
    api = c.get(f"/api/payment-imports/{job.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [e["message"] for e in api["errors"]] == [e["message"] for e in old]
    # a job given up for a lost worker, stored with the web's own Chinese reason
    PaymentImport.objects.filter(pk=job.pk).update(errors=[{"message": payment_import.STALE}])
    [stale] = _errors(c, demo, job)
    assert "The import was interrupted" in stale and not HAN.search(stale), stale
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    [stale] = _errors(c, demo, job)
    assert stale == "：" + payment_import.STALE


def test_every_reader_refusal_is_a_phrase_said_in_english(tmp_path: Path) -> None:
    """What the web cannot upload (a sheet named in a mapping, a project library) is worded
    alike: each problem's phrase is its Chinese message, and says it in English."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "台账"
    sheet.append(["凭证号", "日期", "单位", "金额"])
    workbook = tmp_path / "ledger.xlsx"
    book.save(workbook)
    projects = tmp_path / "projects.csv"
    projects.write_text("项目,预算\nA,1.00\nB,x\n", encoding="utf-8")
    many = tmp_path / "many.csv"
    many.write_text(HEADER + "".join(f"P{i},2021-06-10,{ROW},x{i},支出\n" for i in range(12)),
                    encoding="utf-8")

    def problems(call: Any) -> list[Any]:
        with pytest.raises(InputError) as raised:
            call(payment_files.connect())
        assert all(p.phrase is not None and str(p.phrase) == p.message
                   for p in raised.value.problems)
        return raised.value.problems

    [sheet_problem] = problems(lambda con: payment_files.load_ledgers(
        con, [workbook], ColumnMapping(sheet="无此表")))
    [project_problem] = problems(lambda con: payment_files.load_projects(con, projects))
    counted = problems(lambda con: payment_files.load_ledgers(con, [many]))[-1]
    assert sheet_problem.message == "没有名为「无此表」的工作表（有：台账）"
    assert counted.message == "共 12 行有误，以上列出前 10 行"
    with translation.override("en"):
        assert presenter.say(sheet_problem.phrase) == (
            "There is no sheet named “无此表” (the workbook has: 台账)")
        assert presenter.say(project_problem.phrase) == (
            "The project is empty, or the budget is not an amount: “x”")
        assert presenter.say(counted.phrase) == (
            "12 rows are wrong in all; the first 10 are listed above")


def test_the_upload_page_lists_the_file_types_as_english_does(login: Any, demo: Any) -> None:
    """«Accepts .csv、.xlsx…»: the list took the Chinese separator on the English page."""
    client = login("admin")
    english = client.get(f"/funds/{demo.pk}/payment-import/",
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accepts .csv, " in english and "、.xlsx" not in english
    chinese = client.get(f"/funds/{demo.pk}/payment-import/").content.decode()
    assert "支持 .csv、" in chinese
    refused = client.post(f"/funds/{demo.pk}/payment-import/",
                          {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")},
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ".csv, " in refused and "、" not in refused.split("csv", 1)[1][:20]
