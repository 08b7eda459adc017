"""No metadata scan for pydantic plugins that are switched off.

pydantic asks its plugin loader for plugins each time it builds a model. With
PYDANTIC_DISABLE_PLUGINS=__all__ (set by `jixiao.cli` unless the user chose otherwise) the
answer is "none", but the loader module imports `importlib.metadata` before it can say so, and
with it email, csv, zipfile, tempfile and importlib.resources: about 14 ms of every
`jixiao evaluate`, for nothing.

`defer_loader()` puts a stand-in under the loader's module name. While every plugin is
disabled it answers "no plugins" itself; if the variable changes, or pydantic asks for any
other name, the real loader is imported and answers from then on, so plugins a user enabled
still load.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from importlib import import_module
from types import ModuleType

LOADER = "pydantic.plugin._loader"
VARIABLE = "PYDANTIC_DISABLE_PLUGINS"
ALL_DISABLED = ("__all__", "1", "true")  # the values pydantic reads as "no plugins at all"


def _real_loader() -> ModuleType:
    if isinstance(sys.modules.get(LOADER), _StandIn):
        del sys.modules[LOADER]
    return import_module(LOADER)


class _StandIn(ModuleType):
    """`pydantic.plugin._loader` until something other than "no plugins" is asked of it."""

    def get_plugins(self) -> Iterable[object]:
        if os.environ.get(VARIABLE) in ALL_DISABLED:
            return ()
        plugins: Iterable[object] = _real_loader().get_plugins()
        return plugins

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        return getattr(_real_loader(), name)


def defer_loader() -> None:
    """Install the stand-in, when every plugin is disabled and the real loader is not loaded."""
    if os.environ.get(VARIABLE) in ALL_DISABLED and LOADER not in sys.modules:
        sys.modules[LOADER] = _StandIn(LOADER, __doc__)
