#!/usr/bin/env bash
# Installs what Natster needs and is missing: npm packages, and on
# Debian/Ubuntu (as root) the OS packages nats-server, ffmpeg and, with
# --browser, chromium. Anywhere else it prints the exact command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

want=(nats-server ffmpeg)
[[ " $* " == *" --browser "* ]] && want+=(chromium)

missing=()
for pkg in "${want[@]}"; do
  bin=$pkg
  if ! command -v "$bin" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$bin" ] && [ ! -x "/usr/bin/$bin" ]; then missing+=("$pkg"); fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "natster: installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "natster: missing ${missing[*]}. Install them first:" >&2
    echo "  Debian/Ubuntu: sudo apt-get install -y ${missing[*]}" >&2
    echo "  macOS:         brew install ${missing[*]}" >&2
    exit 1
  fi
fi

# npm ci when node_modules is absent or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "natster: installing npm packages (npm ci)"
  npm ci --no-audit --no-fund
fi
