"""PDF from the Word file through LibreOffice headless, with CJK fonts embedded.

The docx names Windows Chinese fonts (仿宋_GB2312, 黑体 …). ``fonts.conf`` maps them to the
Noto CJK SC fonts for LibreOffice through FONTCONFIG_FILE; a throwaway LibreOffice profile
keeps runs independent of each other and of a user's own profile.

Starting LibreOffice is most of a conversion's time. A single CLI call pays it (cold start).
A long-lived process (a batch; `jixiao serve` with JIXIAO_PDF_WARM=1) calls `keep_warm()`: a
LibreOffice is then started ahead of need on its own profile, and a conversion hands the
document to it (a second `soffice --convert-to` on the same profile forwards its request to
the running one).
LibreOffice 7.4 exits after serving a forwarded conversion, so each spare serves one
document and the next is started in the background straight away. Without the python3-uno
bridge (Debian's LibreOffice here has none; unoserver needs it) this is the warm path.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from jixiao.formats.atomic import copy_file

FONTS_CONF = Path(__file__).parent / "fonts.conf"
INSTALL_HINT = (
    "sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk"
    "（Debian/Ubuntu；其他系统请安装 LibreOffice 和 Noto CJK 字体）"
)
TIMEOUT_S = 180


class PdfUnavailable(RuntimeError):
    """No PDF can be made here; the message says why and how to fix it (in Chinese)."""


def soffice() -> str | None:
    """The LibreOffice executable, or None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


_OPTIONS = ("--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck")


def _env(profile: str) -> dict[str, str]:
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    env["HOME"] = profile  # LibreOffice writes caches under HOME as well
    return env


class WarmOffice:
    """One LibreOffice started ahead of need; each conversion uses it and starts the next."""

    _names = itertools.count()

    def __init__(self, exe: str) -> None:
        self.exe = exe
        self.profile = tempfile.mkdtemp(prefix="jixiao-lo-warm-")
        self.warm_conversions = 0
        self._lock = threading.Lock()
        self._spare: subprocess.Popen[bytes] | None = None
        self._pipe = ""
        self._next: threading.Thread | None = None
        self._start()

    def _start(self) -> None:
        self._pipe = f"jixiao-warm-{os.getpid()}-{next(self._names)}"
        self._spare = subprocess.Popen(
            [self.exe, *_OPTIONS, f"-env:UserInstallation={Path(self.profile).as_uri()}",
             f"--accept=pipe,name={self._pipe};urp;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env=_env(self.profile), start_new_session=True,  # its own group: stopped whole
        )

    def _ready(self, timeout: float) -> bool:
        """Wait until the spare listens (its pipe exists); False if it died or never did."""
        pipes = {Path(d) / f"OSL_PIPE_{os.getuid()}_{self._pipe}"
                 for d in ("/tmp", tempfile.gettempdir())}
        deadline = time.monotonic() + timeout
        while self._spare is not None and self._spare.poll() is None:
            if any(p.exists() for p in pipes):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return False

    def _replace(self, used: subprocess.Popen[bytes] | None) -> None:
        """After a conversion: let the used instance exit, then start the next spare."""
        if used is not None:
            try:
                used.wait(timeout=60)
            except subprocess.TimeoutExpired:
                _stop(used)
        self._start()

    def convert(
        self, docx: Path, scratch: Path, timeout: float,
    ) -> subprocess.CompletedProcess[str] | None:
        """Convert through the spare; None when no spare could take it (convert cold)."""
        with self._lock:
            if self._next is not None:
                self._next.join()
                self._next = None
            if not self._ready(timeout):
                self._replace(self._spare)
                return None
            command = [self.exe, *_OPTIONS,
                       f"-env:UserInstallation={Path(self.profile).as_uri()}",
                       "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(scratch),
                       str(docx)]
            try:
                run = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                     env=_env(self.profile), check=False)
            finally:
                self._next = threading.Thread(target=self._replace, args=(self._spare,),
                                              daemon=True)
                self._next.start()
            self.warm_conversions += 1
            return run

    def close(self) -> None:
        with self._lock:
            if self._next is not None:
                self._next.join()
            if self._spare is not None:
                _stop(self._spare)
            shutil.rmtree(self.profile, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a spare and what it started (oosplash starts soffice.bin in the same group)."""
    for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue


_warm: WarmOffice | None = None


def keep_warm() -> WarmOffice | None:
    """Keep a LibreOffice ready for this process's conversions (the web, batches); None
    when LibreOffice is not installed. Stopped when the process exits."""
    global _warm
    exe = soffice()
    if _warm is None and exe is not None:
        _warm = WarmOffice(exe)
        atexit.register(_warm.close)
    return _warm


def docx_to_pdf(docx: Path, out_dir: Path, timeout: float = TIMEOUT_S) -> Path:
    """Convert ``docx`` to ``out_dir/<same stem>.pdf``; raise PdfUnavailable on any failure.

    Through the warm LibreOffice when `keep_warm` was called, else a cold start. LibreOffice
    writes into a scratch folder; the finished PDF is then copied atomically, so ``out_dir``
    never holds a half-written PDF."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(f"未找到 LibreOffice（soffice）。安装方法：{INSTALL_HINT}")
    pdf = out_dir / f"{docx.stem}.pdf"
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        scratch = Path(profile) / "out"
        command = [
            exe, *_OPTIONS, f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(scratch), str(docx),
        ]
        env = _env(profile)
        try:
            warm = _warm.convert(docx, scratch, timeout) if _warm is not None else None
            if warm is not None and warm.returncode == 0 and (scratch / pdf.name).exists():
                return copy_file(scratch / pdf.name, pdf, make_parent=True)
            run = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice 转换超时（{timeout:.0f} 秒）") from None
        except OSError as err:
            raise PdfUnavailable(f"无法启动 LibreOffice：{err.strerror or err}") from None
        made = scratch / pdf.name
        if run.returncode != 0 or not made.exists():
            detail = (run.stderr or run.stdout).strip().splitlines()
            reason = f"：{detail[-1]}" if detail else f"（退出码 {run.returncode}）"
            raise PdfUnavailable(f"LibreOffice 转换失败{reason}")
        return copy_file(made, pdf, make_parent=True)
