#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mkpxe.sh OUTDIR IMAGE.elf "CMDLINE" [ENTRY [MODULE "MODULE CMDLINE"]...]: a TFTP tree that boots IMAGE over PXE.
# BIOS PXE -> boot/grub/i386-pc/core.0, UEFI PXE -> boot/grub/x86_64-efi/core.efi (GRUB, iso/grub.cfg, ENTRY 0 is
# multiboot2), iPXE -> boot/hypervisor.ipxe (iPXE's multiboot1). Everything else in OUTDIR/boot is replaced.
set -euo pipefail
out=$1 image=$2 cmdline=${3:-} entry=${4:-0}
shift $(($# < 4 ? $# : 4))
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$out/boot"
mkdir -p "$out/boot"
cp "$image" "$out/boot/hypervisor.elf"
mods2= mods1= ipxe= n=0
while [ $# -ge 2 ]; do
    cp "$1" "$out/boot/module$n"
    mods2+="    module2 /boot/module$n $2"$'\n'
    mods1+="    module /boot/module$n $2"$'\n'
    ipxe+="module /boot/module$n $2"$'\n'
    n=$((n + 1))
    shift 2
done
[ $# -eq 0 ] || { echo "mkpxe.sh: a module needs a file and a command line" >&2; exit 2; }

# GRUB's netboot images; each platform's own grub.cfg sources boot/grub/grub.cfg from the TFTP root.
for platform in i386-pc x86_64-efi; do
    [ -d "/usr/lib/grub/$platform" ] || { echo "mkpxe.sh: no GRUB $platform: run scripts/install-deps.sh" >&2; exit 1; }
    grub-mknetdir --net-directory="$out" --subdir=boot/grub -d "/usr/lib/grub/$platform" >/dev/null
done

# TEMPLATE OUT MODULES1: fills in the command line, the default entry and the module lines (not in comments).
fill() {
    MODS2=$mods2 MODS1=$3 awk -v cmdline="$cmdline" -v entry="$entry" '
        /^#/ { print; next }
        /^set default=0/ { print "set default=" entry; next }
        /@MODULES2@/ { printf "%s", ENVIRON["MODS2"]; next }
        /@MODULES1@/ { printf "%s", ENVIRON["MODS1"]; next }
        { gsub(/@CMDLINE@/, cmdline); print }' "$1" > "$2"
}
# The ISO's menu: "/boot/..." resolves against GRUB's root, which netboot sets to the TFTP server.
fill "$here/iso/grub.cfg" "$out/boot/grub/grub.cfg" "$mods1"
fill "$here/iso/hypervisor.ipxe" "$out/boot/hypervisor.ipxe" "$ipxe"
