#!/usr/bin/env bash
# Puts the Nu HTML Checker (the W3C's validator, npm package vnu-jar) at .tools/vnu/vnu.jar for
# the browser tests. The jar comes straight from the npm registry's tarball, checked against
# the sha512 the registry publishes, so neither node nor npm is needed; it runs with the Java
# that scripts/system-deps.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION="26.9.27"
SHA512="4e441de4315f39a582f5e6edbe8cd3b2b1f655aa1dde3620faface791133217c417b12f3f7ead2d8336d8e7efe44f5226618258b44a0860057e9125135e6b428"
DEST=.tools/vnu

[ "$(cat "$DEST/VERSION" 2>/dev/null)" = "$VERSION" ] && [ -f "$DEST/vnu.jar" ] && exit 0

echo "→ Installation du validateur HTML vnu-jar $VERSION dans $DEST/"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -sSfL -o "$work/vnu.tgz" "https://registry.npmjs.org/vnu-jar/-/vnu-jar-$VERSION.tgz"
echo "$SHA512  $work/vnu.tgz" | sha512sum --check --quiet
tar -xzf "$work/vnu.tgz" -C "$work" package/build/dist/vnu.jar
mkdir -p "$DEST"
mv "$work/package/build/dist/vnu.jar" "$DEST/vnu.jar"
echo "$VERSION" > "$DEST/VERSION"
