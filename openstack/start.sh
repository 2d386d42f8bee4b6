#!/bin/bash
# Brings up real OpenStack Keystone and Glance on 127.0.0.1 for the console's tests:
# a pinned venv from PyPI, SQLite, a file store, gunicorn; seeds an owner and two recipient
# projects with users and images; writes every ID to $OS_BASE/seed.json. Idempotent.
#   start.sh [--fresh]     --fresh wipes the state (the venv is kept)
# Env: OS_BASE (state, default ./target/openstack), OS_VENV, OS_CORS_ORIGINS, OS_KS_PORT, OS_GL_PORT,
#      OS_TOKEN_CACHE_TIME (Glance's keystonemiddleware token cache, seconds; default -1: none)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export OS_BASE=${OS_BASE:-$HERE/../target/openstack}
VENV=${OS_VENV:-$HOME/.cache/ims-share-console/openstack/venv}
export OS_KS_PORT=${OS_KS_PORT:-5000} OS_GL_PORT=${OS_GL_PORT:-9292}
export OS_CORS_ORIGINS=${OS_CORS_ORIGINS:-http://127.0.0.1:18092,http://127.0.0.1:18093}
export OS_ADMIN_PASSWORD=${OS_ADMIN_PASSWORD:-Admin-Pass-1} OS_GLANCE_PASSWORD=${OS_GLANCE_PASSWORD:-Glance-Pass-1}
# Pinned: Keystone 30 / Glance 33 (2025.2) are what was proven on this machine.
PINS="keystone==30.0.0 glance==33.0.0 gunicorn==27.0.1"
KS=http://127.0.0.1:$OS_KS_PORT; GL=http://127.0.0.1:$OS_GL_PORT
export PYTHONWARNINGS=ignore
T0=$SECONDS
say() { echo "[openstack +$((SECONDS - T0))s] $*"; }
fail() { say "ERROR: $*"; exit 1; }

if [ "${1:-}" = "--fresh" ]; then "$HERE/stop.sh" >/dev/null || true; rm -rf "$OS_BASE"; fi
ETC=$OS_BASE/etc; STATE=$OS_BASE/state; LOGS=$OS_BASE/logs
mkdir -p "$ETC/keystone" "$ETC/glance" "$STATE/glance/"{staging,tasks,locks,images} "$LOGS" "$OS_BASE/wsgi"

if ! "$VENV/bin/python" -c 'import keystone, glance, gunicorn' 2>/dev/null; then
  say "installing $PINS into $VENV (a few minutes on a cold machine)"
  PY=$(command -v python3.11 || command -v python3)
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q -U pip wheel setuptools >"$LOGS/pip.log" 2>&1
  "$VENV/bin/pip" install -q $PINS >>"$LOGS/pip.log" 2>&1 || { tail -20 "$LOGS/pip.log"; fail "pip install failed"; }
else
  say "venv ready ($VENV)"
fi

cat > "$ETC/keystone/keystone.conf" <<CONF
[DEFAULT]
use_stderr = true
[database]
connection = sqlite:///$STATE/keystone.db?timeout=30
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = $STATE/fernet-keys
[fernet_receipts]
key_repository = $STATE/fernet-keys
[credential]
key_repository = $STATE/credential-keys
CONF
# Keystone reads sys.argv when imported: under gunicorn it would parse gunicorn's own
# arguments and the worker would restart forever.
cat > "$OS_BASE/wsgi/keystone_app.py" <<PY
import os, sys
sys.argv = sys.argv[:1]
os.environ.setdefault('OS_KEYSTONE_CONFIG_DIR', '$ETC/keystone')
from keystone.wsgi.api import application  # noqa: E402,F401
PY
# Glance's CORS filter reads only the file named in its paste config.
sed -e "s#^oslo_config_program = glance-api\$#oslo_config_program = glance-api\noslo_config_file = $ETC/glance/glance-api.conf#" \
    "$VENV/etc/glance/glance-api-paste.ini" > "$ETC/glance/glance-api-paste.ini"
cat > "$ETC/glance/glance-api.conf" <<CONF
[DEFAULT]
use_stderr = true
enabled_backends = fs:file
public_endpoint = $GL
[database]
connection = sqlite:///$STATE/glance.db?timeout=30
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $STATE/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $STATE/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $STATE/glance/tasks
[paste_deploy]
flavor = keystone
config_file = $ETC/glance/glance-api-paste.ini
[keystone_authtoken]
www_authenticate_uri = $KS
auth_url = $KS
auth_type = password
user_domain_name = Default
project_domain_name = Default
project_name = service
username = glance
password = $OS_GLANCE_PASSWORD
# bootstrap registers only a public identity endpoint
interface = public
# no token cache by default: a token revoked in Keystone must stop working on Glance at
# once (the benchmark also runs with OS_TOKEN_CACHE_TIME=300, the usual setting)
token_cache_time = ${OS_TOKEN_CACHE_TIME:--1}
[oslo_concurrency]
lock_path = $STATE/glance/locks
[cors]
allowed_origin = $OS_CORS_ORIGINS
allow_headers = Content-Type,Accept,X-Auth-Token,X-Subject-Token,X-OpenStack-Request-ID
expose_headers = X-Subject-Token,X-OpenStack-Request-ID,Location
allow_methods = GET,PUT,POST,DELETE,PATCH,HEAD
CONF

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
wait_http() { for _ in $(seq 1 180); do [ "$(curl -m 3 -s -o /dev/null -w '%{http_code}' "$1")" = "$2" ] && return 0; sleep 0.5; done; return 1; }

if [ ! -f "$STATE/.keystone-ready" ]; then
  say "keystone: database and bootstrap"
  KM=("$VENV/bin/keystone-manage" --config-file "$ETC/keystone/keystone.conf")
  { "${KM[@]}" db_sync && "${KM[@]}" fernet_setup --keystone-user root --keystone-group root \
    && "${KM[@]}" credential_setup --keystone-user root --keystone-group root \
    && "${KM[@]}" bootstrap --bootstrap-password "$OS_ADMIN_PASSWORD" --bootstrap-username admin \
       --bootstrap-project-name admin --bootstrap-role-name admin --bootstrap-service-name keystone \
       --bootstrap-region-id RegionOne --bootstrap-public-url "$KS/v3"; } >"$LOGS/keystone-manage.log" 2>&1 \
    || { tail -20 "$LOGS/keystone-manage.log"; fail "keystone-manage"; }
  touch "$STATE/.keystone-ready"
fi
if ! alive "$OS_BASE/keystone.pid"; then
  say "starting keystone on $KS"
  # Keystone's CORS middleware ignores the [cors] of its config dir: environment it is.
  OS_KEYSTONE_CONFIG_DIR=$ETC/keystone OS_CORS__ALLOWED_ORIGIN=$OS_CORS_ORIGINS \
  OS_CORS__ALLOW_HEADERS=Content-Type,Accept,X-Auth-Token,X-Subject-Token,X-Openstack-Request-Id \
  OS_CORS__EXPOSE_HEADERS=X-Subject-Token,X-Openstack-Request-Id \
  setsid "$VENV/bin/gunicorn" --pythonpath "$OS_BASE/wsgi" --bind "127.0.0.1:$OS_KS_PORT" --workers 1 --threads 4 \
    --worker-class gthread --timeout 120 --pid "$OS_BASE/keystone.pid" --error-logfile "$LOGS/keystone.log" \
    keystone_app:application </dev/null >>"$LOGS/keystone.out" 2>&1 &
fi
wait_http "$KS/v3" 200 || { tail -30 "$LOGS/keystone.log"; fail "keystone did not come up"; }
"$VENV/bin/python" "$HERE/seed.py" keystone || fail "keystone seeding"

if [ ! -f "$STATE/.glance-ready" ]; then
  say "glance: database"
  "$VENV/bin/glance-manage" --config-dir "$ETC/glance" db_sync >"$LOGS/glance-manage.log" 2>&1 || { tail -20 "$LOGS/glance-manage.log"; fail "glance-manage"; }
  touch "$STATE/.glance-ready"
fi
if ! alive "$OS_BASE/glance.pid"; then
  say "starting glance on $GL"
  OS_GLANCE_CONFIG_DIR=$ETC/glance setsid "$VENV/bin/gunicorn" --bind "127.0.0.1:$OS_GL_PORT" --workers 1 --threads 4 \
    --worker-class gthread --timeout 120 --pid "$OS_BASE/glance.pid" --error-logfile "$LOGS/glance.log" \
    glance.wsgi.api:application </dev/null >>"$LOGS/glance.out" 2>&1 &
fi
wait_http "$GL/healthcheck" 200 || { tail -30 "$LOGS/glance.log"; fail "glance did not come up"; }
"$VENV/bin/python" "$HERE/seed.py" glance || fail "glance seeding"
say "ready: keystone $KS (pid $(cat "$OS_BASE/keystone.pid")), glance $GL (pid $(cat "$OS_BASE/glance.pid")); seed $OS_BASE/seed.json"
