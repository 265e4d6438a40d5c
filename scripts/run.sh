#!/usr/bin/env bash
# One command for a fresh machine: install, migrate, load the demo county, create demo logins, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/venv.sh requirements.txt

# A local demo over plain HTTP on 127.0.0.1: production settings, minus HTTPS-only cookies.
if [ ! -f .secret_key ]; then
  .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key
  chmod 600 .secret_key
fi
export SECRET_KEY=${SECRET_KEY:-$(cat .secret_key)}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0} SESSION_COOKIE_SECURE=${SESSION_COOKIE_SECURE:-0}
export CSRF_COOKIE_SECURE=${CSRF_COOKIE_SECURE:-0} SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}
manage() { .venv/bin/python manage.py "$@"; }

echo "==> 数据库迁移"
manage migrate --no-input -v 0
manage collectstatic --no-input -v 0
if [ "$(manage shell -c 'from households.models import Household; print(Household.objects.exists())' 2>/dev/null | tail -1)" != "True" ]; then
  echo "==> 生成演示县数据（约1分钟）"
  manage seed_demo
fi
manage ensure_demo_users
# Background jobs (registry imports and exports) run in a worker beside the web server; it stops
# when the server stops.
manage db_worker --no-startup-delay --interval 0.5 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
echo "==> 后台任务进程已启动（导入、导出花名册）"
echo "==> 服务已启动： http://${BIND:-127.0.0.1:8000}/  （Ctrl+C 停止）"
.venv/bin/gunicorn povertyops.wsgi:application --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WORKERS:-3}" --timeout 120 --access-logfile - --error-logfile -
