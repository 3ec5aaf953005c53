#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# Re-vendor the front-end files under static/vendor/ from the npm registry, at pinned versions.
#
#   @utrecht/component-library-css                     -> static/vendor/utrecht/
#   @nl-design-system-unstable/voorbeeld-design-tokens -> static/vendor/voorbeeld-design-tokens/
#   htmx.org (2.x)                                     -> static/vendor/htmx/
#
# Each package is fetched with `npm pack` into a throw-away directory, its tarball is checked
# against the SHA-256 pinned below, and only the distributed CSS/JS file(s) and the licence are
# copied. No node_modules directory is created. Needs: npm, tar, sha256sum.
#
# To upgrade: change a version, run the script with IJAM_VENDOR_UPDATE_HASHES=1 once, review the
# printed hash and diff, and pin the new hash here.
#
# Usage: scripts/vendor-static.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
VENDOR="$ROOT/static/vendor"

UTRECHT_PKG="@utrecht/component-library-css"
UTRECHT_VERSION="9.0.4"
UTRECHT_SHA256="fff546ee8e41e5fb0cd9ce0aa61b267e8af21d693fb6790601d87514f6b63bd1"

THEME_PKG="@nl-design-system-unstable/voorbeeld-design-tokens"
THEME_VERSION="7.4.1"
THEME_SHA256="0969907596b56e621fcdb3d7a1f101f6e14c877a1318cd60b1f0428e927e6dd3"

HTMX_PKG="htmx.org"
HTMX_VERSION="2.0.11"   # stay on 2.x: htmx 4 changes attribute semantics
HTMX_SHA256="165a2655073e9e6e55e307a7c74e8ebcdb76afb7701f9c16cfd106a13add408e"

work="$(mktemp -d "${TMPDIR:-/tmp}/ijam-vendor.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# fetch PKG VERSION SHA256 -> prints the directory holding the unpacked package/
fetch() {
    local pkg="$1" version="$2" sha="$3" dir tarball actual
    dir="$work/$(printf '%s' "$pkg" | tr '@/' '__')"
    mkdir -p "$dir"
    tarball="$(cd "$dir" && npm pack --silent "$pkg@$version" | tail -n 1)"
    actual="$(sha256sum "$dir/$tarball" | cut -d' ' -f1)"
    if [[ "$actual" != "$sha" ]]; then
        if [[ "${IJAM_VENDOR_UPDATE_HASHES:-}" == "1" ]]; then
            echo "NOTE: $pkg@$version sha256 is $actual (pinned: $sha)" >&2
        else
            echo "ERROR: $pkg@$version sha256 $actual does not match pinned $sha" >&2
            exit 1
        fi
    fi
    tar -xzf "$dir/$tarball" -C "$dir"
    printf '%s\n' "$dir/package"
}

# readme DIR PKG VERSION LICENCE FILES...
readme() {
    local dir="$1" pkg="$2" version="$3" licence="$4"
    shift 4
    {
        echo "Vendored third-party files (not written for IJAM)"
        echo "================================================="
        echo
        echo "Package:  $pkg"
        echo "Version:  $version"
        echo "Licence:  $licence (full text in the licence file beside this note)"
        echo "Source:   the npm registry, fetched with \`npm pack $pkg@$version\`"
        echo "Files:    $*"
        echo
        echo "SPDX-License-Identifier of the vendored files: $licence"
        echo
        echo "Do not edit these files by hand: run scripts/vendor-static.sh, which pins the"
        echo "version and the tarball's SHA-256. (This note itself is part of IJAM,"
        echo "SPDX-License-Identifier: AGPL-3.0-or-later.)"
    } >"$dir/README.vendor"
}

echo "== $UTRECHT_PKG@$UTRECHT_VERSION"
src="$(fetch "$UTRECHT_PKG" "$UTRECHT_VERSION" "$UTRECHT_SHA256")"
dest="$VENDOR/utrecht"
rm -rf "$dest" && mkdir -p "$dest"
cp "$src/dist/index.css" "$dest/index.css"
cp "$src/LICENSE.md" "$dest/LICENSE.md"
readme "$dest" "$UTRECHT_PKG" "$UTRECHT_VERSION" "EUPL-1.2" "index.css (= dist/index.css)" "LICENSE.md"

echo "== $THEME_PKG@$THEME_VERSION"
src="$(fetch "$THEME_PKG" "$THEME_VERSION" "$THEME_SHA256")"
dest="$VENDOR/voorbeeld-design-tokens"
rm -rf "$dest" && mkdir -p "$dest"
# dist/theme.css scopes every token to the class `.voorbeeld-theme` (dist/variables.css is the
# same set on :root; dist/font.css is empty).
cp "$src/dist/theme.css" "$dest/theme.css"
cp "$src/LICENSE.md" "$dest/LICENSE.md"
readme "$dest" "$THEME_PKG" "$THEME_VERSION" "EUPL-1.2" \
    "theme.css (= dist/theme.css, class .voorbeeld-theme)" "LICENSE.md"

echo "== $HTMX_PKG@$HTMX_VERSION"
src="$(fetch "$HTMX_PKG" "$HTMX_VERSION" "$HTMX_SHA256")"
dest="$VENDOR/htmx"
rm -rf "$dest" && mkdir -p "$dest"
cp "$src/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$src/LICENSE" "$dest/LICENSE"
readme "$dest" "$HTMX_PKG" "$HTMX_VERSION" "0BSD" "htmx.min.js (= dist/htmx.min.js)" "LICENSE"

echo "Vendored into $VENDOR"
