/* SPDX-License-Identifier: BSD-2-Clause */
/* Symbol lookup by binary search: the last symbol at or below the address. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/ksyms.h"

const char *ksym_find(const struct ksym *table, u64 count, const char *names, u64 addr, u64 *offset)
{
    u64 lo = 0, hi = count;

    if (count == 0 || addr < table[0].addr)
        return NULL;
    while (hi - lo > 1) {
        u64 mid = lo + (hi - lo) / 2;
        if (table[mid].addr <= addr)
            lo = mid;
        else
            hi = mid;
    }
    *offset = addr - table[lo].addr;
    return names + table[lo].name;
}
