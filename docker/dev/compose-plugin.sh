#!/usr/bin/env bash
# Make `docker compose` available to check docker/ (`docker compose config`).
# Our machines have the docker client but no engine and no Compose plugin, and
# Debian's docker-compose is the old v1. Compose v2 is a Go module: build it
# with the machine's Go into ~/.docker/cli-plugins once. Idempotent.
set -euo pipefail
VERSION="${COMPOSE_VERSION:-v2.40.3}"
PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"

command -v docker >/dev/null || { echo "[compose] no docker client; nothing to do"; exit 0; }
docker compose version >/dev/null 2>&1 && exit 0
command -v go >/dev/null || { echo "[compose] Go is needed to build Compose $VERSION" >&2; exit 1; }
echo "[compose] building Docker Compose $VERSION (once, a few minutes)"
dir="$(go mod download -json "github.com/docker/compose/v2@$VERSION" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
mkdir -p "$PLUGIN_DIR"
(cd "$dir" && go build -trimpath -ldflags "-s -w" -o "$PLUGIN_DIR/docker-compose" ./cmd)
docker compose version
