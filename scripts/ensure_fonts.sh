#!/usr/bin/env bash
# PDFs embed Debian's DejaVu Sans (fonts-dejavu-core) so every name prints ("Łukasz", "Zoë").
# Without it the PDFs fall back to the Latin-1 core font and say so in the log.
set -uo pipefail
if [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  exit 0
fi
echo "Installing fonts-dejavu-core so PDFs print every name..."
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
if ! { $SUDO apt-get update -qq && \
       $SUDO apt-get install -y -qq --no-install-recommends fonts-dejavu-core >/dev/null; }; then
  echo "fonts-dejavu-core could not be installed; PDFs will print Latin-1 only." >&2
fi
exit 0
