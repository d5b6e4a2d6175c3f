#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Turns `nm -n` output on stdin into assembly for the image's .ksyms section: a count, a table of
# {address, name offset} sorted by address, and the names. Only text symbols are kept.
awk '
BEGIN { n = 0; off = 0 }
$2 ~ /^[tTwW]$/ && $3 !~ /^\./ && $3 !~ /^(__image_start|__text_end)$/ {
    addr[n] = $1; name[n] = $3; noff[n] = off; off += length($3) + 1; n++
}
END {
    print "\t.section .ksyms, \"a\""
    print "\t.balign 8"
    print "\t.globl ksyms_count, ksyms_table, ksyms_names"
    print "ksyms_count:\n\t.quad " n
    print "ksyms_table:"
    for (i = 0; i < n; i++) printf "\t.quad 0x%s\n\t.long %d, 0\n", addr[i], noff[i]
    print "ksyms_names:"
    for (i = 0; i < n; i++) printf "\t.asciz \"%s\"\n", name[i]
}'
