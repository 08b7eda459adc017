"""The entry point's lean path: which command lines it takes (everything else is typer's), and
the stand-in that spares pydantic's plugin scan when every plugin is disabled."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from jixiao.cli import pydantic_plugins
from jixiao.cli.main import lean_call


@pytest.mark.parametrize(("args", "call"), [
    (["evaluate", "a.yaml"], ("evaluate", "a.yaml", False)),
    (["evaluate", "--json", "a.yaml"], ("evaluate", "a.yaml", True)),
    (["evaluate", "a.yaml", "--json"], ("evaluate", "a.yaml", True)),
    (["check", "表.xlsx"], ("check", "表.xlsx", False)),
    (["check", "--json", "dir/a b.yaml"], ("check", "dir/a b.yaml", True)),
])
def test_the_plain_forms_of_evaluate_and_check_take_the_lean_path(
    args: list[str], call: tuple[str, str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("_JIXIAO_COMPLETE", raising=False)
    assert lean_call(args) == call


@pytest.mark.parametrize("args", [
    [], ["--help"], ["evaluate"], ["evaluate", "--help"], ["evaluate", "-h", "a.yaml"],
    ["evaluate", "a.yaml", "b.yaml"], ["evaluate", "--json", "--json", "a.yaml"],
    ["evaluate", "--jso", "a.yaml"], ["evaluate", "--json=1", "a.yaml"],
    ["evaluate", "--", "a.yaml"], ["evaluate", "-"], ["evaluate", ""], ["evaluate", "--json"],
    ["report", "a.yaml"], ["Evaluate", "a.yaml"], ["--json", "evaluate", "a.yaml"],
])
def test_anything_else_goes_to_typer(args: list[str]) -> None:
    assert lean_call(args) is None


def test_a_shell_completion_request_goes_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_JIXIAO_COMPLETE", "bash_complete")
    assert lean_call(["evaluate", "a.yaml"]) is None


@pytest.fixture
def no_loader(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """pydantic's plugin loader as if not imported yet; put back as it was afterwards."""
    saved = sys.modules.pop(pydantic_plugins.LOADER, None)
    yield
    sys.modules.pop(pydantic_plugins.LOADER, None)
    if saved is not None:
        sys.modules[pydantic_plugins.LOADER] = saved


@pytest.mark.usefixtures("no_loader")
def test_with_every_plugin_disabled_the_stand_in_answers_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(pydantic_plugins.VARIABLE, "__all__")
    pydantic_plugins.defer_loader()
    from pydantic.plugin._loader import get_plugins

    assert list(get_plugins()) == []
    loader = sys.modules[pydantic_plugins.LOADER]
    assert type(loader).__name__ == "_StandIn"
    assert not hasattr(loader, "__path__")  # the import system's questions load nothing


@pytest.mark.usefixtures("no_loader")
def test_plugins_the_user_enables_reach_the_real_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pydantic_plugins.VARIABLE, "__all__")
    pydantic_plugins.defer_loader()
    stand_in = sys.modules[pydantic_plugins.LOADER]
    monkeypatch.setenv(pydantic_plugins.VARIABLE, "some_plugin")
    found = stand_in.get_plugins()
    real = sys.modules[pydantic_plugins.LOADER]
    assert real is not stand_in and type(real).__name__ == "module"
    assert list(found) == list(real.get_plugins())
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # other names: the real loader's


@pytest.mark.usefixtures("no_loader")
def test_no_stand_in_when_the_user_keeps_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pydantic_plugins.VARIABLE, "some_plugin")
    pydantic_plugins.defer_loader()
    assert pydantic_plugins.LOADER not in sys.modules


@pytest.mark.parametrize("as_json", [False, True])
def test_preloading_leaves_the_collector_as_it_was(as_json: bool) -> None:
    import gc

    from jixiao.cli.judge import preload

    assert gc.isenabled()
    try:
        preload(as_json)
        assert gc.isenabled()  # the command runs with the collector on
        assert gc.get_freeze_count() > 0  # what was imported is left out of its passes
        assert "jixiao.services" in sys.modules
        assert ("jixiao.formats.evaluation_json" if as_json else "jixiao.cli.render") in sys.modules
    finally:
        gc.unfreeze()
