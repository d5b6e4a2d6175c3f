/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest page walk: 32-bit (with 4 MiB pages), PAE and 4-level paging (SDM Vol. 3A 4.3-4.5). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/guest_walk.h"
#include "kernel/x86_regs.h"

#define PTE_P       BIT(0)
#define PTE_RW      BIT(1)
#define PTE_US      BIT(2)
#define PTE_A       BIT(5)
#define PTE_D       BIT(6)
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


/*
 * Checks the access against the rights every level granted (SDM Vol. 3A 4.6), then marks the trail: like the
 * CPU, only entries whose accessed (leaf: dirty) flag is not set yet (SDM Vol. 3A 4.8), so that the common walk
 * through tables in use writes nothing.
 */
static enum walk_result finish(const struct guest_paging *p, bool write, bool writable, bool user_ok,
                               const struct walk_trail *t, void *ctx)
{
    bool wp = p->cr0 & CR0_WP;
    if ((p->user && !user_ok) || (write && !writable && (p->user || wp)))
        return WALK_PROTECTION;
    if (p->mark) {
        for (int i = 0; i < t->n; i++) {
            u64 bits = PTE_A | (write && i == t->n - 1 ? PTE_D : 0);
            if ((t->entry[i] & bits) != bits)
                p->mark(ctx, t->at[i], t->entry32, bits);
        }
    }
    return WALK_OK;
}

/* Walks levels of 64-bit entries from `table` down; `level` 4 = PML4 ... 1 = PT. */
static enum walk_result walk64(const struct guest_paging *p, u64 table, int level, u64 linear, bool write,
                               gpa_read_fn read, void *ctx, u64 *gpa, struct walk_trail *t)
{
    bool writable = true, user_ok = true;
    for (; level >= 1; level--) {
        u64 e, at;
        unsigned shift = 12 + 9 * (level - 1);
        at = (table & ADDR_MASK) + ((linear >> shift) & 0x1FF) * 8;
        if (!read(ctx, at, &e))
            return WALK_BAD_TABLE;
        if (!(e & PTE_P))
            return WALK_NOT_PRESENT;
        t->at[t->n] = at;
        t->entry[t->n++] = e;
        writable &= !!(e & PTE_RW);
        user_ok &= !!(e & PTE_US);
        if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
            u64 page = BIT(shift) - 1;
            *gpa = (e & ADDR_MASK & ~page) | (linear & page);
            return finish(p, write, writable, user_ok, t, ctx);
        }
        table = e;
    }
    return WALK_BAD_TABLE;
}

enum walk_result guest_walk(const struct guest_paging *p, u64 linear, bool write, gpa_read_fn read, void *ctx,
                            u64 *gpa)
{
    struct walk_trail t;
    return guest_walk_trail(p, linear, write, read, ctx, gpa, &t);
}

enum walk_result guest_walk_trail(const struct guest_paging *p, u64 linear, bool write, gpa_read_fn read, void *ctx,
                                  u64 *gpa, struct walk_trail *t)
{
    t->n = 0;
    t->entry32 = false;
    if (!(p->cr0 & CR0_PG)) {
        *gpa = linear & 0xFFFFFFFF;
        return WALK_OK;
    }
    if (p->efer & EFER_LMA) {
        if (p->cr4 & CR4_LA57)
            return WALK_BAD_TABLE;
        return walk64(p, p->cr3, 4, linear, write, read, ctx, gpa, t);
    }
    if (p->cr4 & CR4_PAE) {
        u64 pdpte = p->pdpte[(linear >> 30) & 3];
        if (!(pdpte & PTE_P))
            return WALK_NOT_PRESENT;
        return walk64(p, pdpte, 2, linear & 0xFFFFFFFF, write, read, ctx, gpa, t);
    }
    /* 32-bit paging: 4-byte entries, 4 MiB pages with CR4.PSE (PSE-36 bits 20:13 give bits 39:32). */
    t->entry32 = true;
    u64 pde, pte;
    u32 lin = (u32)linear;
    t->at[t->n++] = (p->cr3 & 0xFFFFF000) + (lin >> 22) * 4;
    if (!read32(read, ctx, t->at[0], &pde))
        return WALK_BAD_TABLE;
    t->entry[0] = pde;
    if (!(pde & PTE_P))
        return WALK_NOT_PRESENT;
    if ((pde & PTE_PS) && (p->cr4 & CR4_PSE)) {
        *gpa = (pde & 0xFFC00000) | ((pde >> 13 & 0xFF) << 32) | (lin & 0x3FFFFF);
        return finish(p, write, pde & PTE_RW, pde & PTE_US, t, ctx);
    }
    t->at[t->n++] = (pde & 0xFFFFF000) + ((lin >> 12) & 0x3FF) * 4;
    if (!read32(read, ctx, t->at[1], &pte))
        return WALK_BAD_TABLE;
    t->entry[1] = pte;
    if (!(pte & PTE_P))
        return WALK_NOT_PRESENT;
    *gpa = (pte & 0xFFFFF000) | (lin & 0xFFF);
    return finish(p, write, (pde & PTE_RW) && (pte & PTE_RW), (pde & PTE_US) && (pte & PTE_US), t, ctx);
}

static bool same_paging(const struct guest_paging *a, const struct guest_paging *b)
{
    return a->cr0 == b->cr0 && a->cr3 == b->cr3 && a->cr4 == b->cr4 && a->efer == b->efer && a->user == b->user &&
           a->pdpte[0] == b->pdpte[0] && a->pdpte[1] == b->pdpte[1] && a->pdpte[2] == b->pdpte[2] &&
           a->pdpte[3] == b->pdpte[3];
}

static bool memo_holds(const struct walk_memo *m, const struct guest_paging *p, u64 linear, bool write,
                       gpa_read_fn reread, void *ctx)
{
    if (!m->valid || m->write != write || m->page != linear >> 12 || !same_paging(&m->key, p))
        return false;
    for (int i = 0; i < m->trail.n; i++) {
        u64 e;
        if (m->trail.entry32 ? !read32(reread, ctx, m->trail.at[i], &e) : !reread(ctx, m->trail.at[i], &e))
            return false;
        if (e != m->trail.entry[i])
            return false;
    }
    return true;
}

enum walk_result guest_walk_memo(struct walk_memo *m, const struct guest_paging *p, u64 linear, bool write,
                                 gpa_read_fn read, gpa_read_fn reread, void *ctx, u64 *gpa)
{
    if (memo_holds(m, p, linear, write, reread, ctx)) {
        *gpa = m->gpa_page | (linear & 0xFFF);
        return WALK_OK;
    }
    m->valid = false;
    enum walk_result w = guest_walk_trail(p, linear, write, read, ctx, gpa, &m->trail);
    if (w == WALK_OK) {
        m->valid = true;
        m->write = write;
        m->key = *p;
        m->page = linear >> 12;
        m->gpa_page = *gpa & ~0xFFFULL;
    }
    return w;
}
