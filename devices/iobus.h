/* SPDX-License-Identifier: BSD-2-Clause */
/* The port-I/O bus of one VM: a small static table of {first, last, read, write, device, name}. */
#ifndef DEVICES_IOBUS_H
#define DEVICES_IOBUS_H

#include "kernel/types.h"

/*
 * A device sees (device, offset from its first port, size, value). size is 1, 2 or 4 and never more than the
 * region's width; the value read is masked to size by the bus. The handler does its own locking.
 */
typedef u32 io_read_fn(void *dev, u16 offset, unsigned size);
typedef void io_write_fn(void *dev, u16 offset, unsigned size, u32 value);

struct io_region {
    u16 first, last;        /* inclusive port range */
    u8 width;               /* widest access the device decodes itself: 1, 2 or 4 */
    io_read_fn *read;
    io_write_fn *write;
    void *dev;
    const char *name;       /* for logs */
};

/* Today: UART, RTC, PIT, port 0x61, PIC master, PIC slave, ELCR, debug-exit, PM1a/PM1b control, 0xCF8, 0x64,
 * 0x92, the ACPI reset register. Room to grow without a heap. */
#define IOBUS_MAX_REGIONS 24

/* Ports below this (the ISA range a PC's legacy devices decode) are found through a direct map. */
#define IOBUS_ISA_PORTS 0x400
_Static_assert(IOBUS_MAX_REGIONS < 256, "isa_map holds 1 + a region index in a byte");

/*
 * Regions are registered while the VM is built, before any vCPU runs; after that the table is read-only and the
 * exit path reads it without a lock. A port in the ISA range is looked up in isa_map; any other port by a
 * linear scan in registration order.
 */
struct iobus {
    unsigned count;
    struct io_region region[IOBUS_MAX_REGIONS];
    u8 isa_map[IOBUS_ISA_PORTS];    /* 1 + the index of the region claiming the port; 0: nobody */
    struct io_region unclaimed;     /* ports 0-0xFFFF no region claims, one byte at a time (iobus_set_unclaimed) */
};

enum iobus_status {
    IOBUS_OK = 0,
    IOBUS_INVALID,          /* first > last, width not 1/2/4, or a missing handler */
    IOBUS_FULL,             /* IOBUS_MAX_REGIONS reached */
    IOBUS_OVERLAP,          /* some port already claimed */
};

void iobus_init(struct iobus *bus);
/*
 * Who answers a byte of a wide access that no region claims (the access reached the bus because another of its
 * bytes is claimed): the handlers see the port itself as the offset, and size 1. A VM that passes unclaimed
 * ports through to the hardware gives handlers that do the physical access, so the byte goes where the guest's
 * own access would have gone. Without them (the default) such a byte reads 0xFF, the floating data bus, and a
 * write to it is dropped.
 */
void iobus_set_unclaimed(struct iobus *bus, io_read_fn *read, io_write_fn *write, void *ctx);
enum iobus_status iobus_register(struct iobus *bus, const struct io_region *r) __attribute__((warn_unused_result));
const char *iobus_status_name(enum iobus_status s);
const struct io_region *iobus_find(const struct iobus *bus, u16 port);

/* The region claiming a port below IOBUS_ISA_PORTS, from the map, or NULL. */
static inline const struct io_region *iobus_isa_region(const struct iobus *bus, u16 port)
{
    unsigned i = bus->isa_map[port];
    return i ? &bus->region[i - 1] : NULL;
}

/*
 * The region that takes an access of size bytes at port whole, with the offset into it, or NULL when the
 * access must be split into bytes or nobody claims the port (iobus_in/iobus_out then do the rest). Ports wrap
 * at 0xFFFF like the CPU's 16-bit port address.
 */
static inline const struct io_region *iobus_route(const struct iobus *bus, u16 port, unsigned size, u16 *offset)
{
    const struct io_region *r;
    if (port < IOBUS_ISA_PORTS) {
        r = iobus_isa_region(bus, port);
        if (!r)
            return NULL;
    } else {
        r = iobus_find(bus, port);
        if (!r)
            return NULL;
    }
    u16 off = (u16)(port - r->first);
    if (size > 1 && (size > r->width || off + size - 1 > (u16)(r->last - r->first)))
        return NULL;
    *offset = off;
    return r;
}

/*
 * One guest IN/OUT of size 1, 2 or 4 bytes at port. An access wider than the region's width, or running past its
 * last port, is split into byte accesses at consecutive ports, each decoded on its own: this is what the ISA bus
 * does for an 8-bit device (the 16-bit cycle is split by the bus controller into two 8-bit cycles at port and
 * port+1, IBM PC AT Technical Reference, "I/O channel"). So `inw 0x3F8` reads RBR then IER. A byte nobody
 * claims goes to the unclaimed handlers (iobus_set_unclaimed).
 */
u32 iobus_in(const struct iobus *bus, u16 port, unsigned size);
void iobus_out(const struct iobus *bus, u16 port, unsigned size, u32 value);

#endif
