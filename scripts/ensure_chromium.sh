#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the HTML report's browser tests
# (tests/test_diff_html.py) when it is missing. Uses apt only: never downloads a
# browser build from the internet. Safe to run repeatedly; quiet when present.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure_chromium: apt-get not available; the browser tests will be skipped" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "ensure_chromium: not root and no sudo; cannot install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
$SUDO apt-get update -qq >/dev/null
# fonts-noto-core gives Vietnamese glyphs to the screenshots; chromium pulls the rest.
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-noto-core fonts-dejavu-core >/dev/null

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure_chromium: apt-get finished but $CHROMIUM is missing" >&2
  exit 1
fi
