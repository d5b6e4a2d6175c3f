/* SPDX-License-Identifier: BSD-2-Clause */
/* Early boot, before the image moves: the loader's information, parsed once, and where the image went. */
#ifndef BOOT_RELOCATE_H
#define BOOT_RELOCATE_H

#include "kernel/multiboot.h"
#include "kernel/types.h"

/* Why the image stayed at its load address. */
enum reloc_stay {
    RELOC_MOVED = 0,
    RELOC_STAY_NO_INFO,         /* the boot information did not parse (kmain reports why) */
    RELOC_STAY_NO_ROOM,         /* no free place for the block anywhere below 4 GiB */
    RELOC_STAY_HIGHEST,         /* the load address is already the highest free place */
    RELOC_STAY_BAD_FIXUP,       /* the fix-up table did not fit the image (a build error) */
};

/* Written before the copy, so the copy has it too. Plain values only: a pointer into the image would still point
 * at the load address after the move. */
struct early_boot {
    bool parsed;                /* info holds the loader's information; else err says why not */
    char err[160];
    struct boot_info info;
    u64 loaded_at;              /* where the loader put the image */
    u64 runs_at;                /* where it runs: the start of the hypervisor's block */
    u64 block_size;             /* the block's size, for `cpus` CPUs */
    u32 cpus;                   /* CPUs the MADT lists as enabled (1 without ACPI) */
    enum reloc_stay stay;
};

extern struct early_boot early_boot;

/*
 * Called from boot/entry.S in 64-bit mode at the load address, on the boot page tables: parses the boot
 * information, sizes the hypervisor's block for the CPUs the MADT lists, picks the highest free place for it below 4 GiB, copies the image there and fixes it up.
 * Returns the distance moved (0 when it stays); entry.S jumps into the copy.
 */
u64 boot_relocate(u32 magic, u32 info_addr);

#endif
