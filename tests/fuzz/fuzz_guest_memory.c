/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer target for the guest-memory range check: the guest picks the address and length (hypercall
 * pointers, string I/O, PDPT addresses), firmware the map. The input is the query (gpa, len), the hypervisor's
 * block, the reach, then memory-map entries. Checked: GPA_OK exactly when every byte is in a usable entry, out
 * of the block and below the reach, probed at the ends and at the entries' edges inside
 * the range (a gap between entries shows at one); a refusal is the first reason that applies.
 */
#include <string.h>

#include "fuzz_check.h"
#include "vm/guest_memory.h"

#define MAX_ENTRIES 8

/* The map itself, not the spans built from it: the oracle the merged check must agree with. */
static bool usable(const struct mem_entry *map, u32 n, u64 a)
{
    for (u32 i = 0; i < n; i++)
        if (map[i].type == MEM_USABLE && a >= map[i].base && a - map[i].base < map[i].length)
            return true;
    return false;
}

static bool in_hv(const struct guest_memory *m, u64 a)
{
    return a >= m->hv.start && a < m->hv.end;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    u64 q[5];
    struct mem_entry map[MAX_ENTRIES];
    if (size < sizeof q)
        return 0;
    memcpy(q, data, sizeof q);
    data += sizeof q, size -= sizeof q;
    u32 n = 0;
    for (; n < MAX_ENTRIES && size >= 17; n++, data += 17, size -= 17) {
        memcpy(&map[n].base, data, 8);
        memcpy(&map[n].length, data + 8, 8);
        map[n].type = data[16] % 3 ? MEM_USABLE : MEM_RESERVED;
        /* Small numbers often, so that entries touch and ranges straddle them. */
        if (data[16] & 0x80)
            map[n].base &= 0xFFFF, map[n].length &= 0xFFFF;
    }
    u64 gpa = q[0], len = q[1] & 0x3 ? q[1] & 0xFFFF : q[1];
    static struct guest_memory m;
    guest_memory_init(&m, map, n, (struct range){ q[2], q[3] }, q[4]);
    enum gpa_refusal r = guest_memory_check(&m, gpa, len);

    if (len == 0) {
        INVARIANT(r == GPA_EMPTY);
        return 0;
    }
    if (len - 1 > ~0ULL - gpa) {
        INVARIANT(r == GPA_WRAPS);
        return 0;
    }
    u64 last = gpa + len - 1;
    /* Probe the ends, and every entry or block edge inside the range. */
    u64 probes[2 + 4 * MAX_ENTRIES + 4];
    unsigned np = 0;
    probes[np++] = gpa, probes[np++] = last;
    for (u32 i = 0; i < n; i++) {
        u64 edges[2] = { map[i].base, map[i].base + map[i].length };
        for (int k = 0; k < 2; k++) {
            if (edges[k] >= gpa && edges[k] <= last)
                probes[np++] = edges[k];
            if (edges[k] - 1 >= gpa && edges[k] - 1 <= last)
                probes[np++] = edges[k] - 1;
        }
    }
    bool touches_hv = gpa < m.hv.end && m.hv.start <= last && m.hv.start < m.hv.end;
    bool all_usable = true;
    for (unsigned i = 0; i < np; i++) {
        all_usable &= usable(map, n, probes[i]);
        INVARIANT(!(r == GPA_OK && in_hv(&m, probes[i])));
    }
    if (touches_hv)
        INVARIANT(r == GPA_HYPERVISOR);
    else if (!all_usable)
        INVARIANT(r == GPA_NOT_RAM);
    else    /* every edge inside is usable on both sides: the entries cover the range without a gap */
        INVARIANT(r == (last < m.reach ? GPA_OK : GPA_BEYOND_IDMAP));
    return 0;
}
