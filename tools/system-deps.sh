#!/usr/bin/env bash
# Checks the Debian packages rolepack needs and installs the missing ones when it can.
#   tools/system-deps.sh          what rendering needs (Pango, HarfBuzz subsetting)
#   tools/system-deps.sh --tests  also the real readers the tests check outputs with (poppler, qpdf,
#                                 LibreOffice, pandoc), the browser the web pages are tested in and
#                                 strace, which watches what native libraries open and run
set -euo pipefail

need=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig)
if [ "${1:-}" = "--tests" ]; then
  need+=(poppler-utils qpdf libreoffice-writer-nogui pandoc chromium strace)
fi

missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  $cmd -qq
elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $cmd -qq
else
  echo "rolepack needs these system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo $cmd" >&2
  exit 1
fi
