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
    """Convert ``docx`` to ``out_dir/<same stem>.pdf``; raise PdfUnavailable on any failure."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable(f"未找到 LibreOffice（soffice）。安装方法：{INSTALL_HINT}")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
        env["HOME"] = profile  # LibreOffice writes caches under HOME as well
        command = [
            exe, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir), str(docx),
        ]
        try:
            run = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, env=env, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"LibreOffice 转换超时（{timeout:.0f} 秒）") from None
        except OSError as err:
            raise PdfUnavailable(f"无法启动 LibreOffice：{err}") from None
    pdf = out_dir / f"{docx.stem}.pdf"
    if run.returncode != 0 or not pdf.exists():
        detail = (run.stderr or run.stdout).strip().splitlines()
        reason = f"：{detail[-1]}" if detail else f"（退出码 {run.returncode}）"
        raise PdfUnavailable(f"LibreOffice 转换失败{reason}")
    return pdf
