#!/usr/bin/env bash
# The whole test suite: typecheck and lint every package, then run every package's
# tests against real nats-server processes (and real Chromium for the portal).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser
npx turbo run typecheck lint --output-logs=errors-only
npx turbo run test --concurrency=1 --output-logs=full "$@"
