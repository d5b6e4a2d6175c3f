/* SPDX-License-Identifier: BSD-2-Clause */
/* The MMIO bus: register regions, find the one region that holds an access, dispatch it as (device, offset). */
#include "devices/mmiobus.h"

void mmiobus_init(struct mmiobus *bus)
{
    bus->count = 0;
}

enum mmiobus_status mmiobus_register(struct mmiobus *bus, const struct mmio_region *r)
{
    if (r->first > r->last)
        return MMIOBUS_INVERTED;
    if (!r->read || !r->write)
        return MMIOBUS_NO_HANDLER;
    for (unsigned i = 0; i < bus->count; i++)
        if (r->first <= bus->region[i].last && bus->region[i].first <= r->last)
            return MMIOBUS_OVERLAP;
    if (bus->count == MMIOBUS_MAX_REGIONS)
        return MMIOBUS_FULL;
    bus->region[bus->count++] = *r;
    return MMIOBUS_OK;
}

const char *mmiobus_status_name(enum mmiobus_status s)
{
    switch (s) {
    case MMIOBUS_OK:         return "ok";
    case MMIOBUS_INVERTED:   return "region ends before it starts";
    case MMIOBUS_NO_HANDLER: return "region without a read or write handler";
    case MMIOBUS_FULL:       return "MMIO bus table full";
    case MMIOBUS_OVERLAP:    return "addresses already claimed";
    case MMIOBUS_BAD_SIZE:   return "access size not 1, 2, 4 or 8";
    case MMIOBUS_UNCLAIMED:  return "no device at this address";
    case MMIOBUS_STRADDLE:   return "access straddles a device's edge";
    }
    return "unknown MMIO bus status";
}

enum mmiobus_status mmiobus_find(const struct mmiobus *bus, u64 gpa, unsigned size,
                                 const struct mmio_region **region, u64 *offset)
{
    if (size != 1 && size != 2 && size != 4 && size != 8)
        return MMIOBUS_BAD_SIZE;
    u64 last = gpa + size - 1;
    if (last < gpa)
        return MMIOBUS_STRADDLE;                /* wraps at 2^64: no region can hold it */
    enum mmiobus_status s = MMIOBUS_UNCLAIMED;
    for (unsigned i = 0; i < bus->count; i++) {
        const struct mmio_region *r = &bus->region[i];
        if (gpa >= r->first && last <= r->last) {
            *region = r;
            *offset = gpa - r->first;
            return MMIOBUS_OK;
        }
        /* Any other overlap is part in and part out: regions never overlap, so no region can hold it whole. */
        if (gpa <= r->last && r->first <= last)
            s = MMIOBUS_STRADDLE;
    }
    return s;
}

enum mmiobus_status mmiobus_read(const struct mmiobus *bus, u64 gpa, unsigned size, u64 *value)
{
    const struct mmio_region *r;
    u64 off;
    enum mmiobus_status s = mmiobus_find(bus, gpa, size, &r, &off);
    if (s != MMIOBUS_OK) {
        *value = s == MMIOBUS_BAD_SIZE ? ~0ULL : mmio_size_mask(size);
        return s;
    }
    *value = r->read(r->dev, off, size) & mmio_size_mask(size);
    return MMIOBUS_OK;
}

enum mmiobus_status mmiobus_write(const struct mmiobus *bus, u64 gpa, unsigned size, u64 value)
{
    const struct mmio_region *r;
    u64 off;
    enum mmiobus_status s = mmiobus_find(bus, gpa, size, &r, &off);
    if (s == MMIOBUS_OK)
        r->write(r->dev, off, size, value & mmio_size_mask(size));
    return s;
}
