/* SPDX-License-Identifier: BSD-2-Clause */
/* The image's own symbol table: bounds it to the text section, then asks ksym_find. */
#include "kernel/ksyms.h"

extern const u64 ksyms_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];
extern const char __image_start[], __text_end[];

const char *ksym_lookup(u64 addr, u64 *offset)
{
    if (addr < (u64)__image_start || addr >= (u64)__text_end)
        return NULL;
    return ksym_find(ksyms_table, ksyms_count, ksyms_names, addr, offset);
}
