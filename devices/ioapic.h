/* SPDX-License-Identifier: BSD-2-Clause */
/* The I/O APIC (Intel 82093AA data sheet; version and EOI register as in the ICH/PCH I/O xAPIC). */
#ifndef DEVICES_IOAPIC_H
#define DEVICES_IOAPIC_H

#include "kernel/spinlock.h"
#include "kernel/types.h"

/*
 * MMIO registers, offsets from the base the MADT gives (82093AA 3.0, "Register description"; PCH "I/O APIC
 * direct registers"). The model decodes exactly these; any other access in its window reads all ones and a write
 * to it is dropped (nothing answers there).
 */
enum {
    IOAPIC_IOREGSEL = 0x00, /* rw index of the register IOWIN reaches, bits 7:0; 1, 2 or 4 bytes at 0x00 */
    IOAPIC_IOWIN = 0x10,    /* rw the selected register; 4 bytes at 0x10 only (82093AA: "dword accesses") */
    IOAPIC_EOI = 0x40,      /* -w bits 7:0 a vector: as a local APIC's EOI of it (version 0x20); 4 bytes only */
};
/* One page: EPT traps whole pages, and Linux maps one page per I/O APIC. */
#define IOAPIC_MMIO_SIZE 0x1000

/* Indirect registers, the values of IOREGSEL. */
enum {
    IOAPIC_REG_ID = 0x00,   /* rw */
#define IOAPIC_ID_SHIFT         24      /* bits 27:24 the ID; the rest reads 0 */
#define IOAPIC_ID_MASK          0x0F
    IOAPIC_REG_VER = 0x01,  /* r- */
#define IOAPIC_VERSION          0x20    /* bits 7:0: the ICH/PCH I/O xAPIC, with the EOI register (0x11: 82093AA) */
#define IOAPIC_VER_MRE_SHIFT    16      /* bits 23:16 maximum redirection entry: pins - 1 */
    IOAPIC_REG_ARB = 0x02,  /* r- arbitration ID, bits 27:24: the ID (82093AA loads it from the ID register) */
    IOAPIC_REG_REDTBL = 0x10, /* rw 0x10 + 2n: entry n bits 31:0, 0x11 + 2n: bits 63:32 */
};

/* Redirection table entry bits (82093AA 3.2.4, "IOREDTBL"). */
#define IOAPIC_RTE_VECTOR       0xFFULL         /* rw bits 7:0 */
#define IOAPIC_RTE_DM_SHIFT     8               /* rw bits 10:8 delivery mode: */
#define IOAPIC_RTE_DM_MASK      (7ULL << IOAPIC_RTE_DM_SHIFT)
enum ioapic_delivery_mode {
    IOAPIC_DM_FIXED = 0,
    IOAPIC_DM_LOWEST = 1,   /* lowest priority */
    IOAPIC_DM_SMI = 2,
    IOAPIC_DM_NMI = 4,
    IOAPIC_DM_INIT = 5,
    IOAPIC_DM_EXTINT = 7,   /* 3 and 6 are reserved: the model sends nothing for them */
};
#define IOAPIC_RTE_LOGICAL      BIT(11)         /* rw destination mode: logical, else physical */
#define IOAPIC_RTE_PENDING      BIT(12)         /* r- delivery status: always 0, a message is sent at once */
#define IOAPIC_RTE_ACTIVE_LOW   BIT(13)         /* rw polarity */
#define IOAPIC_RTE_REMOTE_IRR   BIT(14)         /* r- a level interrupt was accepted and its EOI has not come */
#define IOAPIC_RTE_LEVEL        BIT(15)         /* rw trigger mode: level, else edge; SMI, NMI, INIT, ExtINT: edge */
#define IOAPIC_RTE_MASKED       BIT(16)         /* rw */
#define IOAPIC_RTE_DEST_SHIFT   56              /* rw bits 63:56 destination (APIC ID, or logical set) */
/* What a guest write can change; bits 55:17 are reserved and read 0. */
#define IOAPIC_RTE_WRITABLE     (IOAPIC_RTE_VECTOR | IOAPIC_RTE_DM_MASK | IOAPIC_RTE_LOGICAL | \
                                 IOAPIC_RTE_ACTIVE_LOW | IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED | \
                                 (0xFFULL << IOAPIC_RTE_DEST_SHIFT))
#define IOAPIC_RTE_RESET        IOAPIC_RTE_MASKED      /* masked, edge, active high, fixed, vector 0 */

/* 24 on a PC (ICH/PCH); the most IOREGSEL can reach: 0x10 + 2 * 119 + 1 = 0xFF. */
#define IOAPIC_PC_PINS  24
#define IOAPIC_MAX_PINS 120

/* An interrupt message on its way to the local APICs (the 82093AA's APIC-bus message, or the MSI-like write). */
struct ioapic_msg {
    u8 vector;
    u8 delivery_mode;       /* enum ioapic_delivery_mode */
    bool logical;           /* destination mode */
    bool level;             /* trigger mode: a level message wants an EOI back (ioapic_eoi) */
    u8 dest;
    u8 pin;
};

/*
 * Locking: one lock per I/O APIC. Devices call ioapic_set_irq() holding their own lock, so the order is device
 * lock -> I/O APIC lock. deliver(ctx, msg) runs after the I/O APIC lock is dropped (a device's lock may still be
 * held): it reaches the local APICs and may take their locks, but never a device lock. The local APICs call
 * ioapic_eoi() without holding their own lock, since it may deliver again at once.
 */
struct ioapic {
    struct spinlock lock;
    u8 id;                          /* 4 bits */
    u8 sel;                         /* IOREGSEL */
    u8 pins;
    u8 line[IOAPIC_MAX_PINS];       /* input levels as last driven, before polarity */
    u64 rte[IOAPIC_MAX_PINS];       /* the entries as the guest reads them, remote IRR included */
    void (*deliver)(void *ctx, const struct ioapic_msg *m);
    void *ctx;
};

/* Reset: ID from the MADT (its low 4 bits, all the register holds), every entry IOAPIC_RTE_RESET, inputs low. */
void ioapic_init(struct ioapic *io, u8 id, unsigned pins, void (*deliver)(void *ctx, const struct ioapic_msg *m),
                 void *ctx);

/* Guest side, for the MMIO bus (a region of IOAPIC_MMIO_SIZE bytes at the base). dev is the struct ioapic. */
u64 ioapic_mmio_read(void *dev, u64 offset, unsigned size);
void ioapic_mmio_write(void *dev, u64 offset, unsigned size, u64 value);

/*
 * Devices and the board: drive input pin to level (1 = electrically high; an active-low pin asserts on 0).
 * An edge pin sends one message per assertion while unmasked (an edge while masked is lost, as on the 82093AA);
 * a level pin sends while asserted, unmasked and its remote IRR clear, and sets remote IRR.
 */
void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level);

/* A local APIC's EOI of a level-triggered vector: clear remote IRR of every level pin with that vector, and send
 * again for each one still asserted and unmasked. */
void ioapic_eoi(struct ioapic *io, u8 vector);

/* The board: one pin's entry as the guest programmed it (to decide whether a physical pin should follow it). */
u64 ioapic_entry(struct ioapic *io, unsigned pin);

static inline bool ioapic_rte_masked(u64 rte)
{
    return rte & IOAPIC_RTE_MASKED;
}

#endif
