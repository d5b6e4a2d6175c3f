/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest-memory range check: usable RAM, not the hypervisor's, within the hypervisor's reach. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vm/guest_memory.h"

void guest_memory_init(struct guest_memory *m, const struct mem_entry *map, u32 count, struct range hv, u64 reach)
{
    m->spans = 0;
    m->hv = hv;
    m->reach = reach;
    /* Insertion by first byte: the map is short, and firmware may list it in any order. */
    for (u32 i = 0; i < count && m->spans < BOOT_MAX_MMAP; i++) {
        const struct mem_entry *e = &map[i];
        if (e->type != MEM_USABLE || e->length == 0)
            continue;
        struct ram_span s = { e->base, e->length - 1 > ~0ULL - e->base ? ~0ULL : e->base + e->length - 1 };
        u32 at = m->spans++;
        for (; at > 0 && m->span[at - 1].first > s.first; at--)
            m->span[at] = m->span[at - 1];
        m->span[at] = s;
    }
    /* Merge spans that overlap or touch: each later one starts after the one before it ends, with a gap. */
    u32 out = 0;
    for (u32 i = 0; i < m->spans; i++) {
        struct ram_span *prev = out ? &m->span[out - 1] : NULL;
        if (prev && (prev->last == ~0ULL || m->span[i].first <= prev->last + 1))
            prev->last = MAX(prev->last, m->span[i].last);
        else
            m->span[out++] = m->span[i];
    }
    m->spans = out;
}

/* True when one span holds [start, last]: between spans there is always a gap. */
static bool usable_covers(const struct guest_memory *m, u64 start, u64 last)
{
    for (u32 i = 0; i < m->spans && m->span[i].first <= start; i++)
        if (start <= m->span[i].last)
            return last <= m->span[i].last;
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
