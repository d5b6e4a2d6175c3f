/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest page walk: 32-bit (with 4 MiB pages), PAE and 4-level paging (SDM Vol. 3A 4.3-4.5). */
#include "vcpu/guest_walk.h"
#include "kernel/x86_regs.h"

#define PTE_P       BIT(0)
#define PTE_RW      BIT(1)
#define PTE_PS      BIT(7)
#define ADDR_MASK   0x000FFFFFFFFFF000ULL

static bool read32(gpa_read_fn read, void *ctx, u64 gpa, u64 *value)
{
    u64 q;
    if (!read(ctx, gpa & ~7ULL, &q))
        return false;
    *value = (u32)(q >> (8 * (gpa & 4)));
    return true;
}

/* Walks levels of 64-bit entries from `table` down; `level` 4 = PML4 ... 1 = PT. */
static enum walk_result walk64(u64 table, int level, u64 linear, bool write, bool wp, gpa_read_fn read,
                               void *ctx, u64 *gpa)
{
    bool writable = true;
    for (; level >= 1; level--) {
        u64 e;
        unsigned shift = 12 + 9 * (level - 1);
        if (!read(ctx, (table & ADDR_MASK) + ((linear >> shift) & 0x1FF) * 8, &e))
            return WALK_BAD_TABLE;
        if (!(e & PTE_P))
            return WALK_NOT_PRESENT;
        writable &= !!(e & PTE_RW);
        if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
            if (write && wp && !writable)
                return WALK_READ_ONLY;
            u64 page = BIT(shift) - 1;
            *gpa = (e & ADDR_MASK & ~page) | (linear & page);
            return WALK_OK;
        }
        table = e;
    }
    return WALK_BAD_TABLE;
}

enum walk_result guest_walk(const struct guest_paging *p, u64 linear, bool write, gpa_read_fn read, void *ctx,
                            u64 *gpa)
{
    bool wp = p->cr0 & CR0_WP;

    if (!(p->cr0 & CR0_PG)) {
        *gpa = linear & 0xFFFFFFFF;
        return WALK_OK;
    }
    if (p->efer & EFER_LMA) {
        if (p->cr4 & CR4_LA57)
            return WALK_BAD_TABLE;
        return walk64(p->cr3, 4, linear, write, wp, read, ctx, gpa);
    }
    if (p->cr4 & CR4_PAE) {
        u64 pdpte = p->pdpte[(linear >> 30) & 3];
        if (!(pdpte & PTE_P))
            return WALK_NOT_PRESENT;
        return walk64(pdpte, 2, linear & 0xFFFFFFFF, write, wp, read, ctx, gpa);
    }
    /* 32-bit paging: 4-byte entries, 4 MiB pages with CR4.PSE (PSE-36 bits 20:13 give bits 39:32). */
    u64 pde, pte;
    u32 lin = (u32)linear;
    if (!read32(read, ctx, (p->cr3 & 0xFFFFF000) + (lin >> 22) * 4, &pde))
        return WALK_BAD_TABLE;
    if (!(pde & PTE_P))
        return WALK_NOT_PRESENT;
    if ((pde & PTE_PS) && (p->cr4 & CR4_PSE)) {
        if (write && wp && !(pde & PTE_RW))
            return WALK_READ_ONLY;
        *gpa = (pde & 0xFFC00000) | ((pde >> 13 & 0xFF) << 32) | (lin & 0x3FFFFF);
        return WALK_OK;
    }
    if (!read32(read, ctx, (pde & 0xFFFFF000) + ((lin >> 12) & 0x3FF) * 4, &pte))
        return WALK_BAD_TABLE;
    if (!(pte & PTE_P))
        return WALK_NOT_PRESENT;
    if (write && wp && !((pde & PTE_RW) && (pte & PTE_RW)))
        return WALK_READ_ONLY;
    *gpa = (pte & 0xFFFFF000) | (lin & 0xFFF);
    return WALK_OK;
}
