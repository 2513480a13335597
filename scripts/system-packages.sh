#!/usr/bin/env bash
# The Debian packages the build, the downloads and the tests need: one list,
# used by .ci/run, the GitHub workflow and `make test`, so they cannot drift apart.
#
#   bash scripts/system-packages.sh           install what is missing (as root, or with sudo)
#   bash scripts/system-packages.sh --check   list what is missing; exit 1 if anything is
#
# Without root or password-less sudo it installs nothing and prints the one
# command to run.
set -euo pipefail

PACKAGES=(
  make python3 python3-venv  # the README's commands and the .venv
  git                        # the tests list the checkout's files and check that no test wrote into it
  chromium                   # browser tests, handouts, screenshots (Debian's, never a downloaded browser)
  fonts-noto-core            # Arabic glyphs for the browser and the handouts
  poppler-utils              # pdftotext reads the handout PDFs in the tests
  kiwix-tools                # kiwix-serve serves the ZIM files to a browser test
  zbar-tools                 # zbarimg reads the QR codes of the printed pages in a browser test
)

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "${1:-}" = --check ]; then
  echo "Missing Debian packages: ${missing[*]}"
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "The build and tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with this command, then run make test again:" >&2
  echo "  sudo apt-get update && sudo $command" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
