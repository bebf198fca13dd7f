#!/usr/bin/env bash
# The README's start command: installs what is missing (npm packages,
# nats-server, ffmpeg), then starts the hub in the background — nats-server
# and every Natster service that exists — and prints what to do next.
# Idempotent: when the hub is already up it says so. Extra arguments go to
# `natster hub up` (e.g. npm start -- --port 4333).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
exec node apps/cli/bin/natster.js hub up "$@"
