/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the MMIO bus: registration rules, lookup, straddling and unclaimed accesses, dispatch. */
#include "devices/mmiobus.h"
#include "unit.h"

/* A device that records its last access and reads back offset-tagged bytes, with junk above the size. */
struct probe {
    unsigned n;
    u64 off, value;
    unsigned size;
    bool write;
};

static u64 probe_read(void *dev, u64 off, unsigned size)
{
    struct probe *p = dev;
    p->n++, p->off = off, p->size = size, p->write = false;
    return 0xA5A5A5A500000000ULL | (u32)(0x11223300u + off);
}

static void probe_write(void *dev, u64 off, unsigned size, u64 value)
{
    struct probe *p = dev;
    p->n++, p->off = off, p->size = size, p->write = true, p->value = value;
}

static struct mmio_region region(u64 first, u64 last, struct probe *p)
{
    return (struct mmio_region){ first, last, probe_read, probe_write, p, "probe" };
}

TEST(mmiobus_register_rules)
{
    struct mmiobus bus;
    struct probe p = { 0 };
    mmiobus_init(&bus);
    struct mmio_region r = region(0xFEC00000, 0xFEC00FFF, &p);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OK);
    r = region(0xFEC00FFF, 0xFEC01FFF, &p);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OVERLAP);
    r = region(0xFEBFF000, 0xFEC00000, &p);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OVERLAP);
    r = region(0xFEC00100, 0xFEC00100, &p);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OVERLAP);
    r = region(0xFED00FFF, 0xFED00000, &p);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_INVERTED);
    r = region(0xFED00000, 0xFED003FF, &p);
    r.write = NULL;
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_NO_HANDLER);
    r.write = probe_write, r.read = NULL;
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_NO_HANDLER);
    for (unsigned i = 1; i < MMIOBUS_MAX_REGIONS; i++) {
        r = region(0x100000000ULL * i, 0x100000000ULL * i + 0xFFF, &p);
        CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OK);
    }
    r = region(0xFED00000, 0xFED003FF, &p);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_FULL);
    CHECK_EQ(bus.count, MMIOBUS_MAX_REGIONS);
    CHECK_STR(mmiobus_status_name(MMIOBUS_OVERLAP), "addresses already claimed");
    CHECK_STR(mmiobus_status_name(MMIOBUS_STRADDLE), "access straddles a device's edge");
    CHECK_STR(mmiobus_status_name((enum mmiobus_status)99), "unknown MMIO bus status");
}

/* The whole 64-bit space is allowed, a one-byte region too. */
TEST(mmiobus_extreme_regions)
{
    struct mmiobus bus;
    struct probe p = { 0 }, q = { 0 };
    mmiobus_init(&bus);
    struct mmio_region r = region(~0ULL, ~0ULL, &p);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OK);
    r = region(0, ~0ULL - 1, &q);
    CHECK_EQ(mmiobus_register(&bus, &r), MMIOBUS_OK);
    u64 v;
    CHECK_EQ(mmiobus_read(&bus, ~0ULL, 1, &v), MMIOBUS_OK);
    CHECK_EQ(p.n, 1);
    CHECK_EQ(mmiobus_read(&bus, ~0ULL, 2, &v), MMIOBUS_STRADDLE);      /* wraps at 2^64 */
    CHECK_EQ(mmiobus_read(&bus, ~0ULL - 1, 2, &v), MMIOBUS_STRADDLE);  /* one byte in each */
    CHECK_EQ(mmiobus_read(&bus, ~0ULL - 8, 8, &v), MMIOBUS_OK);
    CHECK_EQ(q.off, ~0ULL - 8);
    CHECK_EQ(p.n + q.n, 2);
}

TEST(mmiobus_find_offsets_and_edges)
{
    struct mmiobus bus;
    struct probe a = { 0 }, b = { 0 };
    mmiobus_init(&bus);
    struct mmio_region ra = region(0x1000, 0x1FFF, &a), rb = region(0x2000, 0x200F, &b);
    CHECK_EQ(mmiobus_register(&bus, &ra), MMIOBUS_OK);
    CHECK_EQ(mmiobus_register(&bus, &rb), MMIOBUS_OK);
    const struct mmio_region *r = NULL;
    u64 off = 0;
    CHECK_EQ(mmiobus_find(&bus, 0x1010, 4, &r, &off), MMIOBUS_OK);
    CHECK(r == &bus.region[0]);
    CHECK_EQ(off, 0x10);
    CHECK_EQ(mmiobus_find(&bus, 0x1FF8, 8, &r, &off), MMIOBUS_OK);          /* up to the last byte */
    CHECK_EQ(off, 0xFF8);
    CHECK_EQ(mmiobus_find(&bus, 0x1FFC, 8, &r, &off), MMIOBUS_STRADDLE);    /* into the next region */
    CHECK_EQ(mmiobus_find(&bus, 0x200E, 4, &r, &off), MMIOBUS_STRADDLE);    /* past the last byte */
    CHECK_EQ(mmiobus_find(&bus, 0x0FFE, 4, &r, &off), MMIOBUS_STRADDLE);    /* begins before the first */
    CHECK_EQ(mmiobus_find(&bus, 0x0FFC, 4, &r, &off), MMIOBUS_UNCLAIMED);   /* ends right before it */
    CHECK_EQ(mmiobus_find(&bus, 0x2010, 1, &r, &off), MMIOBUS_UNCLAIMED);
    CHECK_EQ(mmiobus_find(&bus, 0x1000, 3, &r, &off), MMIOBUS_BAD_SIZE);
    CHECK_EQ(mmiobus_find(&bus, 0x1000, 16, &r, &off), MMIOBUS_BAD_SIZE);
    CHECK_EQ(mmiobus_find(&bus, 0x1000, 0, &r, &off), MMIOBUS_BAD_SIZE);
}

TEST(mmiobus_dispatch_masks_to_size)
{
    struct mmiobus bus;
    struct probe a = { 0 };
    mmiobus_init(&bus);
    struct mmio_region ra = region(0xFEC00000, 0xFEC00FFF, &a);
    CHECK_EQ(mmiobus_register(&bus, &ra), MMIOBUS_OK);
    u64 v = 0;
    CHECK_EQ(mmiobus_read(&bus, 0xFEC00010, 4, &v), MMIOBUS_OK);
    CHECK_EQ(v, 0x11223310);
    CHECK(!a.write && a.off == 0x10 && a.size == 4);
    CHECK_EQ(mmiobus_read(&bus, 0xFEC00001, 1, &v), MMIOBUS_OK);
    CHECK_EQ(v, 0x01);
    CHECK_EQ(mmiobus_read(&bus, 0xFEC00002, 2, &v), MMIOBUS_OK);
    CHECK_EQ(v, 0x3302);
    CHECK_EQ(mmiobus_read(&bus, 0xFEC00008, 8, &v), MMIOBUS_OK);
    CHECK_EQ(v, 0xA5A5A5A511223308ULL);
    CHECK_EQ(mmiobus_write(&bus, 0xFEC00000, 1, 0x1234), MMIOBUS_OK);
    CHECK(a.write && a.off == 0 && a.size == 1 && a.value == 0x34);
    CHECK_EQ(mmiobus_write(&bus, 0xFEC00040, 8, 0x0123456789ABCDEFULL), MMIOBUS_OK);
    CHECK(a.write && a.off == 0x40 && a.size == 8 && a.value == 0x0123456789ABCDEFULL);
    CHECK_EQ(a.n, 6);
}

TEST(mmiobus_refused_accesses_reach_no_device)
{
    struct mmiobus bus;
    struct probe a = { 0 };
    mmiobus_init(&bus);
    struct mmio_region ra = region(0xFEC00000, 0xFEC0001F, &a);
    CHECK_EQ(mmiobus_register(&bus, &ra), MMIOBUS_OK);
    u64 v = 0;
    CHECK_EQ(mmiobus_read(&bus, 0xFED00000, 4, &v), MMIOBUS_UNCLAIMED);
    CHECK_EQ(v, 0xFFFFFFFF);                    /* a read of nothing: all ones */
    CHECK_EQ(mmiobus_read(&bus, 0xFEC0001E, 4, &v), MMIOBUS_STRADDLE);
    CHECK_EQ(v, 0xFFFFFFFF);
    CHECK_EQ(mmiobus_read(&bus, 0xFEC00000, 5, &v), MMIOBUS_BAD_SIZE);
    CHECK_EQ(v, ~0ULL);
    CHECK_EQ(mmiobus_write(&bus, 0xFEC0001C, 8, 0), MMIOBUS_STRADDLE);
    CHECK_EQ(mmiobus_write(&bus, 0xFEBFFFFF, 2, 0), MMIOBUS_STRADDLE);
    CHECK_EQ(mmiobus_write(&bus, 0x1000, 4, 0), MMIOBUS_UNCLAIMED);
    CHECK_EQ(a.n, 0);
}

/* Random regions in a small window, every address and size there, against a byte-by-byte reference. */
static int reference_region(const struct mmio_region *rs, unsigned n, u64 gpa)
{
    for (unsigned i = 0; i < n; i++)
        if (gpa >= rs[i].first && gpa <= rs[i].last)
            return (int)i;
    return -1;
}

TEST(mmiobus_lookup_matches_a_reference)
{
    static struct probe dev[MMIOBUS_MAX_REGIONS];
    const u64 base = 0xFEC00000;
    u32 seed = 0x9E3779B9;
    for (unsigned round = 0; round < 40; round++) {
        struct mmiobus bus;
        struct mmio_region rs[MMIOBUS_MAX_REGIONS];
        unsigned n = 0;
        mmiobus_init(&bus);
        for (unsigned tries = 0; tries < 40 && n < MMIOBUS_MAX_REGIONS; tries++) {
            seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
            u64 first = base + seed % 0x80, len = 1 + (seed >> 8) % 12;
            struct mmio_region r = region(first, first + len - 1, &dev[n]);
            if (mmiobus_register(&bus, &r) == MMIOBUS_OK)
                rs[n++] = r;
        }
        for (u64 gpa = base - 16; gpa < base + 0xA0; gpa++) {
            for (unsigned size = 1; size <= 8; size *= 2) {
                int first = reference_region(rs, n, gpa);
                bool whole = first >= 0, any = first >= 0;
                for (unsigned i = 1; i < size; i++) {
                    int k = reference_region(rs, n, gpa + i);
                    whole = whole && k == first;
                    any = any || k >= 0;
                }
                const struct mmio_region *r = NULL;
                u64 off = 0;
                enum mmiobus_status s = mmiobus_find(&bus, gpa, size, &r, &off);
                CHECK_EQ(s, whole ? MMIOBUS_OK : any ? MMIOBUS_STRADDLE : MMIOBUS_UNCLAIMED);
                if (whole)
                    CHECK(r->dev == rs[first].dev && off == gpa - rs[first].first);
            }
        }
    }
}
