/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest-physical memory the hypervisor may touch for the guest: the range check, and why a range is refused. */
#ifndef VM_GUEST_MEMORY_H
#define VM_GUEST_MEMORY_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

/*
 * Why the hypervisor will not touch [gpa, gpa + len) for the guest, checked in this order. The accessor is
 * guest_ptr() (vm/vm.h); this is its range logic, pure so that the host tests reach every edge.
 */
enum gpa_refusal {
    GPA_OK,
    GPA_EMPTY,              /* len 0: nothing to reach, and a check of nothing proves nothing */
    GPA_WRAPS,              /* gpa + len runs past the top of the 64-bit guest-physical space */
    GPA_HYPERVISOR,         /* a byte of the hypervisor's sealed block, never mapped for the guest */
    GPA_NOT_RAM,            /* a byte that no usable memory-map entry covers: MMIO, reserved, ACPI, a hole */
    GPA_BEYOND_IDMAP,       /* RAM, but above what the hypervisor's own identity map reaches (4 GiB) */
};

/* Usable RAM from first to last inclusive (a span may end at 2^64). */
struct ram_span {
    u64 first, last;
};

/*
 * The guest's memory as the hypervisor sees it: the machine's usable RAM, its own block cut out, its own reach.
 * The map's usable entries are merged once (guest_memory_init) into sorted spans with a gap between any two,
 * so that a check, which runs several times for each emulated instruction (page walk, fetch), is one scan of
 * a few spans and not a rescan of the map for each entry it crosses.
 */
struct guest_memory {
    struct ram_span span[BOOT_MAX_MMAP];
    u32 spans;
    struct range hv;            /* the hypervisor's block */
    u64 reach;                  /* the hypervisor maps guest-physical [0, reach) at the same address */
};

/* Builds `m` from a memory map (in any order; usable entries that touch or overlap become one span). */
void guest_memory_init(struct guest_memory *m, const struct mem_entry *map, u32 count, struct range hv, u64 reach);

/* GPA_OK when every byte of [gpa, gpa + len) is usable RAM, outside `hv`, below `reach`; else the first reason
 * that applies. Usable entries that touch one another count as one range (firmware may split RAM). */
enum gpa_refusal guest_memory_check(const struct guest_memory *m, u64 gpa, u64 len);

/* A short fixed token for reports and messages: "hypervisor", "not-ram", ... */
const char *gpa_refusal_name(enum gpa_refusal why);

#endif
