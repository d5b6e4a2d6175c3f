#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mkiso-linux.sh OUT.iso KERNEL INITRD "CMDLINE": a GRUB rescue ISO that boots a Linux kernel and its initrd
# directly, with no hypervisor: the baseline the Linux guest's log is compared with.
set -euo pipefail
out=$1 kernel=$2 initrd=$3 cmdline=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/iso/boot/grub"
cp "$kernel" "$dir/iso/boot/vmlinuz"
cp "$initrd" "$dir/iso/boot/initrd"
cat > "$dir/iso/boot/grub/grub.cfg" <<CFG
set timeout=0
menuentry "linux" {
    linux /boot/vmlinuz $cmdline
    initrd /boot/initrd
    boot
}
CFG
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$dir/iso" >/dev/null 2>"$dir/log" || { cat "$dir/log" >&2; exit 1; }
