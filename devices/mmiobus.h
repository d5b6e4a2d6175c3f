/* SPDX-License-Identifier: BSD-2-Clause */
/* The MMIO bus of one VM: a small static table of {first, last, read, write, device, name}, like the port bus. */
#ifndef DEVICES_MMIOBUS_H
#define DEVICES_MMIOBUS_H

#include "kernel/types.h"

/*
 * A device sees (device, offset from its first byte, size, value). size is 1, 2, 4 or 8 and the access lies wholly
 * inside the region; the value read is masked to size by the bus, the value written arrives masked. The handler
 * does its own locking and decides itself what an access of a size or at an offset it does not decode does.
 */
typedef u64 mmio_read_fn(void *dev, u64 offset, unsigned size);
typedef void mmio_write_fn(void *dev, u64 offset, unsigned size, u64 value);

struct mmio_region {
    u64 first, last;        /* inclusive guest-physical range */
    mmio_read_fn *read;
    mmio_write_fn *write;
    void *dev;
    const char *name;       /* for logs */
};

/* Today: one I/O APIC per MADT entry (usually one). Room to grow (HPET, more I/O APICs) without a heap. */
#define MMIOBUS_MAX_REGIONS 16

/*
 * Regions are registered while the VM is built, before any vCPU runs; after that the table is read-only and the
 * exit path reads it without a lock. Lookup is a linear scan: the table is small and an MMIO exit costs far more.
 */
struct mmiobus {
    unsigned count;
    struct mmio_region region[MMIOBUS_MAX_REGIONS];
};

enum mmiobus_status {
    MMIOBUS_OK = 0,
    /* registration */
    MMIOBUS_INVERTED,       /* first > last */
    MMIOBUS_NO_HANDLER,     /* read or write missing */
    MMIOBUS_FULL,           /* MMIOBUS_MAX_REGIONS reached */
    MMIOBUS_OVERLAP,        /* some byte already claimed */
    /* access */
    MMIOBUS_BAD_SIZE,       /* not 1, 2, 4 or 8 bytes */
    MMIOBUS_UNCLAIMED,      /* no byte of the access is in a region */
    MMIOBUS_STRADDLE,       /* some bytes are in a region and some are not (or in another), or it wraps at 2^64 */
};

void mmiobus_init(struct mmiobus *bus);
enum mmiobus_status mmiobus_register(struct mmiobus *bus, const struct mmio_region *r)
    __attribute__((warn_unused_result));
const char *mmiobus_status_name(enum mmiobus_status s);

/*
 * The region that holds all of [gpa, gpa + size), with the offset of gpa in it. An access is never split across
 * regions nor cut at a region's end: a guest that straddles a device's edge gets MMIOBUS_STRADDLE, which the
 * caller reports (DESIGN.md "Failure policy": guest misbehaviour), rather than half an access.
 */
enum mmiobus_status mmiobus_find(const struct mmiobus *bus, u64 gpa, unsigned size,
                                 const struct mmio_region **region, u64 *offset) __attribute__((warn_unused_result));

/*
 * One guest load or store of size bytes at gpa, dispatched to the region that holds it. Anything but MMIOBUS_OK
 * reaches no device: a read then gives all ones in size bytes (what a read of nothing returns on a PC), a write
 * is dropped, and the caller decides whether the guest goes on.
 */
enum mmiobus_status mmiobus_read(const struct mmiobus *bus, u64 gpa, unsigned size, u64 *value)
    __attribute__((warn_unused_result));
enum mmiobus_status mmiobus_write(const struct mmiobus *bus, u64 gpa, unsigned size, u64 value)
    __attribute__((warn_unused_result));

/* The low size bytes (1, 2, 4 or 8) of a value. */
static inline u64 mmio_size_mask(unsigned size)
{
    return ~0ULL >> (64 - 8 * size);
}

#endif
