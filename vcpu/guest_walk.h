/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest linear-to-physical translation through the guest's own page tables (pure: unit-tested on the host). */
#ifndef VCPU_GUEST_WALK_H
#define VCPU_GUEST_WALK_H

#include "kernel/types.h"

/*
 * Sets `bits` (accessed, dirty) in the paging-structure entry at guest-physical `gpa`, 4 bytes wide for
 * 32-bit paging, else 8: the CPU does so on every walk (SDM Vol. 3A 4.8).
 */
typedef void (*gpa_mark_fn)(void *ctx, u64 gpa, bool entry32, u64 bits);

struct guest_paging {
    u64 cr0, cr3, cr4, efer;
    u64 pdpte[4];               /* PAE paging: the PDPTEs the CPU loaded (VMCS GUEST_PDPTE0-3) */
    bool user;                  /* the access is made at CPL 3 */
    gpa_mark_fn mark;           /* NULL: leave accessed/dirty alone */
};

/* Reads the 8 aligned bytes at guest-physical gpa; false when that is not guest RAM. */
typedef bool (*gpa_read_fn)(void *ctx, u64 gpa, u64 *value);

enum walk_result {
    WALK_OK,
    WALK_NOT_PRESENT,           /* #PF, P = 0 in the error code */
    WALK_PROTECTION,            /* #PF, P = 1: a write to a read-only page (CR0.WP or CPL 3), or CPL 3 to a
                                   supervisor page */
    WALK_BAD_TABLE,             /* a paging structure is not in guest RAM */
};

/* The paging-structure entries one walk read, top level first (none without paging). */
struct walk_trail {
    u64 at[4];                  /* their guest-physical addresses */
    u64 entry[4];               /* their values as read (4-byte entries zero-extended) */
    int n;
    bool entry32;               /* 32-bit paging: 4-byte entries */
};

/*
 * Translates `linear` as the guest's paging mode does (SDM Vol. 3A chapter 4): none (CR0.PG = 0), 32-bit,
 * PAE, or 4-level, with the user/supervisor and read/write checks, and sets the accessed and dirty bits it
 * would set. 5-level paging (CR4.LA57) is not supported and reports WALK_BAD_TABLE. Execute and protection
 * keys are not checked: the hypervisor walks only for data accesses (INS/OUTS).
 */
enum walk_result guest_walk(const struct guest_paging *p, u64 linear, bool write, gpa_read_fn read, void *ctx,
                            u64 *gpa);

/*
 * guest_walk that also hands back the entries it read (on WALK_OK), for a caller that remembers the
 * translation: the same paging state, linear page and entries give the same result (guest_linear.c).
 */
enum walk_result guest_walk_trail(const struct guest_paging *p, u64 linear, bool write, gpa_read_fn read, void *ctx,
                                  u64 *gpa, struct walk_trail *trail);

/*
 * One remembered translation. It is used only while the paging state (CR0, CR3, CR4, EFER, PDPTEs, CPL 3), the
 * linear page, the access and every entry the remembered walk read are the same: then a new walk would read the
 * same entries and find the same page, so there is nothing to invalidate (a guest may change its tables without
 * a TLB flush the hypervisor could see, or reload CR3 with the same value: the entries are re-read each time).
 */
struct walk_memo {
    bool valid;
    bool write;
    struct guest_paging key;
    u64 page;                   /* linear >> 12 */
    u64 gpa_page;               /* the translation, page-aligned */
    struct walk_trail trail;
};

/*
 * guest_walk through a memo: a hit when the memo matches (above), each remembered entry read again with `reread`,
 * else a full walk with `read`, remembered when it succeeds. `reread` may skip the checks `read` makes of the
 * address, which the first walk made already.
 */
enum walk_result guest_walk_memo(struct walk_memo *m, const struct guest_paging *p, u64 linear, bool write,
                                 gpa_read_fn read, gpa_read_fn reread, void *ctx, u64 *gpa);

#endif
