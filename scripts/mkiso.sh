#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mkiso.sh OUT.iso IMAGE.elf "CMDLINE" [ENTRY [MODULE "MODULE CMDLINE"]...]: a GRUB rescue ISO that boots
# IMAGE with CMDLINE, and the given modules (guest images) with their command lines.
# ENTRY 0 (default) boots through multiboot2, 1 through multiboot1.
set -euo pipefail
out=$1 image=$2 cmdline=${3:-} entry=${4:-0}
shift $(($# < 4 ? $# : 4))
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/iso/boot/grub"
cp "$image" "$dir/iso/boot/hypervisor.elf"
mods2= mods1= n=0
while [ $# -ge 2 ]; do
    cp "$1" "$dir/iso/boot/module$n"
    mods2+="    module2 /boot/module$n $2"$'\n'
    mods1+="    module /boot/module$n $2"$'\n'
    n=$((n + 1))
    shift 2
done
[ $# -eq 0 ] || { echo "mkiso.sh: a module needs a file and a command line" >&2; exit 2; }
MODS2=$mods2 MODS1=$mods1 awk -v cmdline="$cmdline" -v entry="$entry" '
    /^set default=0/ { print "set default=" entry; next }
    /@MODULES2@/ { printf "%s", ENVIRON["MODS2"]; next }
    /@MODULES1@/ { printf "%s", ENVIRON["MODS1"]; next }
    { gsub(/@CMDLINE@/, cmdline); print }' "$here/iso/grub.cfg" > "$dir/iso/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
# grub-mkrescue makes a hybrid BIOS + UEFI ISO when GRUB's x86_64-efi modules are installed.
[ -d /usr/lib/grub/x86_64-efi ] || echo "mkiso.sh: warning: no grub-efi-amd64-bin, the ISO boots under BIOS only" >&2
grub-mkrescue -o "$out" "$dir/iso" >/dev/null 2>"$dir/log" || { cat "$dir/log" >&2; exit 1; }
