/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest linear-to-physical translation through the guest's own page tables (pure: unit-tested on the host). */
#ifndef VCPU_GUEST_WALK_H
#define VCPU_GUEST_WALK_H

#include "kernel/types.h"

struct guest_paging {
    u64 cr0, cr3, cr4, efer;
    u64 pdpte[4];               /* PAE paging: the PDPTEs the CPU loaded (VMCS GUEST_PDPTE0-3) */
};

/* Reads the 8 aligned bytes at guest-physical gpa; false when that is not guest RAM. */
typedef bool (*gpa_read_fn)(void *ctx, u64 gpa, u64 *value);

enum walk_result {
    WALK_OK,
    WALK_NOT_PRESENT,           /* #PF, P = 0 in the error code */
    WALK_READ_ONLY,             /* #PF, P = 1: a supervisor write to a read-only page with CR0.WP = 1 */
    WALK_BAD_TABLE,             /* a paging structure is not in guest RAM */
};

/*
 * Translates `linear` as the guest's paging mode does (SDM Vol. 3A chapter 4): none (CR0.PG = 0), 32-bit,
 * PAE, or 4-level. Supervisor accesses only (the hypervisor emulates for CPL 0 and for INS/OUTS, which
 * the hardware already checked). 5-level paging (CR4.LA57) is not supported and reports WALK_BAD_TABLE.
 */
enum walk_result guest_walk(const struct guest_paging *p, u64 linear, bool write, gpa_read_fn read, void *ctx,
                            u64 *gpa);

#endif
