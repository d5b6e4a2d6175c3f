/* SPDX-License-Identifier: BSD-2-Clause */
/* Free guest-physical RAM for the loaders: what is still free, and one allocator for the guest's boot data. */
#ifndef VM_GPA_SPACE_H
#define VM_GPA_SPACE_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

#define GPA_SPACE_MAX 64        /* free ranges; each reservation splits at most one into two */
#define GPA_NONE      (~0ULL)

/*
 * The guest's free RAM as sorted, disjoint, page-aligned ranges. A loader starts from the guest's memory map,
 * reserves what is spoken for (the kernel's image and BSS, the modules it still copies from), then allocates
 * its boot data (information blocks, command lines, module copies, the Linux zero page and initrd) from what is
 * left, so that nothing it writes lands on anything it loaded.
 */
struct gpa_space {
    u32 count;
    struct range free[GPA_SPACE_MAX];
};

enum gpa_pick { GPA_LOWEST, GPA_HIGHEST };

/* Starts from the usable entries of `map` (touching or overlapping entries merge), each shrunk to whole pages. */
void gpa_space_init(struct gpa_space *s, const struct mem_entry *map, u32 n);

/* Takes [r.start, r.end) (widened to whole pages) out of the free ranges. False only when the ranges would
 * overflow GPA_SPACE_MAX (the space is left as it was). Reserving what is not free is fine: nothing happens. */
bool gpa_reserve(struct gpa_space *s, struct range r);

/* True when every byte of r is free. */
bool gpa_is_free(const struct gpa_space *s, struct range r);

/*
 * Finds `size` bytes (a whole number of pages is taken) at an `align`-aligned address (a power of two, at least
 * a page) inside `within`, the lowest or the highest such place; reserves it and returns its address, or
 * GPA_NONE when nothing fits.
 */
u64 gpa_alloc(struct gpa_space *s, u64 size, u64 align, struct range within, enum gpa_pick pick);

#endif
