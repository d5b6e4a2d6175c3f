#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# mkiso.sh OUT.iso IMAGE.elf "CMDLINE" [ENTRY]: a GRUB rescue ISO that boots IMAGE with CMDLINE.
# ENTRY 0 (default) boots through multiboot2, 1 through multiboot1.
set -euo pipefail
out=$1 image=$2 cmdline=${3:-} entry=${4:-0}
here=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/iso/boot/grub"
cp "$image" "$dir/iso/boot/hypervisor.elf"
sed -e "s|@CMDLINE@|${cmdline//|/\\|}|" -e "s|^set default=0|set default=$entry|" \
    "$here/iso/grub.cfg" > "$dir/iso/boot/grub/grub.cfg"
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$dir/iso" >/dev/null 2>"$dir/log" || { cat "$dir/log" >&2; exit 1; }
