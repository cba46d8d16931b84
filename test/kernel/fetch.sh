#!/usr/bin/env bash
# Installs Debian's linux-source-6.1 when missing and extracts the WHOLE tree (what a
# kernel developer opens: drivers/, kernel/, block/, arch/ and all, about 1.1 GB) into a
# cache outside the repository. Prints the tree's path. A cache from an older version of
# this script that held only mm/, fs/ and include/ (no .whole mark) is extracted again.
# The kernel .config comes from Debian's linux-config-6.1 (installed here when root).
# Kernel source never goes into the repository.
set -euo pipefail
cache="${RACELENS_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/racelens/linux-6.1}"
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
config_pkg() {
  if [ ! -f /usr/src/linux-config-6.1/config.amd64_none_amd64.xz ] && [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends linux-config-6.1 >&2 || true
  fi
  if [ ! -f /usr/src/linux-config-6.1/config.amd64_none_amd64.xz ]; then
    echo "fetch.sh: Debian's kernel config is missing: apt-get install linux-config-6.1 (runs fall back to first #if branches)" >&2
  fi
}
if [ -f "$cache/.complete" ] && [ -f "$cache/.whole" ]; then
  config_pkg
  echo "$cache"
  exit 0
fi
if [ -z "$tarball" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "fetch.sh: linux-source-6.1 is not installed and this is not root: apt-get install linux-source-6.1" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq --no-install-recommends linux-source-6.1 >&2
  tarball=$(dpkg -L linux-source-6.1 | grep 'linux-source-6.1.tar.xz$' | head -n 1)
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
