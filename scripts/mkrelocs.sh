#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Turns the relocations a link kept (ld --emit-relocs) into assembly for the image's .relocs section: the fix-up
# table early boot applies to a moved copy of the image (kernel/relocation.h). One u32 per absolute address in the
# loaded image, its offset from __image_start, bit 31 set for a 32-bit field. PC-relative relocations need nothing;
# any other kind (a sign-extended 32-bit address, which breaks above 2 GiB) stops the build.
# Usage: mkrelocs.sh IMAGE.elf (no argument: an empty table, for the first link pass).
set -e
if [ -z "$1" ]; then
    printf '\t.section .relocs, "a"\n\t.balign 4\n\t.globl relocs_count, relocs_table\nrelocs_count:\n\t.long 0\nrelocs_table:\n'
    exit 0
fi
start=$(nm "$1" | awk '$3 == "__image_start" { print $1 }')
end=$(nm "$1" | awk '$3 == "__load_end" { print $1 }')
readelf -rW "$1" | awk -v start="$start" -v end="$end" '
function hex(s,   i, c, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c } return v }
BEGIN { lo = hex(start); hi = hex(end); n = 0; bad = 0 }
/^Relocation section/ { sec = $3; gsub(/\047/, "", sec); next }
sec ~ /^\.rela\.debug/ || sec == "" { next }
$3 ~ /^R_X86_64_/ {
    off = hex($1)
    if (off < lo || off >= hi) next
    t = $3
    if (t == "R_X86_64_PC32" || t == "R_X86_64_PLT32" || t == "R_X86_64_PC64" || t == "R_X86_64_NONE") next
    if (t == "R_X86_64_64") { e[n++] = sprintf("0x%x", off - lo); next }
    if (t == "R_X86_64_32") { e[n++] = sprintf("0x%x", off - lo + 2147483648); next }
    printf "error: %s at %s (%s): not relocatable; use RIP-relative addressing\n", t, $1, $5 > "/dev/stderr"
    bad = 1
}
END {
    if (bad) exit 1
    print "\t.section .relocs, \"a\""
    print "\t.balign 4"
    print "\t.globl relocs_count, relocs_table"
    print "relocs_count:\n\t.long " n
    print "relocs_table:"
    for (i = 0; i < n; i++) print "\t.long " e[i]
}'
