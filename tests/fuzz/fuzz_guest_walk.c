/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the guest page walk: the guest owns its page tables, so an adversarial guest picks every
 * entry. The input is the paging state (CR0, CR3, CR4, EFER, PDPTEs, the access) followed by guest RAM at
 * guest-physical 0; reads outside it fail as for memory that is not guest RAM. Checked: the walk ends, marks
 * only entries it read (with only the accessed and dirty bits), and keeps the page offset; a walk through a memo
 * (the filling walk, then a hit at another offset of the page) gives what the plain walk gives.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "kernel/x86_regs.h"
#include "vcpu/guest_walk.h"

#define MAX_READS 64

struct ram {
    const u8 *bytes;
    size_t size;
    u64 read_at[MAX_READS];
    unsigned reads;
};

static bool ram_read(void *ctx, u64 gpa, u64 *value)
{
    struct ram *r = ctx;
    INVARIANT(gpa % 8 == 0);
    INVARIANT(r->reads < MAX_READS);        /* a walk has at most 4 levels */
    if (gpa >= r->size || r->size - gpa < 8)
        return false;
    r->read_at[r->reads++] = gpa;
    memcpy(value, r->bytes + gpa, 8);
    return true;
}

static void mark(void *ctx, u64 gpa, bool entry32, u64 bits)
{
    struct ram *r = ctx;
    bool read = false;
    for (unsigned i = 0; i < r->reads; i++)
        read |= r->read_at[i] == (gpa & ~7ULL);
    INVARIANT(read);                                    /* only an entry the walk used */
    INVARIANT(gpa % (entry32 ? 4 : 8) == 0);
    INVARIANT(bits && !(bits & ~0x60ULL));              /* accessed, dirty */
}

struct header {
    u64 cr0, cr3, cr4, efer, linear;
    u64 pdpte[4];
    u8 user, write;
};

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    struct header h;
    if (size < sizeof h)
        return 0;
    memcpy(&h, data, sizeof h);
    struct ram r = { data + sizeof h, size - sizeof h, { 0 }, 0 };
    struct guest_paging p = {
        .cr0 = h.cr0, .cr3 = h.cr3, .cr4 = h.cr4, .efer = h.efer,
        .pdpte = { h.pdpte[0], h.pdpte[1], h.pdpte[2], h.pdpte[3] },
        .user = h.user & 1, .mark = mark,
    };
    u64 gpa = ~0ULL;
    enum walk_result w = guest_walk(&p, h.linear, h.write & 1, ram_read, &r, &gpa);
    INVARIANT(w == WALK_OK || w == WALK_NOT_PRESENT || w == WALK_PROTECTION || w == WALK_BAD_TABLE);
    if (w == WALK_OK)
        INVARIANT((gpa & 0xFFF) == (h.linear & 0xFFF));
    if (!(h.cr0 & CR0_PG))
        INVARIANT(w == WALK_OK && gpa == (h.linear & 0xFFFFFFFF));

    struct walk_memo m = { 0 };
    u64 gpa_memo = ~0ULL, other = h.linear ^ (h.pdpte[0] & 0xFFF), gpa_other = ~0ULL, gpa_hit = ~0ULL;
    INVARIANT(guest_walk_memo(&m, &p, h.linear, h.write & 1, ram_read, ram_read, &r, &gpa_memo) == w);
    INVARIANT(w != WALK_OK || gpa_memo == gpa);
    INVARIANT(m.valid == (w == WALK_OK));
    enum walk_result w2 = guest_walk(&p, other, h.write & 1, ram_read, &r, &gpa_other);
    INVARIANT(guest_walk_memo(&m, &p, other, h.write & 1, ram_read, ram_read, &r, &gpa_hit) == w2);
    INVARIANT(w2 != WALK_OK || gpa_hit == gpa_other);
    return 0;
}
