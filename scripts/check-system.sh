#!/usr/bin/env bash
# Checks the system packages `make run` needs before pip starts, and names the missing ones.
# Usage: scripts/check-system.sh [python]   (the interpreter the venv is made from; python3 by default)
# Each check asks for the thing itself (a command, a header, a library, a font), not for a package
# manager, so it answers on any Linux; the names printed are Debian's/Ubuntu's (README, first lines).
set -uo pipefail
python=${1:-python3}
missing=()

if ! command -v "$python" >/dev/null 2>&1; then
  missing+=(python3)
else
  # venv needs ensurepip (python3-venv); psycopg2 builds from source: Python.h, gcc and pg_config.
  "$python" -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
  "$python" -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || missing+=(python3-dev)
  # WeasyPrint opens these libraries at import: Pango, PangoFT2, and HarfBuzz's subsetter for the fonts.
  for pair in pango-1.0:libpango-1.0-0 pangoft2-1.0:libpangoft2-1.0-0 harfbuzz-subset:libharfbuzz-subset0; do
    "$python" -c 'import ctypes.util, sys; sys.exit(ctypes.util.find_library(sys.argv[1]) is None)' "${pair%%:*}" \
      || missing+=("${pair#*:}")
  done
fi
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v pg_config >/dev/null 2>&1 || missing+=(libpq-dev)

# The PDFs are set in Liberation Serif 2.x or Tinos: fonts with every Vietnamese letter. The old
# fonts-liberation (1.07) has the same family name without Vietnamese, so it does not count here.
if command -v fc-list >/dev/null 2>&1; then
  vietnamese_fonts=$(fc-list :lang=vi family)
  grep -q "Liberation Serif" <<<"$vietnamese_fonts" || missing+=(fonts-liberation2)
  grep -q "Tinos" <<<"$vietnamese_fonts" || missing+=(fonts-croscore)
else
  missing+=(fontconfig fonts-liberation2 fonts-croscore)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them first, e.g.: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
