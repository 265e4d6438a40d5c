#!/usr/bin/env bash
# One command for the whole test suite: install the test tools (and Chromium), lint, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh requirements-test.txt

# The real-browser tests drive Debian's Chromium (Playwright cannot download browsers here).
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy"; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "==> 安装 Chromium 与中文字体（apt-get）"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  else
    echo "需要 /usr/bin/chromium 与 fonts-wqy-zenhei：sudo apt-get install chromium fonts-wqy-zenhei" >&2
  fi
fi

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet . || { echo "ruff format: run .venv/bin/ruff format ." >&2; exit 1; }
echo "==> mypy（services, selectors, querysets）"
.venv/bin/mypy
echo "==> pytest（数据库：${DATABASE_URL:-SQLite}）"
exec .venv/bin/pytest "$@"
