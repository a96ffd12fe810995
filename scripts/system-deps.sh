#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (browser tests, PDF rendering, the HTML
# validator's Java and download), or, when not root, prints the one apt-get line to run.
# Installs only what is missing.
set -euo pipefail

PACKAGES=(chromium libatomic1 fonts-dejavu-core poppler-utils
          libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
          libreoffice-writer-nogui curl)
# The HTML validator (scripts/vnu.sh) runs on any Java: Debian's only when there is none.
if ! command -v java >/dev/null 2>&1; then
  PACKAGES+=(default-jre-headless)
fi
if [ "${WITH_POSTGRES:-}" = "1" ]; then
  PACKAGES+=(postgresql)
fi

missing=()
for package in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Paquets système manquants : ${missing[*]} (installez leurs équivalents pour votre système)." >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Il manque des paquets système pour les tests. Lancez :" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "→ Installation des paquets système : ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
