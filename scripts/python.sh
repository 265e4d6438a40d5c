#!/usr/bin/env bash
# Find a Python 3.12+ and print its path; Django 6 refuses older ones.
# pyenv's python3.13/python3.12 shims work here because .python-version names them.
set -u
for candidate in "${PYTHON:-}" python3.13 python3.12 python3.14 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
echo "找不到 Python 3.12 或更高版本（Django 6 需要）。请安装 Python 3.12+，或用 PYTHON=/path/to/python3.12 指定。" >&2
echo "No Python 3.12+ found (Django 6 requires it). Install one or set PYTHON=/path/to/python3.12." >&2
exit 1
