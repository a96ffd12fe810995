#!/usr/bin/env bash
# Creates .venv with the locked dependencies, using the first Python >= 3.12 found.
#   scripts/bootstrap.sh          runtime dependencies only
#   scripts/bootstrap.sh --dev    with the development tools (tests, linters)
# Needs nothing but a Python >= 3.12 somewhere on the machine; installs uv into .tools/.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION="0.13.8"

is_recent() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.14 python3.13 python3.12 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && is_recent "$candidate"; then
      command -v "$candidate"; return 0
    fi
  done
  # pyenv shims fail for versions that are not active: probe the version folders directly.
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3; do
    if [ -x "$candidate" ] && is_recent "$candidate"; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if ! PY=$(find_python); then
  echo "Python 3.12 ou plus récent est introuvable." >&2
  echo "Installez-le (par exemple « apt-get install python3.12 » ou pyenv), ou indiquez son chemin : PYTHON=/chemin/vers/python3 make run" >&2
  exit 1
fi
export UV_PYTHON="$PY"
export UV_PYTHON_DOWNLOADS=never

if [ ! -x .tools/bin/uv ] || [ "$(.tools/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "→ Installation de uv $UV_VERSION dans .tools/ (avec $PY)"
  "$PY" -m venv .tools
  .tools/bin/python -m pip install --quiet "uv==$UV_VERSION"
fi

if [ "${1:-}" = "--dev" ]; then
  .tools/bin/uv sync --locked --quiet
else
  # --inexact keeps the development tools when they are already there.
  .tools/bin/uv sync --locked --no-dev --inexact --quiet
fi
mkdir -p var
