#!/usr/bin/env bash
# Tools for tests/test_validators.py: the W3C Nu HTML Checker (npm vnu-jar, run with Java)
# and axe-core (injected into headless Chromium). Python tools (linkchecker, extruct,
# feedparser) come with pyproject's `test` extra. Tests look in $FACTCHECK_TOOLS, default
# /opt/factcheck-tools.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
TOOLS="${FACTCHECK_TOOLS:-/opt/factcheck-tools}"

apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
command -v npm >/dev/null || apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
mkdir -p "$TOOLS"
npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
  vnu-jar@26.9.27 axe-core@4.14.1
java -version 2>&1 | head -1
ls "$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar" "$TOOLS/node_modules/axe-core/axe.min.js"
