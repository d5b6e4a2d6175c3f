/* SPDX-License-Identifier: BSD-2-Clause */
/* The image's own symbol table: bounds it to the text section, then asks ksym_find. The table holds link-time
 * addresses (scripts/mksyms.sh); the image runs wherever early boot moved it, so lookups translate. */
#include "kernel/ksyms.h"
#include "kernel/memlayout.h"

extern const u64 ksyms_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];
extern const char __image_start[], __text_end[];

const char *ksym_lookup(u64 addr, u64 *offset)
{
    if (addr < (u64)__image_start || addr >= (u64)__text_end)
        return NULL;
    return ksym_find(ksyms_table, ksyms_count, ksyms_names, addr - (u64)__image_start + HV_LOAD_ADDR, offset);
}
