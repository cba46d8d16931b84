#!/usr/bin/env bash
# Usage: fetch.sh [RELEASE]   (default 6.1; `npm run kernel`, `npm run kernel:6.12`)
# Installs Debian's linux-source-RELEASE when missing and extracts the WHOLE tree (what a
# kernel developer opens: drivers/, kernel/, block/, arch/ and all, over 1 GB) into a
# cache outside the repository, with Debian's .config for it (linux-config-RELEASE,
# installed here when root). Prints the tree's path. A 6.1 cache from an older version
# of this script that held only mm/, fs/ and include/ (no .whole mark) is extracted
# again. Kernel source never goes into the repository.
set -euo pipefail
release="${1:-6.1}"
case "$release" in *[!0-9.]*|'') echo "fetch.sh: a release is digits and dots (6.1, 6.12), not '$release'" >&2; exit 2;; esac
default_cache="${XDG_CACHE_HOME:-$HOME/.cache}/racelens/linux-$release"
# RACELENS_KERNEL_CACHE names the 6.1 tree's folder (the tests' override)
if [ "$release" = 6.1 ]; then cache="${RACELENS_KERNEL_CACHE:-$default_cache}"; else cache="$default_cache"; fi
source_pkg="linux-source-$release"
config_file="/usr/src/linux-config-$release/config.amd64_none_amd64.xz"
config_pkg() {
  if [ ! -f "$config_file" ] && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "linux-config-$release" >&2 || true
  fi
  if [ ! -f "$config_file" ]; then
    echo "fetch.sh: Debian's kernel config is missing: apt-get install linux-config-$release (runs fall back to first #if branches)" >&2
  fi
}
if [ -f "$cache/.complete" ] && [ -f "$cache/.whole" ]; then
  config_pkg
  echo "$cache"
  exit 0
fi
tarball=$(ls "/usr/src/$source_pkg.tar.xz" 2>/dev/null || true)
if [ -z "$tarball" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "fetch.sh: $source_pkg is not installed and this is not root: apt-get install $source_pkg" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq --no-install-recommends "$source_pkg" >&2
  tarball=$(dpkg -L "$source_pkg" | grep "$source_pkg.tar.xz\$" | head -n 1)
fi
mkdir -p "$cache"
tmp="$cache.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp"
tar -xJf "$tarball" -C "$tmp" --strip-components=1 >&2
config_pkg
rm -rf "$cache"
mv "$tmp" "$cache"
touch "$cache/.complete" "$cache/.whole"
echo "$cache"
