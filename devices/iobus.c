/* SPDX-License-Identifier: BSD-2-Clause */
/* The port-I/O bus: register regions, decode one access to (device, offset, size), split what a device cannot take. */
#include "devices/iobus.h"
#include "kernel/assert.h"

void iobus_init(struct iobus *bus)
{
    bus->count = 0;
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

/* One unsigned compare per region: port - first wraps to a huge value when port < first. */
const struct io_region *iobus_find(const struct iobus *bus, u16 port)
{
    for (unsigned i = 0; i < bus->count; i++) {
        const struct io_region *r = &bus->region[i];
        if ((u16)(port - r->first) <= (u16)(r->last - r->first))
            return r;
    }
    return NULL;
}

static inline u32 size_mask(unsigned size)
{
    return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1;
}

/* The access fits the region whole: one call. Ports wrap at 0xFFFF like the CPU's 16-bit port address. */
static inline bool fits(const struct io_region *r, u16 port, unsigned size)
{
    return size <= r->width && (u32)(port - r->first) + size - 1 <= (u32)(r->last - r->first);
}

u32 iobus_in(const struct iobus *bus, u16 port, unsigned size)
{
    ASSERT(size == 1 || size == 2 || size == 4);
    const struct io_region *r = iobus_find(bus, port);
    if (r && fits(r, port, size))
        return r->read(r->dev, (u16)(port - r->first), size) & size_mask(size);
    u32 value = 0;
    for (unsigned i = 0; i < size; i++) {
        u16 p = (u16)(port + i);
        const struct io_region *b = i ? iobus_find(bus, p) : r;
        u32 byte = b ? b->read(b->dev, (u16)(p - b->first), 1) & 0xFF : 0xFF;
        value |= byte << (8 * i);
    }
    return value;
}

void iobus_out(const struct iobus *bus, u16 port, unsigned size, u32 value)
{
    ASSERT(size == 1 || size == 2 || size == 4);
    const struct io_region *r = iobus_find(bus, port);
    if (r && fits(r, port, size)) {
        r->write(r->dev, (u16)(port - r->first), size, value & size_mask(size));
        return;
    }
    for (unsigned i = 0; i < size; i++) {
        u16 p = (u16)(port + i);
        const struct io_region *b = i ? iobus_find(bus, p) : r;
        if (b)
            b->write(b->dev, (u16)(p - b->first), 1, (value >> (8 * i)) & 0xFF);
    }
}

void iobus_in_string(const struct iobus *bus, u16 port, unsigned size, u8 *buf, u32 count)
{
    for (u32 i = 0; i < count; i++) {
        u32 v = iobus_in(bus, port, size);
        for (unsigned b = 0; b < size; b++)
            buf[(size_t)i * size + b] = (u8)(v >> (8 * b));
    }
}

void iobus_out_string(const struct iobus *bus, u16 port, unsigned size, const u8 *buf, u32 count)
{
    for (u32 i = 0; i < count; i++) {
        u32 v = 0;
        for (unsigned b = 0; b < size; b++)
            v |= (u32)buf[(size_t)i * size + b] << (8 * b);
        iobus_out(bus, port, size, v);
    }
}
