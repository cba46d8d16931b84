#!/usr/bin/env bash
# Installs Debian's linux-source-6.1 when missing and extracts mm/, fs/, include/,
# the top Makefile (VERSION/PATCHLEVEL: the tree's release) and arch/x86's headers and
# Makefiles into a cache outside the repository. Prints the tree's path.
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
if [ -f "$cache/.complete" ]; then
  # a cache from before the top Makefile was extracted: add it
  if [ ! -f "$cache/Makefile" ] && [ -n "$tarball" ]; then
    tar -xJf "$tarball" -C "$cache" --strip-components=1 --wildcards '*/Makefile' --exclude '*/*/*' >&2 || true
  fi
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
# '*/include/*' also takes arch/*/include (a wildcard matches '/'); naming
# arch/x86/include again would be a pattern tar credits with no member, and an error
tar -xJf "$tarball" -C "$tmp" --strip-components=1 --wildcards '*/mm/*' '*/fs/*' '*/include/*' \
  '*/arch/x86/Makefile' >&2
# the top Makefile only (not every Makefile of the tree)
tar -xJf "$tarball" -C "$tmp" --strip-components=1 --wildcards '*/Makefile' --exclude '*/*/*' >&2
config_pkg
rm -rf "$cache"
mv "$tmp" "$cache"
touch "$cache/.complete"
echo "$cache"
