#!/usr/bin/env bash
# Checks the Debian packages rolepack needs and installs the missing ones when it can.
#   tools/system-deps.sh          what rendering needs (Pango, HarfBuzz subsetting)
#   tools/system-deps.sh --tests  also the real readers the tests check outputs with (poppler, qpdf,
#                                 LibreOffice, pandoc), the browser the web pages are tested in,
#                                 strace, which watches what native libraries open and run, and
#                                 axe-core (from npm, into .test-deps/), which checks the careers
#                                 pages against WCAG in that browser
set -euo pipefail

AXE_VERSION=4.14.1  # pinned: a new axe-core can add rules, so it is upgraded on purpose, not by a rerun
AXE_DIR="$(cd "$(dirname "$0")/.." && pwd)/.test-deps"

need=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig)
if [ "${1:-}" = "--tests" ]; then
  need+=(poppler-utils qpdf libreoffice-writer-nogui pandoc chromium strace)
  # LibreOffice hyphenates a draft as Word does only with these patterns (the drafts ask for it)
  need+=(hyphen-en-us hyphen-en-gb hyphen-fr hyphen-de hyphen-es)
  command -v npm >/dev/null || need+=(npm)  # Node.js from elsewhere (NodeSource) brings its own npm
fi

missing=()
for pkg in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
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
fi

# axe-core, at the pinned version, where tests/render/test_careers_site.py loads it from.
if [ "${1:-}" = "--tests" ]; then
  installed=$(AXE_DIR="$AXE_DIR" node -p 'require(process.env.AXE_DIR + "/node_modules/axe-core/package.json").version' \
    2>/dev/null || true)
  if [ "$installed" != "$AXE_VERSION" ]; then
    echo "Installing axe-core $AXE_VERSION into $AXE_DIR"
    npm install --prefix "$AXE_DIR" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "axe-core@$AXE_VERSION" >/dev/null
  fi
fi
