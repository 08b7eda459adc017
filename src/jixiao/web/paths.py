"""Where the workspace keeps its files: the user's data directory unless told otherwise."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    """``$JIXIAO_DATA_DIR``, else ``$XDG_DATA_HOME/jixiao``, else ``~/.local/share/jixiao``."""
    explicit = os.environ.get("JIXIAO_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "jixiao"


def secret_key(directory: Path) -> str:
    """A per-install secret key kept in the data directory (readable by the owner only)."""
    path = directory / "secret_key.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key
