#!/usr/bin/env bash
# Start a Docker daemon for the container tests, and make their base image locally (nothing can be
# pulled here). Sourced by .ci/run; safe to run again. Leaves DOCKER_HOST exported.
set -u
state=${STACKWRIGHT_DOCKER_STATE:-/tmp/stackwright-dockerd}
export DOCKER_HOST=${DOCKER_HOST:-unix://$state/docker.sock}
mkdir -p "$state"
if ! docker version >/dev/null 2>&1; then
  # a daemon of an earlier run that was killed leaves its pid file and socket behind
  if [ -f "$state/docker.pid" ] && ! kill -0 "$(cat "$state/docker.pid")" 2>/dev/null; then
    rm -f "$state/docker.pid" "${DOCKER_HOST#unix://}"
  fi
  if command -v dockerd >/dev/null 2>&1; then
    dockerd --bridge=none --iptables=false --ip-masq=false \
      --data-root "$state/data" --exec-root "$state/exec" --pidfile "$state/docker.pid" \
      --host "$DOCKER_HOST" >"$state/dockerd.log" 2>&1 &
    for _ in $(seq 1 60); do docker version >/dev/null 2>&1 && break; sleep 0.5; done
  fi
fi
if docker version >/dev/null 2>&1; then
  if ! docker image inspect stackwright-test-base:latest >/dev/null 2>&1; then
    rootfs=$(mktemp -d)
    mkdir -p "$rootfs/bin" "$rootfs/tmp"
    cp "$(command -v busybox)" "$rootfs/bin/busybox"
    for tool in sh ls cat echo mkdir env sleep true; do ln -sf busybox "$rootfs/bin/$tool"; done
    tar -C "$rootfs" -c . | docker import - stackwright-test-base:latest >/dev/null
    rm -rf "$rootfs"
  fi
  echo "docker: daemon at $DOCKER_HOST, base image stackwright-test-base:latest"
else
  echo "docker: no daemon could be started (see $state/dockerd.log); container tests will be skipped" >&2
fi
