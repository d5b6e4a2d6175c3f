/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest-memory range check: usable RAM, not the hypervisor's, within the hypervisor's reach. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vm/guest_memory.h"

/* True when usable entries cover [start, last] without a gap. Each step moves past one entry. */
static bool usable_covers(const struct guest_memory *m, u64 start, u64 last)
{
    u64 at = start;
    for (u32 step = 0; step < m->count; step++) {
        const struct mem_entry *e = NULL;
        for (u32 i = 0; i < m->count && !e; i++)
            if (m->map[i].type == MEM_USABLE && at >= m->map[i].base && at - m->map[i].base < m->map[i].length)
                e = &m->map[i];
        if (!e)
            return false;
        u64 room = e->length - (at - e->base);      /* bytes of e from `at` on; no sum that could overflow */
        if (room > last - at)
            return true;
        at += room;
    }
    return false;
}

enum gpa_refusal guest_memory_check(const struct guest_memory *m, u64 gpa, u64 len)
{
    if (len == 0)
        return GPA_EMPTY;
    if (len - 1 > ~0ULL - gpa)
        return GPA_WRAPS;
    u64 last = gpa + len - 1;   /* the last byte: a range may end exactly at 2^64 */
    if (gpa < m->hv.end && m->hv.start <= last && m->hv.start < m->hv.end)
        return GPA_HYPERVISOR;
    if (!usable_covers(m, gpa, last))
        return GPA_NOT_RAM;
    if (last >= m->reach)
        return GPA_BEYOND_IDMAP;
    return GPA_OK;
}

const char *gpa_refusal_name(enum gpa_refusal why)
{
    switch (why) {
    case GPA_OK:            return "ok";
    case GPA_EMPTY:         return "zero-length";
    case GPA_WRAPS:         return "wraps";
    case GPA_HYPERVISOR:    return "hypervisor";
    case GPA_NOT_RAM:       return "not-ram";
    case GPA_BEYOND_IDMAP:  return "beyond-identity-map";
    }
    return "unknown";
}
