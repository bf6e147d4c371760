#!/usr/bin/env bash
# LibreOffice (Calc, Writer and Draw) opens every export in the tests (`soffice --headless
# --convert-to pdf`), the way a finance office or a clerk would open them. Debian's packages,
# without the recommended extras. If it cannot be installed (no root, no network), the export
# tests skip and say why; everything else still runs.
set -uo pipefail
# Draw is what opens a PDF (its PDF import), so the toolkit's own PDFs are opened too.
if command -v soffice >/dev/null 2>&1 && [ -f /usr/lib/libreoffice/share/registry/draw.xcd ]; then
  exit 0
fi
echo "Installing LibreOffice (Calc, Writer and Draw) for the export tests..."
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && \
       $SUDO apt-get install -y -qq --no-install-recommends \
         libreoffice-calc libreoffice-writer libreoffice-draw >/dev/null; }; then
  echo "LibreOffice could not be installed; the tests that open exports in it will skip." >&2
fi
exit 0
