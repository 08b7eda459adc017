#!/usr/bin/env bash
# Set up jixiao on a fresh Debian/Ubuntu machine (Python 3.11+) and run one job:
#   ./run.sh demo    set up, then run the main job on the bundled example fund
#   ./run.sh test    set up with the development tools, then lint, type-check and run every test
# Extra arguments go to the job (e.g. ./run.sh test -k scoring). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
job=${1:-demo}
shift || true

say() { printf '\033[1m[jixiao]\033[0m %s\n' "$*"; }

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1 || ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  say "需要 Python 3.11 或更高版本（needs Python 3.11+）: 请先安装 python3。"
  exit 2
fi

# System packages: what each job needs from Debian/Ubuntu.
packages=()
"$python" -c 'import ensurepip, venv' >/dev/null 2>&1 || packages+=(python3-venv)
# CJK fonts for charts and PDFs; LibreOffice turns the Word report into PDF (and, in the
# tests, recalculates the allocation sheet's formulas); poppler reads PDFs back in tests.
fc-list 2>/dev/null | grep -q "Noto Serif CJK" || packages+=(fonts-noto-cjk)
dpkg -s fonts-arphic-ukai >/dev/null 2>&1 || packages+=(fonts-arphic-ukai)
command -v soffice >/dev/null 2>&1 || packages+=(libreoffice-writer-nogui libreoffice-calc-nogui)
if [ "$job" = test ]; then
  command -v pdftotext >/dev/null 2>&1 || packages+=(poppler-utils)
  # The web tests drive Debian's Chromium through Playwright (never `playwright install`).
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  # 复核 reads zips as Linux's Info-ZIP writes them (UTF-8 names without the UTF-8 flag).
  command -v zip >/dev/null 2>&1 || packages+=(zip)
fi
if [ ${#packages[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=$(command -v sudo || true)
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    say "安装系统软件包: ${packages[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    say "缺少系统软件包且无 root 权限，请先安装: ${packages[*]}"
    [[ " ${packages[*]} " == *" python3-venv "* ]] && exit 2
  fi
fi

# The virtual environment, refreshed whenever pyproject.toml changes. Each job has its own
# extras and its own stamp, so installing one never marks the other as done: the demo gets
# the county outlines for the dashboard map ([maps]); the tests get the tools ([dev], which
# includes the outlines too).
case "$job" in
  test) extras="[dev]" ;;
  demo) extras="[maps]" ;;
  *) extras="" ;;
esac
stamp=".venv/.jixiao-installed${extras}"
if [ ! -x .venv/bin/python ]; then
  say "创建虚拟环境 .venv"
  "$python" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "安装 jixiao${extras} 及其依赖"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".${extras}"
  touch "$stamp"
fi

case "$job" in
  demo)
    exec .venv/bin/jixiao demo "$@"
    ;;
  test)
    say "ruff check"
    .venv/bin/ruff check src tests benchmarks
    say "mypy"
    .venv/bin/mypy src/jixiao
    say "pytest（SQLite）"
    .venv/bin/pytest "$@"
    # The web tests again on PostgreSQL when one is reachable (CI has it at 127.0.0.1:5432).
    pg=${JIXIAO_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
    if .venv/bin/python -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$pg" 2>/dev/null; then
      say "pytest tests/web（PostgreSQL: $pg）"
      DATABASE_URL=$pg .venv/bin/pytest tests/web "$@"
    else
      say "PostgreSQL 不可用（$pg），网页测试只在 SQLite 上运行"
    fi
    ;;
  *)
    say "用法: ./run.sh demo | ./run.sh test [pytest 参数]"
    exit 2
    ;;
esac
