#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# fetch-linux.sh OUTDIR: Debian's cloud kernel and busybox-static, for the Linux guest tests.
# Writes OUTDIR/vmlinuz, OUTDIR/busybox and OUTDIR/kernel-version. The .deb files are kept in a cache
# (HV_CACHE, default ~/.cache/hypervisor) so that a second run fetches nothing; whatever kernel the
# linux-image-cloud-amd64 meta package depends on today is the one used.
set -euo pipefail
mkdir -p "$1"
out=$(cd "$1" && pwd)
cache=${HV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hypervisor}
mkdir -p "$cache"
cd "$cache"

# apt-get download writes into the current directory; as root it warns that _apt cannot reach it: harmless.
download() {
    apt-get download "$@" >/dev/null 2>&1 && return 0
    echo "fetch-linux: apt-get download $* failed; updating the package lists" >&2
    apt-get update -qq >/dev/null && apt-get download "$@" >/dev/null
}

# The meta package names the real image package ("linux-image-6.1.0-NN-cloud-amd64 (= VERSION)").
real=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -1)
if [ -z "$real" ]; then
    apt-get update -qq >/dev/null
    real=$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -1)
fi
[ -n "$real" ] || { echo "fetch-linux: cannot resolve linux-image-cloud-amd64 to a kernel package" >&2; exit 1; }
version=$(apt-cache policy "$real" | sed -n 's/^ *Candidate: //p')
for pkg in "$real" busybox-static; do
    v=$([ "$pkg" = "$real" ] && echo "$version" || apt-cache policy "$pkg" | sed -n 's/^ *Candidate: //p')
    ls "${pkg}_${v//:/%3a}_"*.deb >/dev/null 2>&1 || { echo "fetch-linux: downloading $pkg $v" >&2; download "$pkg"; }
done

stamp="${real#linux-image-} $version"
if [ -f "$out/vmlinuz" ] && [ -f "$out/busybox" ] && [ "$(cat "$out/kernel-version" 2>/dev/null)" = "$stamp" ]; then
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$(ls -t "${real}_${version//:/%3a}_"*.deb | head -1)" "$tmp/k"
dpkg-deb -x "$(ls -t busybox-static_*.deb | head -1)" "$tmp/b"
cp "$tmp"/k/boot/vmlinuz-* "$out/vmlinuz"
cp "$tmp/b/bin/busybox" "$out/busybox"
echo "$stamp" > "$out/kernel-version"
