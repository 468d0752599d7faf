#!/usr/bin/env bash
# Builds the page (release, so it runs at full speed) and serves it on
# http://127.0.0.1:8080/ with the demo data one click away. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh serve
source scripts/env.sh
echo "=== serve: building (a few minutes the first time), then http://127.0.0.1:8080/"
exec trunk serve --release "$@"
