/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical page allocator over free ranges. First fit upward from `prefer`, so the hypervisor's memory
 * grows as one block above its image (see kernel/memlayout.h); below it only when the space above is gone. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/pmm.h"
#include "kernel/assert.h"
#include "kernel/memlayout.h"

static void remove_at(struct pmm *p, u32 i)
{
    for (; i + 1 < p->count; i++)
        p->free[i] = p->free[i + 1];
    p->count--;
}

static bool insert_at(struct pmm *p, u32 i, struct range r)
{
    if (p->count == PMM_MAX_RANGES)
        return false;
    for (u32 j = p->count; j > i; j--)
        p->free[j] = p->free[j - 1];
    p->free[i] = r;
    p->count++;
    return true;
}

/* Adds [start, end) to the free set, merging with neighbours. The range must not overlap free memory. */
static bool add_range(struct pmm *p, u64 start, u64 end)
{
    u32 i = 0;
    if (start >= end)
        return true;
    while (i < p->count && p->free[i].end < start)
        i++;
    if (i < p->count && p->free[i].end == start) {
        p->free[i].end = end;
        if (i + 1 < p->count && p->free[i + 1].start == end) {
            p->free[i].end = p->free[i + 1].end;
            remove_at(p, i + 1);
        }
        return true;
    }
    if (i < p->count && p->free[i].start == end) {
        p->free[i].start = start;
        return true;
    }
    return insert_at(p, i, (struct range){ start, end });
}

/* Removes [start, end) from the free set wherever it overlaps; may split one range in two. */
static bool remove_range(struct pmm *p, u64 start, u64 end)
{
    for (u32 i = 0; i < p->count; i++) {
        struct range r = p->free[i];
        if (r.end <= start || r.start >= end)
            continue;
        if (r.start < start && r.end > end) {
            p->free[i].end = start;
            return insert_at(p, i + 1, (struct range){ end, r.end });
        }
        if (r.start < start) {
            p->free[i].end = start;
        } else if (r.end > end) {
            p->free[i].start = end;
        } else {
            remove_at(p, i);
            i--;
        }
    }
    return true;
}

static u64 count_pages(const struct pmm *p)
{
    u64 n = 0;
    for (u32 i = 0; i < p->count; i++)
        n += (p->free[i].end - p->free[i].start) / PAGE_SIZE;
    return n;
}

bool pmm_init(struct pmm *p, const struct mem_entry *map, u32 n, const struct range *exclude, u32 nexclude,
              u64 limit, u64 prefer)
{
    p->count = 0;
    p->prefer = prefer;
    p->high_water = 0;
    for (u32 i = 0; i < n; i++) {
        if (map[i].type != MEM_USABLE)
            continue;
        u64 start = ALIGN_UP(map[i].base, PAGE_SIZE);
        u64 end = ALIGN_DOWN(map[i].base + map[i].length, PAGE_SIZE);
        if (end > start) {
            /* Overlapping usable entries: take out what is already there, then add the whole. */
            if (!remove_range(p, start, end) || !add_range(p, start, end))
                return false;
        }
    }
    bool ok = true;
    for (u32 i = 0; i < n; i++)
        if (map[i].type != MEM_USABLE)
            ok &= remove_range(p, ALIGN_DOWN(map[i].base, PAGE_SIZE),
                               ALIGN_UP(map[i].base + map[i].length, PAGE_SIZE));
    for (u32 i = 0; i < nexclude; i++)
        ok &= remove_range(p, ALIGN_DOWN(exclude[i].start, PAGE_SIZE), ALIGN_UP(exclude[i].end, PAGE_SIZE));
    ok &= remove_range(p, 0, HV_LOW_RESERVED);
    ok &= remove_range(p, limit, ~0ULL);
    p->free_pages = count_pages(p);
    return ok;
}

static u64 take(struct pmm *p, u64 start, u64 pages)
{
    u64 end = start + pages * PAGE_SIZE;
    /* Taking from a range edge never splits; taking from its middle (at `prefer`) may. */
    if (!remove_range(p, start, end))
        return 0;
    p->free_pages -= pages;
    p->high_water = MAX(p->high_water, end);
    return start;
}

u64 pmm_alloc(struct pmm *p, u64 pages)
{
    u64 bytes = pages * PAGE_SIZE;

    if (pages == 0)
        return 0;
    for (u32 i = 0; i < p->count; i++) {
        u64 start = MAX(p->free[i].start, p->prefer);
        if (start < p->free[i].end && p->free[i].end - start >= bytes)
            return take(p, start, pages);
    }
    for (u32 i = 0; i < p->count; i++)
        if (p->free[i].end - p->free[i].start >= bytes)
            return take(p, p->free[i].start, pages);
    return 0;
}

void pmm_free(struct pmm *p, u64 addr, u64 pages)
{
    u64 end = addr + pages * PAGE_SIZE;

    ASSERT(addr % PAGE_SIZE == 0 && pages > 0);
    for (u32 i = 0; i < p->count; i++)
        ASSERT(!ranges_overlap(p->free[i], (struct range){ addr, end }));
    bool ok = add_range(p, addr, end);
    ASSERT(ok);
    p->free_pages += pages;
}

void pmm_restrict(struct pmm *p, u64 start, u64 end)
{
    remove_range(p, 0, start);      /* removing only shrinks or drops ranges: it cannot fail */
    remove_range(p, end, ~0ULL);
    p->free_pages = count_pages(p);
}
