/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the port-I/O bus: registration rules, unclaimed ports, access splitting, string I/O. */
#include "devices/iobus.h"
#include "unit.h"

/* A device that records its accesses and reads back offset-tagged bytes. */
struct probe {
    unsigned n;
    struct { u16 off; unsigned size; bool write; u32 value; } log[16];
    u8 reg[8];
};

static u32 probe_read(void *dev, u16 off, unsigned size)
{
    struct probe *p = dev;
    if (p->n < 16)
        p->log[p->n++] = (typeof(p->log[0])){ off, size, false, 0 };
    u32 v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (u32)p->reg[(off + i) & 7] << (8 * i);
    return size < 4 ? v | 0xAB000000u : v;     /* junk above size: the bus must mask it */
}

static void probe_write(void *dev, u16 off, unsigned size, u32 value)
{
    struct probe *p = dev;
    if (p->n < 16)
        p->log[p->n++] = (typeof(p->log[0])){ off, size, true, value };
    for (unsigned i = 0; i < size; i++)
        p->reg[(off + i) & 7] = (u8)(value >> (8 * i));
}

static struct io_region region(u16 first, u16 last, u8 width, struct probe *p)
{
    return (struct io_region){ first, last, width, probe_read, probe_write, p, "probe" };
}

TEST(iobus_register_rules)
{
    struct iobus bus;
    struct probe p = { 0 };
    iobus_init(&bus);
    struct io_region r = region(0x3F8, 0x3FF, 1, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);
    r = region(0x3FF, 0x400, 1, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OVERLAP);
    r = region(0x3F0, 0x3F8, 1, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OVERLAP);
    r = region(0x80, 0x70, 1, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_INVALID);
    r = region(0x70, 0x71, 3, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_INVALID);
    r = region(0x70, 0x71, 1, &p);
    r.read = NULL;
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_INVALID);
    for (unsigned i = 1; i < IOBUS_MAX_REGIONS; i++) {
        r = region((u16)(0x1000 + 16 * i), (u16)(0x1000 + 16 * i + 3), 1, &p);
        CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);
    }
    r = region(0x2000, 0x2000, 1, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_FULL);
    CHECK_EQ(bus.count, IOBUS_MAX_REGIONS);
    CHECK_STR(iobus_status_name(IOBUS_OVERLAP), "ports already claimed");
    CHECK(iobus_find(&bus, 0x3FC) == &bus.region[0]);
    CHECK(iobus_find(&bus, 0x3F7) == NULL);
}

TEST(iobus_unclaimed_reads_all_ones)
{
    struct iobus bus;
    iobus_init(&bus);
    CHECK_EQ(iobus_in(&bus, 0x80, 1), 0xFF);
    CHECK_EQ(iobus_in(&bus, 0x80, 2), 0xFFFF);
    CHECK_EQ(iobus_in(&bus, 0x80, 4), 0xFFFFFFFF);
    iobus_out(&bus, 0x80, 4, 0x12345678);      /* dropped, no crash */
}

TEST(iobus_byte_device_offsets_and_masking)
{
    struct iobus bus;
    struct probe p = { .reg = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17 } };
    iobus_init(&bus);
    struct io_region r = region(0x3F8, 0x3FF, 1, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);
    CHECK_EQ(iobus_in(&bus, 0x3FD, 1), 0x15);
    CHECK_EQ(p.log[0].off, 5);
    CHECK_EQ(p.log[0].size, 1);
    iobus_out(&bus, 0x3FF, 1, 0x5A);
    CHECK_EQ(p.reg[7], 0x5A);
    CHECK_EQ(p.log[1].off, 7);
}

TEST(iobus_wide_access_to_byte_device_is_split)
{
    struct iobus bus;
    struct probe p = { .reg = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17 } };
    iobus_init(&bus);
    struct io_region r = region(0x3F8, 0x3FF, 1, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);
    CHECK_EQ(iobus_in(&bus, 0x3F8, 2), 0x1110);        /* RBR then IER, like the ISA bus */
    CHECK_EQ(p.n, 2);
    CHECK_EQ(p.log[0].off, 0);
    CHECK_EQ(p.log[1].off, 1);
    CHECK_EQ(p.log[1].size, 1);
    CHECK_EQ(iobus_in(&bus, 0x3F9, 4), 0x14131211);
    iobus_out(&bus, 0x3FA, 2, 0xBEEF);
    CHECK_EQ(p.reg[2], 0xEF);
    CHECK_EQ(p.reg[3], 0xBE);
    /* Straddling the last port: the byte past it is unclaimed. */
    CHECK_EQ(iobus_in(&bus, 0x3FE, 4), 0xFFFF1716);
    CHECK_EQ(iobus_in(&bus, 0x3F6, 4), 0x1110FFFF);
}

TEST(iobus_wide_device_gets_one_access)
{
    struct iobus bus;
    struct probe p = { .reg = { 1, 2, 3, 4, 5, 6, 7, 8 } };
    iobus_init(&bus);
    struct io_region r = region(0xB000, 0xB007, 4, &p);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);
    CHECK_EQ(iobus_in(&bus, 0xB004, 4), 0x08070605);
    CHECK_EQ(p.n, 1);
    CHECK_EQ(p.log[0].size, 4);
    CHECK_EQ(iobus_in(&bus, 0xB000, 2), 0x0201);
    CHECK_EQ(p.log[1].size, 2);
    CHECK_EQ(iobus_in(&bus, 0xB006, 4), 0xFFFF0807);  /* runs past the end: split */
}

TEST(iobus_two_devices_in_one_access)
{
    struct iobus bus;
    struct probe a = { .reg = { 0xA0 } }, b = { .reg = { 0xB0 } };
    iobus_init(&bus);
    struct io_region ra = region(0x70, 0x70, 1, &a), rb = region(0x71, 0x71, 1, &b);
    CHECK_EQ(iobus_register(&bus, &ra), IOBUS_OK);
    CHECK_EQ(iobus_register(&bus, &rb), IOBUS_OK);
    CHECK_EQ(iobus_in(&bus, 0x70, 2), 0xB0A0);
    iobus_out(&bus, 0x70, 2, 0x0B8A);                  /* outw 0x70: index then data, as some firmware does */
    CHECK_EQ(a.reg[0], 0x8A);
    CHECK_EQ(b.reg[0], 0x0B);
}

TEST(iobus_port_wraps_at_64k)
{
    struct iobus bus;
    struct probe hi = { .reg = { [7] = 0x77 } }, lo = { .reg = { 0x66 } };
    iobus_init(&bus);
    struct io_region rh = region(0xFFF8, 0xFFFF, 1, &hi), rl = region(0x0000, 0x0007, 1, &lo);
    CHECK_EQ(iobus_register(&bus, &rh), IOBUS_OK);
    CHECK_EQ(iobus_register(&bus, &rl), IOBUS_OK);
    CHECK_EQ(iobus_in(&bus, 0xFFFF, 2), 0x6677);
}

/* The ISA range (0-0x3FF) goes through the direct map, the rest through the scan: a region across the border,
 * accesses across it, and a region registered after a failed one all land on the right device. */
TEST(iobus_isa_map_border)
{
    struct iobus bus;
    struct probe a = { .reg = { 1, 2, 3, 4, 5, 6, 7, 8 } }, b = { .reg = { 0x11, 0x12 } };
    iobus_init(&bus);
    struct io_region ra = region(0x3FC, 0x403, 4, &a), rb = region(0x3F8, 0x3FC, 1, &b);
    CHECK_EQ(iobus_register(&bus, &ra), IOBUS_OK);
    CHECK_EQ(iobus_register(&bus, &rb), IOBUS_OVERLAP);     /* leaves no trace in the map */
    rb = region(0x3F8, 0x3F9, 1, &b);
    CHECK_EQ(iobus_register(&bus, &rb), IOBUS_OK);
    CHECK_EQ(iobus_in(&bus, 0x3FC, 4), 0x04030201);        /* whole, from the map */
    CHECK_EQ(iobus_in(&bus, 0x3FE, 4), 0x06050403);        /* whole, across the border */
    CHECK_EQ(iobus_in(&bus, 0x400, 2), 0x0605);            /* from the scan */
    CHECK_EQ(iobus_in(&bus, 0x3F9, 1), 0x12);
    CHECK_EQ(iobus_in(&bus, 0x3FA, 1), 0xFF);              /* nobody's */
    CHECK_EQ(iobus_in(&bus, 0x3F9, 4), 0x01FFFF12);        /* split: b, nobody, nobody, a */
}

/* Bytes nobody claims go to the unclaimed handlers, with the port as offset, one byte at a time. */
static u32 hw_read(void *dev, u16 port, unsigned size)
{
    struct probe *p = dev;
    if (p->n < 16)
        p->log[p->n++] = (typeof(p->log[0])){ port, size, false, 0 };
    return 0x5A00u | (port & 0xFF);     /* junk above the byte: the bus must mask it */
}

static void hw_write(void *dev, u16 port, unsigned size, u32 value)
{
    struct probe *p = dev;
    if (p->n < 16)
        p->log[p->n++] = (typeof(p->log[0])){ port, size, true, value };
}

TEST(iobus_unclaimed_bytes_reach_the_handlers)
{
    struct iobus bus;
    struct probe dev = { .reg = { 0x11, 0x22 } }, hw = { 0 };
    iobus_init(&bus);
    struct io_region r = region(0x3F8, 0x3F9, 1, &dev);
    CHECK_EQ(iobus_register(&bus, &r), IOBUS_OK);
    CHECK_EQ(iobus_in(&bus, 0x3F7, 2), 0x11FF);            /* default: the floating bus */
    iobus_set_unclaimed(&bus, hw_read, hw_write, &hw);
    CHECK_EQ(iobus_in(&bus, 0x3F7, 2), 0x11F7);            /* hardware, then the device */
    CHECK_EQ(iobus_in(&bus, 0x3F9, 4), 0xFCFBFA22);        /* the device, then three hardware bytes */
    iobus_out(&bus, 0x3F6, 4, 0x44332211);
    CHECK_EQ(hw.n, 1 + 3 + 2);
    CHECK_EQ(hw.log[0].off, 0x3F7);
    CHECK_EQ(hw.log[0].size, 1);
    CHECK_EQ(hw.log[3].off, 0x3FC);
    CHECK(hw.log[4].write && hw.log[4].off == 0x3F6 && hw.log[4].value == 0x11);
    CHECK(hw.log[5].write && hw.log[5].off == 0x3F7 && hw.log[5].value == 0x22);
    CHECK_EQ(dev.reg[0], 0x33);
    CHECK_EQ(dev.reg[1], 0x44);
}

/*
 * The bus's routing (a map below 0x400, a scan above) against a plain reference: random regions around the map's
 * border, every port and size there. A whole access is one call of the size asked; anything else goes byte by
 * byte, each byte to its own region or to nobody (0xFF).
 */
static const struct io_region *reference_find(const struct io_region *rs, unsigned n, unsigned port)
{
    for (unsigned i = 0; i < n; i++)
        if (port >= rs[i].first && port <= rs[i].last)
            return &rs[i];
    return NULL;
}

TEST(iobus_routing_matches_a_reference)
{
    static struct probe dev[IOBUS_MAX_REGIONS];
    u32 seed = 0x2545F491;
    for (unsigned round = 0; round < 40; round++) {
        struct iobus bus;
        struct io_region rs[IOBUS_MAX_REGIONS];
        unsigned n = 0;
        iobus_init(&bus);
        for (unsigned tries = 0; tries < 40 && n < IOBUS_MAX_REGIONS; tries++) {
            seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
            u16 first = (u16)(0x3E0 + seed % 0x40), len = (u16)(1 + (seed >> 8) % 8);
            u8 width = (u8)(1u << ((seed >> 16) % 3));
            memset(&dev[n], 0, sizeof dev[n]);
            for (unsigned i = 0; i < 8; i++)
                dev[n].reg[i] = (u8)(16 * n + i);
            struct io_region r = region(first, (u16)(first + len - 1), width, &dev[n]);
            if (iobus_register(&bus, &r) == IOBUS_OK)
                rs[n++] = r;
        }
        for (unsigned port = 0x3D8; port < 0x430; port++) {
            for (unsigned size = 1; size <= 4; size *= 2) {
                unsigned calls = 0, want_calls = 0;
                for (unsigned i = 0; i < n; i++)
                    dev[i].n = 0;
                u32 want = 0;
                const struct io_region *whole = reference_find(rs, n, port);
                bool one = whole && size <= whole->width && port + size - 1 <= whole->last;
                for (unsigned i = 0; i < size; i++) {
                    const struct io_region *r = reference_find(rs, n, port + i);
                    const struct probe *p = r ? r->dev : NULL;
                    want |= (u32)(p ? p->reg[(port + i - r->first) & 7] : 0xFF) << (8 * i);
                    want_calls += r != NULL;
                }
                CHECK_EQ(iobus_in(&bus, (u16)port, size), want);
                for (unsigned i = 0; i < n; i++)
                    calls += dev[i].n;
                CHECK_EQ(calls, one ? 1 : want_calls);
            }
        }
    }
}
