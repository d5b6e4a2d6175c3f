/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the MMIO bus: random registrations and accesses against a brute-force reference. */
#include "devices/mmiobus.h"
#include "fuzz_check.h"

/* Each region's device is its own index: the handlers record which one ran, at what offset and size. */
struct call {
    unsigned n;
    unsigned dev;
    u64 off, value;
    unsigned size;
};
static struct call last;
static unsigned ids[MMIOBUS_MAX_REGIONS];

static u64 dev_read(void *dev, u64 off, unsigned size)
{
    last = (struct call){ last.n + 1, *(unsigned *)dev, off, 0, size };
    return ~off;                                /* junk above size too: the bus masks it */
}

static void dev_write(void *dev, u64 off, unsigned size, u64 value)
{
    last = (struct call){ last.n + 1, *(unsigned *)dev, off, value, size };
}

static u64 take(const u8 **p, const u8 *end, unsigned bytes)
{
    u64 v = 0;
    for (unsigned i = 0; i < bytes && *p < end; i++)
        v |= (u64)*(*p)++ << (8 * i);
    return v;
}

/* Addresses cluster in a small window (so regions meet and overlap) with the top of the space thrown in. */
static u64 address(u64 raw)
{
    return raw & 1 ? ~0ULL - ((raw >> 1) & 0xFF) : 0xFEC00000 + ((raw >> 1) & 0x1FF);
}

/* Regions never overlap: a reference region for gpa is unique when there is one. */
static int ref_region(const struct mmio_region *rs, unsigned n, u64 gpa)
{
    for (unsigned i = 0; i < n; i++)
        if (gpa >= rs[i].first && gpa <= rs[i].last)
            return (int)i;
    return -1;
}

static enum mmiobus_status ref_register(const struct mmio_region *rs, unsigned n, const struct mmio_region *r)
{
    if (r->first > r->last)
        return MMIOBUS_INVERTED;
    if (!r->read || !r->write)
        return MMIOBUS_NO_HANDLER;
    for (unsigned i = 0; i < n; i++)
        if (!(r->last < rs[i].first || rs[i].last < r->first))
            return MMIOBUS_OVERLAP;
    return n == MMIOBUS_MAX_REGIONS ? MMIOBUS_FULL : MMIOBUS_OK;
}

/* The expected outcome of an access, byte by byte; *which is the region when it is MMIOBUS_OK. */
static enum mmiobus_status ref_access(const struct mmio_region *rs, unsigned n, u64 gpa, unsigned size, int *which)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return MMIOBUS_BAD_SIZE;
    int first = ref_region(rs, n, gpa);
    bool whole = first >= 0, any = first >= 0;
    for (unsigned i = 1; i < size; i++) {
        if (gpa + i == 0)                       /* wrapped: never whole */
            whole = false, any = true;
        int k = ref_region(rs, n, gpa + i);
        whole = whole && k == first;
        any = any || k >= 0;
    }
    *which = first;
    return whole ? MMIOBUS_OK : any ? MMIOBUS_STRADDLE : MMIOBUS_UNCLAIMED;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    const u8 *p = data, *end = data + size;
    struct mmiobus bus;
    struct mmio_region rs[MMIOBUS_MAX_REGIONS];
    unsigned n = 0;
    mmiobus_init(&bus);
    for (unsigned i = 0; i < MMIOBUS_MAX_REGIONS; i++)
        ids[i] = i;

    while (p < end) {
        u8 op = *p++;
        if ((op & 3) == 0) {                    /* register */
            u64 first = address(take(&p, end, 2)), len = take(&p, end, 1);
            struct mmio_region r = { first, first + len - 1 + (op >> 7), dev_read, dev_write,
                                     &ids[n % MMIOBUS_MAX_REGIONS], "fuzz" };
            if (op & 0x20)
                r.last = first - (len + 1);     /* usually inverted */
            if ((op & 0x50) == 0x40)
                r.read = NULL;
            if ((op & 0x50) == 0x50)
                r.write = NULL;
            enum mmiobus_status want = ref_register(rs, n, &r);
            INVARIANT(mmiobus_register(&bus, &r) == want);
            if (want == MMIOBUS_OK)
                rs[n++] = r;
            INVARIANT(bus.count == n);
            continue;
        }
        u64 gpa = address(take(&p, end, 2));
        unsigned sz = (op >> 2) & 0xF;          /* 0-15: the bad sizes too */
        u64 value = take(&p, end, 8);
        int which = -1;
        enum mmiobus_status want = ref_access(rs, n, gpa, sz, &which);
        unsigned calls = last.n;
        if (op & 2) {
            u64 v = 0;
            INVARIANT(mmiobus_read(&bus, gpa, sz, &v) == want);
            if (want == MMIOBUS_OK)
                INVARIANT(v == (~(gpa - rs[which].first) & mmio_size_mask(sz)));
            else
                INVARIANT(v == (want == MMIOBUS_BAD_SIZE ? ~0ULL : mmio_size_mask(sz)));
        } else {
            INVARIANT(mmiobus_write(&bus, gpa, sz, value) == want);
            if (want == MMIOBUS_OK)
                INVARIANT(last.value == (value & mmio_size_mask(sz)));
        }
        if (want == MMIOBUS_OK) {
            INVARIANT(last.n == calls + 1);
            INVARIANT(last.dev == *(unsigned *)rs[which].dev && last.off == gpa - rs[which].first && last.size == sz);
        } else {
            INVARIANT(last.n == calls);         /* a refused access reaches no device */
        }
    }
    return 0;
}
