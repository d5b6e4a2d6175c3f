/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical page allocator: a sorted set of free page ranges, built from the boot memory map. */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

#define PMM_MAX_RANGES 64

struct pmm {
    u32 count;
    struct range free[PMM_MAX_RANGES];  /* sorted, disjoint, page-aligned, never adjacent */
    u64 prefer;                         /* allocate at or above this address while there is room */
    u64 free_pages;
    u64 high_water;                     /* end of the highest page ever handed out */
};

/*
 * Free memory = usable map entries below `limit`, shrunk to whole pages, minus any non-usable entry that
 * overlaps them (firmware maps are not always disjoint), minus the first MiB, minus each `exclude` range.
 * Returns false if that set is too fragmented to track.
 */
bool pmm_init(struct pmm *p, const struct mem_entry *map, u32 n, const struct range *exclude, u32 nexclude,
              u64 limit, u64 prefer);

/* Returns the physical address of `pages` contiguous free pages, or 0 when there is no such run. */
u64 pmm_alloc(struct pmm *p, u64 pages);

/* Returns pages to the free set; they must have come from pmm_alloc. */
void pmm_free(struct pmm *p, u64 addr, u64 pages);

/* Drops every free page outside [start, end): later allocations stay inside that block or fail. */
void pmm_restrict(struct pmm *p, u64 start, u64 end);

#endif
