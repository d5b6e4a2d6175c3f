/* SPDX-License-Identifier: BSD-2-Clause */
/* Where the hypervisor's block goes, and the fix-ups for a moved copy of the image (kernel/relocation.h). */
/* Pure: built for the host as well, for unit tests. */
#include "kernel/relocation.h"

static bool covered_by_usable(const struct mem_entry *map, u32 n, u64 start, u64 end)
{
    /* Walk up from start through usable entries; entries may be adjacent, overlapping or unsorted. */
    while (start < end) {
        u64 next = start;
        for (u32 i = 0; i < n; i++)
            if (map[i].type == MEM_USABLE && map[i].base <= start && map[i].base + map[i].length > start)
                next = MAX(next, map[i].base + map[i].length);
        if (next == start)
            return false;
        start = next;
    }
    return true;
}

static bool is_free(const struct mem_entry *map, u32 n, const struct range *avoid, u32 navoid, u64 a, u64 size)
{
    struct range r = { a, a + size };
    for (u32 i = 0; i < n; i++)
        if (map[i].type != MEM_USABLE && ranges_overlap(r, (struct range){ map[i].base, map[i].base + map[i].length }))
            return false;
    for (u32 i = 0; i < navoid; i++)
        if (ranges_overlap(r, avoid[i]))
            return false;
    return covered_by_usable(map, n, a, a + size);
}

/* A candidate block ends at an obstacle: the end of usable RAM, the limit, or the start of something to avoid.
 * The highest free block ends just below the lowest obstacle above it, so trying each obstacle finds it. */
static void try_below(const struct mem_entry *map, u32 n, const struct range *avoid, u32 navoid, u64 size,
                      u64 align, u64 floor, u64 limit, u64 end, u64 *best)
{
    end = MIN(end, limit);
    if (end < size)
        return;
    u64 a = ALIGN_DOWN(end - size, align);
    if (a >= floor && a > *best && is_free(map, n, avoid, navoid, a, size))
        *best = a;
}

u64 reloc_pick_top(const struct mem_entry *map, u32 n, const struct range *avoid, u32 navoid,
                   u64 size, u64 align, u64 floor, u64 limit)
{
    u64 best = 0;
    if (size == 0 || align == 0 || (align & (align - 1)))
        return 0;
    try_below(map, n, avoid, navoid, size, align, floor, limit, limit, &best);
    for (u32 i = 0; i < n; i++) {
        try_below(map, n, avoid, navoid, size, align, floor, limit, map[i].base + map[i].length, &best);
        if (map[i].type != MEM_USABLE)
            try_below(map, n, avoid, navoid, size, align, floor, limit, map[i].base, &best);
    }
    for (u32 i = 0; i < navoid; i++)
        try_below(map, n, avoid, navoid, size, align, floor, limit, avoid[i].start, &best);
    return best;
}

u64 reloc_block_size(u64 image_size, u32 cpus, u64 base, u64 per_cpu, u64 align)
{
    return ALIGN_UP(image_size + base + (u64)MAX(cpus, 1u) * per_cpu, align);
}

bool reloc_apply(u8 *image, u64 size, const u32 *table, u32 count, u64 delta)
{
    for (u32 i = 0; i < count; i++) {           /* check everything first: all or nothing */
        u64 off = table[i] & RELOC_OFFSET;
        u64 width = (table[i] & RELOC_WORD32) ? 4 : 8;
        if (off + width > size)
            return false;
        if (width == 4) {
            u32 v;
            __builtin_memcpy(&v, image + off, 4);
            if ((u64)v + delta > 0xffffffffULL)
                return false;
        }
    }
    for (u32 i = 0; i < count; i++) {
        u64 off = table[i] & RELOC_OFFSET;
        if (table[i] & RELOC_WORD32) {
            u32 v;
            __builtin_memcpy(&v, image + off, 4);
            v = (u32)(v + delta);
            __builtin_memcpy(image + off, &v, 4);
        } else {
            u64 v;
            __builtin_memcpy(&v, image + off, 8);
            v += delta;
            __builtin_memcpy(image + off, &v, 8);
        }
    }
    return true;
}
