#!/bin/sh
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests.
# Installs it with apt-get when running as root; otherwise only reports (the tests then skip).
set -eu
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium with apt-get ..."
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
  /usr/bin/chromium --version || true
else
  echo "chromium is missing and cannot be installed here (needs root and apt-get); browser tests will skip" >&2
fi
