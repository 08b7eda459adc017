"""PDF from the Word file through LibreOffice headless, with CJK fonts embedded.

The docx names Windows Chinese fonts (仿宋_GB2312, 黑体 …). ``fonts.conf`` maps them to the
Noto CJK SC fonts for LibreOffice through FONTCONFIG_FILE; a throwaway LibreOffice profile
keeps runs independent of each other and of a user's own profile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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


def docx_to_pdf(docx: Path, out_dir: Path, timeout: float = TIMEOUT_S) -> Path:
    """Convert ``docx`` to ``out_dir/<same stem>.pdf``; raise PdfUnavailable on any failure.

    LibreOffice writes into a scratch folder; the finished PDF is then copied atomically, so
    ``out_dir`` never holds a half-written PDF."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(f"未找到 LibreOffice（soffice）。安装方法：{INSTALL_HINT}")
    pdf = out_dir / f"{docx.stem}.pdf"
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        scratch = Path(profile) / "out"
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
        env["HOME"] = profile  # LibreOffice writes caches under HOME as well
        command = [
            exe, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(scratch), str(docx),
        ]
        try:
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
