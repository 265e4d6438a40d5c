#!/usr/bin/env bash
# Create .venv with a Python 3.12+ and install the given requirements file when it changed.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=${1:-requirements.txt}
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)'; then
  python=$(bash scripts/python.sh)
  echo "==> 创建虚拟环境 .venv（$("$python" --version)）"
  rm -rf .venv
  "$python" -m venv .venv
fi
# Reinstall only when the pinned requirements changed since the last install.
stamp=".venv/.installed-$(basename "$requirements")"
digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  echo "==> 安装依赖 $requirements"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$digest" > "$stamp"
fi
