#!/usr/bin/env bash
# The README's start command: installs what is missing (npm packages,
# nats-server, ffmpeg), then starts the hub in the background — nats-server
# and every Natster service, the portal in production mode — and prints
# what to do next.
# Idempotent: when the hub is already up it says so. Extra arguments go to
# `natster hub up` (e.g. npm start -- --port 4333).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh

# The portal runs its production build; (re)build it when it is missing or
# older than the portal's or the libraries' sources (same check as the e2e test).
node --import tsx apps/portal/scripts/ensure-built.ts

exec node apps/cli/bin/natster.js hub up "$@"
