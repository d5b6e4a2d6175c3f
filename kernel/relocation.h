/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Moving the hypervisor to the top of RAM below 4 GiB: where its block goes, and the fix-ups that make a copy of
 * the image run there. The loaders put the image at its link address (HV_LOAD_ADDR); early boot copies it up
 * (boot/relocate.c) so the guest's low RAM stays one range from 1 MiB.
 */
#ifndef KERNEL_RELOCATION_H
#define KERNEL_RELOCATION_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

/*
 * The highest `align`-aligned address A such that [A, A + size) lies in usable RAM (the union of the usable
 * entries, so adjacent entries count as one), at or above `floor`, at or below `limit`, and overlaps no
 * non-usable entry (firmware maps overlap) and none of the `avoid` ranges. Returns 0 when there is no such place.
 */
u64 reloc_pick_top(const struct mem_entry *map, u32 n, const struct range *avoid, u32 navoid,
                   u64 size, u64 align, u64 floor, u64 limit);

/* The block's size: the image, `base`, `per_cpu` for each of `cpus` (at least one), rounded up to `align`. */
u64 reloc_block_size(u64 image_size, u32 cpus, u64 base, u64 per_cpu, u64 align);

/*
 * The fix-up table the build appends to the image (scripts/mkrelocs.sh): one u32 per absolute address in the
 * image, its offset from the image start, with RELOC_WORD32 set for a 32-bit field (else 64-bit).
 */
#define RELOC_WORD32    0x80000000u
#define RELOC_OFFSET    0x7fffffffu

/*
 * Adds `delta` to every address the table lists in `image` (a copy of `size` bytes). Returns false, changing
 * nothing, when an entry lies outside the image or a 32-bit field would not hold its moved value.
 */
bool reloc_apply(u8 *image, u64 size, const u32 *table, u32 count, u64 delta);

#endif
