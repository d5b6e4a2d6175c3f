/* SPDX-License-Identifier: BSD-2-Clause */
/* The I/O APIC: IOREGSEL/IOWIN, ID and version, the redirection table, edge and level pins, remote IRR and EOI. */
#include "devices/ioapic.h"
#include "kernel/assert.h"

#define RTE_LOW 0xFFFFFFFFULL

void ioapic_init(struct ioapic *io, u8 id, unsigned pins, void (*deliver)(void *ctx, const struct ioapic_msg *m),
                 void *ctx)
{
    ASSERT(pins >= 1 && pins <= IOAPIC_MAX_PINS && deliver);
    *io = (struct ioapic){ .lock = SPINLOCK_INIT, .id = id & IOAPIC_ID_MASK, .pins = (u8)pins,
                           .deliver = deliver, .ctx = ctx };
    for (unsigned i = 0; i < pins; i++)
        io->rte[i] = IOAPIC_RTE_RESET;
}

static unsigned rte_mode(u64 rte)
{
    return (rte & IOAPIC_RTE_DM_MASK) >> IOAPIC_RTE_DM_SHIFT;
}

/*
 * Only fixed and lowest-priority interrupts are level-triggered: SMI, NMI, INIT and ExtINT are "treated as edge
 * triggered ... even if programmed as level" (82093AA 3.2.4, "Delivery Mode"); they never set remote IRR.
 */
static bool rte_level(u64 rte)
{
    unsigned dm = rte_mode(rte);
    return (rte & IOAPIC_RTE_LEVEL) && (dm == IOAPIC_DM_FIXED || dm == IOAPIC_DM_LOWEST);
}

/* The pin's input after polarity: an active-low pin is asserted when its line is low. */
static bool asserted(const struct ioapic *io, unsigned pin)
{
    return io->line[pin] != !!(io->rte[pin] & IOAPIC_RTE_ACTIVE_LOW);
}

/*
 * The pin sends: fill *m and, for a level interrupt, set remote IRR. Nothing is sent from a masked entry, a level
 * entry whose remote IRR is set, or an entry with a reserved delivery mode (3, 6: the 82093AA defines no message).
 */
static bool send(struct ioapic *io, unsigned pin, struct ioapic_msg *m)
{
    u64 e = io->rte[pin];
    unsigned dm = rte_mode(e);
    bool level = rte_level(e);
    if ((e & IOAPIC_RTE_MASKED) || dm == 3 || dm == 6 || (level && (e & IOAPIC_RTE_REMOTE_IRR)))
        return false;
    if (level)
        io->rte[pin] = e | IOAPIC_RTE_REMOTE_IRR;
    *m = (struct ioapic_msg){
        .vector = (u8)(e & IOAPIC_RTE_VECTOR),
        .delivery_mode = (u8)dm,
        .logical = e & IOAPIC_RTE_LOGICAL,
        .level = level,
        .dest = (u8)(e >> IOAPIC_RTE_DEST_SHIFT),
        .pin = (u8)pin,
    };
    return true;
}

/* A level pin samples its input continuously: asserted and not blocked, it sends. */
static bool level_check(struct ioapic *io, unsigned pin, struct ioapic_msg *m)
{
    return rte_level(io->rte[pin]) && asserted(io, pin) && send(io, pin, m);
}

static u32 reg_read(const struct ioapic *io, u8 reg)
{
    switch (reg) {
    case IOAPIC_REG_ID:
    case IOAPIC_REG_ARB:
        return (u32)io->id << IOAPIC_ID_SHIFT;
    case IOAPIC_REG_VER:
        return IOAPIC_VERSION | (u32)(io->pins - 1) << IOAPIC_VER_MRE_SHIFT;
    }
    unsigned n = (unsigned)(reg - IOAPIC_REG_REDTBL) / 2;
    if (reg < IOAPIC_REG_REDTBL || n >= io->pins)
        return 0xFFFFFFFF;                      /* no register: nothing drives the data */
    return (u32)(reg & 1 ? io->rte[n] >> 32 : io->rte[n]);
}

/* A register write; true when it makes a level pin send (*m). */
static bool reg_write(struct ioapic *io, u8 reg, u32 v, struct ioapic_msg *m)
{
    if (reg == IOAPIC_REG_ID) {
        io->id = (v >> IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
        return false;
    }
    unsigned n = (unsigned)(reg - IOAPIC_REG_REDTBL) / 2;
    if (reg < IOAPIC_REG_REDTBL || n >= io->pins)
        return false;                           /* version, arbitration (read-only) or nothing */
    u64 e = io->rte[n];
    if (reg & 1) {
        io->rte[n] = (e & RTE_LOW) | (((u64)v << 32) & IOAPIC_RTE_WRITABLE);
        return false;
    }
    e = (e & ~RTE_LOW) | (e & IOAPIC_RTE_REMOTE_IRR) | (v & IOAPIC_RTE_WRITABLE);
    /* Remote IRR belongs to level interrupts: switching to edge clears it (Linux relies on this to clear a stuck
     * remote IRR on I/O APICs without an EOI register: mask, edge, level, unmask). */
    if (!rte_level(e))
        e &= ~IOAPIC_RTE_REMOTE_IRR;
    io->rte[n] = e;
    return level_check(io, n, m);               /* unmasked, or made level, while asserted */
}

u64 ioapic_mmio_read(void *dev, u64 offset, unsigned size)
{
    struct ioapic *io = dev;
    u64 v = ~0ULL;                              /* no register here: all ones */
    spin_lock(&io->lock);
    if (offset == IOAPIC_IOREGSEL && size <= 4)
        v = io->sel;
    else if (offset == IOAPIC_IOWIN && size == 4)
        v = reg_read(io, io->sel);
    spin_unlock(&io->lock);
    return v;
}

void ioapic_mmio_write(void *dev, u64 offset, unsigned size, u64 value)
{
    struct ioapic *io = dev;
    struct ioapic_msg m;
    bool out = false;
    if (offset == IOAPIC_EOI && size == 4) {
        ioapic_eoi(io, (u8)value);
        return;
    }
    spin_lock(&io->lock);
    if (offset == IOAPIC_IOREGSEL && size <= 4)
        io->sel = (u8)value;
    else if (offset == IOAPIC_IOWIN && size == 4)
        out = reg_write(io, io->sel, (u32)value, &m);
    spin_unlock(&io->lock);
    if (out)
        io->deliver(io->ctx, &m);
}

void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level)
{
    struct ioapic_msg m;
    bool out;
    ASSERT(pin < io->pins);
    spin_lock(&io->lock);
    bool was = asserted(io, pin);
    io->line[pin] = level;
    if (rte_level(io->rte[pin]))
        out = level_check(io, pin, &m);
    else
        out = !was && asserted(io, pin) && send(io, pin, &m);  /* a rising edge; lost while masked */
    spin_unlock(&io->lock);
    if (out)
        io->deliver(io->ctx, &m);
}

/* The EOI message carries only the vector (82093AA 3.2.4, "Remote IRR"): every pin with it is ended. */
void ioapic_eoi(struct ioapic *io, u8 vector)
{
    struct ioapic_msg m[IOAPIC_MAX_PINS];      /* 720 bytes: every pin may share the vector */
    unsigned n = 0;
    spin_lock(&io->lock);
    for (unsigned pin = 0; pin < io->pins; pin++) {
        u64 e = io->rte[pin];
        if (!(e & IOAPIC_RTE_REMOTE_IRR) || (e & IOAPIC_RTE_VECTOR) != vector)
            continue;
        io->rte[pin] = e & ~IOAPIC_RTE_REMOTE_IRR;
        if (level_check(io, pin, &m[n]))
            n++;
    }
    spin_unlock(&io->lock);
    for (unsigned i = 0; i < n; i++)
        io->deliver(io->ctx, &m[i]);
}

u64 ioapic_entry(struct ioapic *io, unsigned pin)
{
    ASSERT(pin < io->pins);
    spin_lock(&io->lock);
    u64 e = io->rte[pin];
    spin_unlock(&io->lock);
    return e;
}
