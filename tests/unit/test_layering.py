"""Each layer imports only the layers below it (docs/ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

from jixiao.audit.audit import audit_file


def test_the_auditor_does_not_import_the_entry_point_layer() -> None:
    package = Path(audit_file.__code__.co_filename).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n == "jixiao.services" for n in names), path.name
