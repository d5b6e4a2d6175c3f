/* SPDX-License-Identifier: BSD-2-Clause */
/* The hypervisor's physical memory: its own image, and pages from the allocator. */
#ifndef KERNEL_MEMORY_H
#define KERNEL_MEMORY_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

/* The image as loaded: text, data, symbols and bss. */
struct range hv_image_range(void);

/* The hypervisor's block: the image, then the pages the allocator hands out (valid after memory_init). */
struct range hv_block_range(void);

/* Builds the page allocator from the boot memory map, over the `block_size` bytes from the image's start only.
 * Returns false (after saying why) on failure. */
bool memory_init(const struct boot_info *bi, u64 block_size);

/* Zeroed, contiguous pages; 0 when memory is exhausted (the caller must check). */
u64 page_alloc(u64 pages);
void page_free(u64 addr, u64 pages);

/* Reports the hypervisor's block and how much of it is in use; returns the block, which guests never see. */
struct range memory_seal(void);

/* KiB of usable RAM in the boot memory map outside `hv`, summed per entry: what the guest gets. */
u64 memory_guest_kib(const struct boot_info *bi, struct range hv);

/* KiB the page allocator has free now (after memory_seal: free in the sealed block). */
u64 memory_free_kib(void);

/* A checksum of the image's text, which nothing may change: a guest touching it would show here. */
u64 memory_text_checksum(void);

/* Prints the boot memory map, one line per entry. */
void memory_print_map(const struct boot_info *bi);

#endif
