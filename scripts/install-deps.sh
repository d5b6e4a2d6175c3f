#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Installs the Debian packages the build, `make run` and `make test` need; does nothing when all are there.
set -euo pipefail

packages=(
    gcc make binutils clang libclang-rt-14-dev        # kernel, host unit tests, libFuzzer
    grub-pc-bin grub-common xorriso mtools            # the GRUB ISO
    grub-efi-amd64-bin ovmf                           # the same ISO and PXE tree for UEFI, and UEFI under QEMU
    qemu-system-x86                                   # boot paths, no-VMX path (and KVM where it exists)
    bochs bochs-term bochsbios vgabios                # every test that enters a guest (headless: term)
    python3                                           # scripts/emulate.py, tests/boot/boottest.py
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
