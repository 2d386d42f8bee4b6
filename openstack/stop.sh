#!/bin/bash
# Stops the Keystone and Glance started by start.sh, by their PID files only.
HERE=$(cd "$(dirname "$0")" && pwd)
OS_BASE=${OS_BASE:-$HERE/../target/openstack}
for svc in glance keystone; do
  pf=$OS_BASE/$svc.pid
  [ -f "$pf" ] || continue
  pid=$(cat "$pf")
  if kill -0 "$pid" 2>/dev/null && grep -q gunicorn "/proc/$pid/cmdline" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "$svc stopped (pid $pid)"
  fi
  rm -f "$pf"
done
