/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's I/O APIC at the PC's address: its index/data window and the redirection entries' bits. */
#ifndef SELFTEST_IOAPIC_REGS_H
#define SELFTEST_IOAPIC_REGS_H

#include "tests/guests/selftest/hw.h"

#define IOAPIC          0xFEC00000
#define IOREGSEL        (*(volatile u32 *)(IOAPIC + 0x00))
#define IOWIN           (*(volatile u32 *)(IOAPIC + 0x10))
#define REDTBL(pin)     (0x10 + 2 * (pin))
#define RTE_LEVEL       (1u << 15)
#define RTE_REMOTE_IRR  (1u << 14)
#define RTE_MASKED      (1u << 16)

static inline u32 ioapic_read(u8 reg)
{
    IOREGSEL = reg;
    return IOWIN;
}

static inline void ioapic_write(u8 reg, u32 v)
{
    IOREGSEL = reg;
    IOWIN = v;
}

#endif
