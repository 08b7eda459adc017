"""The dashboard keeps a fund's evaluation per data version: an unchanged fund is evaluated
once however often it is viewed, and any write shows on the next view."""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from jixiao import services
from jixiao.web.funds import usecases
from jixiao.web.funds.models import Agreement, Fund, Indicator, Recipient
from jixiao.web.kernel.errors import Refused


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every evaluation the core is asked for, by fund name."""
    calls: list[str] = []
    real = services.evaluate

    def counted(dossier: Any, file: str | None = None) -> Any:
        calls.append(dossier.fund.name)
        return real(dossier, file)

    monkeypatch.setattr(services, "evaluate", counted)
    yield calls


def total(html: str) -> str:
    found = re.search(r'id="total-score">([^<]*)<', html)
    assert found
    return found.group(1)


def test_two_views_of_an_unchanged_fund_evaluate_once(
    login: Any, demo: Any, evaluations: list[str]
) -> None:
    admin, unit = login("admin"), login("unit")
    first = admin.get(f"/funds/{demo.pk}/").content.decode()
    second = unit.get(f"/funds/{demo.pk}/").content.decode()
    assert len(evaluations) == 1
    assert total(first) == total(second) == "96.70"


def test_an_edit_shows_at_once_and_is_evaluated_once_more(
    login: Any, demo: Any, evaluations: list[str]
) -> None:
    c = login("admin")
    assert total(c.get(f"/funds/{demo.pk}/").content.decode()) == "96.70"
    row = Indicator.objects.get(fund=demo, code="fund-management")
    form = {"weight": "12", "method": "quantitative", "direction": ">=", "target": "100",
            "actual": "10", "applicable": "on", "version": row.version}
    assert c.post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/", form).status_code == 302
    assert total(c.get(f"/funds/{demo.pk}/").content.decode()) == "85.90"
    assert total(c.get(f"/funds/{demo.pk}/").content.decode()) == "85.90"
    assert len(evaluations) == 2


def test_every_kind_of_write_moves_the_fund_version(demo: Any, user: Any) -> None:
    """Row add, edit and delete, and an indicator edit: each write of the fund's data counts."""

    def version() -> int:
        return Fund.objects.get(pk=demo.pk).data_version

    seen = [version()]
    r = Recipient.objects.get(fund=demo, code="tiandeng")
    row = usecases.create_row(user("unit"), Agreement, r, {"level": "省级", "amount": "13.30"})
    seen.append(version())
    row.refresh_from_db()
    usecases.update_row(user("unit"), Agreement, row.pk, row.version, {"amount": "14"})
    seen.append(version())
    row.refresh_from_db()
    usecases.delete_row(user("unit"), Agreement, row.pk, row.version)
    seen.append(version())
    ind = Indicator.objects.get(fund=demo, code="fund-management")
    usecases.update_indicator(user("admin"), ind.pk, ind.version, {"actual": "90"})
    seen.append(version())
    assert seen == sorted(set(seen)) and len(seen) == 5


def test_a_refused_write_keeps_the_cached_evaluation(
    demo: Any, user: Any, login: Any, evaluations: list[str]
) -> None:
    c = login("admin")
    c.get(f"/funds/{demo.pk}/")
    before = Fund.objects.get(pk=demo.pk).data_version
    r = Recipient.objects.get(fund=demo, code="tiandeng")
    with pytest.raises(Refused):  # the amount is missing
        usecases.create_row(user("unit"), Agreement, r, {"level": "省级", "amount": ""})
    assert Fund.objects.get(pk=demo.pk).data_version == before
    c.get(f"/funds/{demo.pk}/")
    assert len(evaluations) == 1


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_redis_holds_the_evaluation_when_configured(
    settings: Any, login: Any, demo: Any, evaluations: list[str]
) -> None:
    prefix = f"jixiao-test-{uuid.uuid4()}"
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": prefix,
    }}
    c = login("reviewer")
    assert total(c.get(f"/funds/{demo.pk}/").content.decode()) == "96.70"
    assert total(c.get(f"/funds/{demo.pk}/").content.decode()) == "96.70"
    assert len(evaluations) == 1
    import redis

    assert redis.Redis(host="127.0.0.1", port=6379, db=0).keys(f"{prefix}*")  # there, not here
