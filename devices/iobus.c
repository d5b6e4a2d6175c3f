/* SPDX-License-Identifier: BSD-2-Clause */
/* The port-I/O bus: register regions, decode one access to (device, offset, size), split what a device cannot take. */
#include "devices/iobus.h"
#include "kernel/assert.h"

void iobus_init(struct iobus *bus)
{
    bus->count = 0;
    for (unsigned p = 0; p < IOBUS_ISA_PORTS; p++)
        bus->isa_map[p] = 0;
    bus->unclaimed = (struct io_region){ 0, 0xFFFF, 1, NULL, NULL, NULL, "unclaimed" };
}

void iobus_set_unclaimed(struct iobus *bus, io_read_fn *read, io_write_fn *write, void *ctx)
{
    bus->unclaimed.read = read;
    bus->unclaimed.write = write;
    bus->unclaimed.dev = ctx;
}

enum iobus_status iobus_register(struct iobus *bus, const struct io_region *r)
{
    if (r->first > r->last || !r->read || !r->write || (r->width != 1 && r->width != 2 && r->width != 4))
        return IOBUS_INVALID;
    for (unsigned i = 0; i < bus->count; i++)
        if (r->first <= bus->region[i].last && bus->region[i].first <= r->last)
            return IOBUS_OVERLAP;
    if (bus->count == IOBUS_MAX_REGIONS)
        return IOBUS_FULL;
    bus->region[bus->count++] = *r;
    for (unsigned p = r->first; p <= r->last && p < IOBUS_ISA_PORTS; p++)
        bus->isa_map[p] = (u8)bus->count;
    return IOBUS_OK;
}

const char *iobus_status_name(enum iobus_status s)
{
    switch (s) {
    case IOBUS_OK:      return "ok";
    case IOBUS_INVALID: return "invalid region";
    case IOBUS_FULL:    return "I/O bus table full";
    case IOBUS_OVERLAP: return "ports already claimed";
    }
    return "unknown I/O bus status";
}

const struct io_region *iobus_find(const struct iobus *bus, u16 port)
{
    for (unsigned i = 0; i < bus->count; i++) {
        const struct io_region *r = &bus->region[i];
        if ((u16)(port - r->first) <= (u16)(r->last - r->first))
            return r;
    }
    return NULL;
}

/* The low size bytes (1, 2 or 4) of a value. */
static u32 size_mask(unsigned size)
{
    return 0xFFFFFFFFu >> (32 - 8 * size);
}

/* The slow paths: an access the region cannot take whole, or nobody's port, one byte at a time. */
static u32 split_in(const struct iobus *bus, u16 port, unsigned size)
{
    ASSERT(size == 1 || size == 2 || size == 4);
    u32 value = 0;
    for (unsigned i = 0; i < size; i++) {
        u16 p = (u16)(port + i);
        const struct io_region *r = iobus_find(bus, p);
        if (!r)
            r = &bus->unclaimed;
        u32 byte = r->read ? r->read(r->dev, (u16)(p - r->first), 1) & 0xFF : 0xFF;
        value |= byte << (8 * i);
    }
    return value;
}

static void split_out(const struct iobus *bus, u16 port, unsigned size, u32 value)
{
    ASSERT(size == 1 || size == 2 || size == 4);
    for (unsigned i = 0; i < size; i++) {
        u16 p = (u16)(port + i);
        const struct io_region *r = iobus_find(bus, p);
        if (!r)
            r = &bus->unclaimed;
        if (r->write)
            r->write(r->dev, (u16)(p - r->first), 1, (value >> (8 * i)) & 0xFF);
    }
}

u32 iobus_in(const struct iobus *bus, u16 port, unsigned size)
{
    u16 off;
    const struct io_region *r = iobus_route(bus, port, size, &off);
    return r ? r->read(r->dev, off, size) & size_mask(size) : split_in(bus, port, size);
}

void iobus_out(const struct iobus *bus, u16 port, unsigned size, u32 value)
{
    u16 off;
    const struct io_region *r = iobus_route(bus, port, size, &off);
    if (r)
        r->write(r->dev, off, size, value & size_mask(size));
    else
        split_out(bus, port, size, value);
}
