#!/usr/bin/env bash
# Installs Debian's linux-source-6.1 when missing and extracts mm/, fs/ and include/
# into a cache outside the repository. Prints the tree's path.
# Kernel source never goes into the repository.
set -euo pipefail
cache="${RACELENS_KERNEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/racelens/linux-6.1}"
if [ -f "$cache/.complete" ]; then
  echo "$cache"
  exit 0
fi
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
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
tar -xJf "$tarball" -C "$tmp" --strip-components=1 --wildcards '*/mm/*' '*/fs/*' '*/include/*' >&2
rm -rf "$cache"
mv "$tmp" "$cache"
touch "$cache/.complete"
echo "$cache"
