/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the I/O APIC: random MMIO accesses, pin levels and EOIs, checked against its invariants. */
#include "devices/ioapic.h"
#include "devices/mmiobus.h"
#include "fuzz_check.h"

#define BASE 0xFEC00000ULL
#define PINS 24

static unsigned sent;
static struct ioapic_msg msg[IOAPIC_MAX_PINS + 1];

static void deliver(void *ctx, const struct ioapic_msg *m)
{
    (void)ctx;
    INVARIANT(sent <= IOAPIC_MAX_PINS);
    msg[sent++] = *m;
}

static bool level_entry(u64 e)
{
    unsigned dm = (e >> 8) & 7;
    return (e & IOAPIC_RTE_LEVEL) && dm <= IOAPIC_DM_LOWEST;
}

static bool asserted(const struct ioapic *io, unsigned pin)
{
    return io->line[pin] != !!(io->rte[pin] & IOAPIC_RTE_ACTIVE_LOW);
}

static void check_state(const struct ioapic *io)
{
    INVARIANT(io->id <= 0xF);
    for (unsigned p = 0; p < PINS; p++) {
        u64 e = io->rte[p];
        INVARIANT(!(e & IOAPIC_RTE_PENDING));                         /* read-only, always 0 */
        INVARIANT((e & 0x00FFFFFFFFFE0000ULL) == 0);                    /* reserved 55:17 */
        INVARIANT(!(e & IOAPIC_RTE_REMOTE_IRR) || level_entry(e));      /* remote IRR only on level pins */
        /* A level pin asserted, unmasked, of a real mode and without remote IRR would have sent. */
        unsigned dm = (e >> 8) & 7;
        INVARIANT(!(level_entry(e) && asserted(io, p) && !(e & IOAPIC_RTE_MASKED) && dm != 3 && dm != 6 &&
                    !(e & IOAPIC_RTE_REMOTE_IRR)));
    }
}

/* Every message of one operation: from an unmasked pin, as its entry says; a level one sent only with remote IRR
 * clear before (or cleared by this EOI) and set after; an edge one only from a pin's input (pin_op). */
static void check_msgs(const struct ioapic *pre, const struct ioapic *io, bool pin_op, bool eoi, u8 eoi_vector)
{
    for (unsigned i = 0; i < sent; i++) {
        const struct ioapic_msg *m = &msg[i];
        INVARIANT(m->pin < PINS);
        u64 e = io->rte[m->pin];
        INVARIANT(!(e & IOAPIC_RTE_MASKED));
        INVARIANT(asserted(io, m->pin));
        INVARIANT(m->vector == (u8)e && m->delivery_mode == ((e >> 8) & 7) && m->dest == (u8)(e >> 56));
        INVARIANT(m->logical == !!(e & IOAPIC_RTE_LOGICAL) && m->level == level_entry(e));
        INVARIANT(m->delivery_mode != 3 && m->delivery_mode != 6);
        INVARIANT(m->level || pin_op);          /* unmasking or an EOI never makes an edge */
        if (m->level) {
            INVARIANT(!(pre->rte[m->pin] & IOAPIC_RTE_REMOTE_IRR) || (eoi && (u8)pre->rte[m->pin] == eoi_vector));
            INVARIANT(e & IOAPIC_RTE_REMOTE_IRR);
        }
        for (unsigned j = 0; j < i; j++)
            INVARIANT(msg[j].pin != m->pin);                            /* one message per pin per operation */
    }
    if (!eoi)
        INVARIANT(sent <= 1);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    struct ioapic io;
    struct mmiobus bus;
    ioapic_init(&io, size ? data[0] : 0, PINS, deliver, NULL);
    mmiobus_init(&bus);
    struct mmio_region r = { BASE, BASE + IOAPIC_MMIO_SIZE - 1, ioapic_mmio_read, ioapic_mmio_write, &io, "ioapic" };
    INVARIANT(mmiobus_register(&bus, &r) == MMIOBUS_OK);

    for (size_t i = 0; i + 6 <= size; i += 6) {
        const u8 *d = &data[i];
        u8 op = d[0];
        u32 v = (u32)d[2] | (u32)d[3] << 8 | (u32)d[4] << 16 | (u32)d[5] << 24;
        struct ioapic pre = io;
        bool eoi = false, pin_op = false;
        u8 eoi_vector = 0;
        sent = 0;
        switch (op & 7) {
        case 0: {                               /* select then write a register, the common case */
            u8 reg = d[1] < 0x80 ? (u8)(0x10 + d[1] % (2 * PINS)) : d[1];
            INVARIANT(mmiobus_write(&bus, BASE + IOAPIC_IOREGSEL, 4, reg) == MMIOBUS_OK);
            pre = io;
            INVARIANT(mmiobus_write(&bus, BASE + IOAPIC_IOWIN, 4, v) == MMIOBUS_OK);
            if (reg >= 0x10 && reg < 0x10 + 2 * PINS) {
                u64 before = pre.rte[(reg - 0x10) / 2], after = io.rte[(reg - 0x10) / 2];
                u64 half = reg & 1 ? 0xFFFFFFFF00000000ULL : 0xFFFFFFFFULL;
                INVARIANT((before & ~half) == (after & ~half));         /* the other half untouched */
                INVARIANT((after & IOAPIC_RTE_WRITABLE & half) == (((u64)v << (reg & 1 ? 32 : 0)) &
                                                                   IOAPIC_RTE_WRITABLE & half));
                /* Remote IRR is read-only: kept, cleared by a switch to edge, or set by a send. */
                if ((after & IOAPIC_RTE_REMOTE_IRR) != (before & IOAPIC_RTE_REMOTE_IRR))
                    INVARIANT(after & IOAPIC_RTE_REMOTE_IRR ? sent == 1 : !level_entry(after));
            } else if (reg == IOAPIC_REG_ID) {
                INVARIANT(io.id == ((v >> 24) & 0xF));
            } else {
                INVARIANT(io.id == pre.id);
                for (unsigned p = 0; p < PINS; p++)
                    INVARIANT(io.rte[p] == pre.rte[p]);
            }
            break;
        }
        case 1: {                               /* select then read */
            INVARIANT(mmiobus_write(&bus, BASE + IOAPIC_IOREGSEL, 1, d[1]) == MMIOBUS_OK);
            u64 got;
            INVARIANT(mmiobus_read(&bus, BASE + IOAPIC_IOWIN, 4, &got) == MMIOBUS_OK);
            u8 reg = d[1];
            if (reg == IOAPIC_REG_ID || reg == IOAPIC_REG_ARB)
                INVARIANT(got == (u64)io.id << 24);
            else if (reg == IOAPIC_REG_VER)
                INVARIANT(got == (0x20 | (PINS - 1) << 16));
            else if (reg >= 0x10 && reg < 0x10 + 2 * PINS)
                INVARIANT(got == (u32)(io.rte[(reg - 0x10) / 2] >> (reg & 1 ? 32 : 0)));
            else
                INVARIANT(got == 0xFFFFFFFF);
            break;
        }
        case 2:                                 /* any access anywhere in the window */
        case 3: {
            u64 off = d[1] < 0xC0 ? d[1] & 0x47u : ((u64)d[2] << 4 | (d[1] & 0xF)) & 0xFFF;  /* mostly near registers */
            unsigned sz = 1u << (d[3] & 3);
            if (off + sz > IOAPIC_MMIO_SIZE)
                break;
            if (op & 1) {
                u64 got;
                INVARIANT(mmiobus_read(&bus, BASE + off, sz, &got) == MMIOBUS_OK);
            } else {
                if (off == IOAPIC_EOI && sz == 4)
                    eoi = true, eoi_vector = (u8)v;
                INVARIANT(mmiobus_write(&bus, BASE + off, sz, v) == MMIOBUS_OK);
            }
            break;
        }
        case 4:
        case 5:
        case 6: {                               /* pin levels */
            unsigned pin = d[1] % PINS;
            pin_op = true;
            bool was = asserted(&io, pin);
            ioapic_set_irq(&io, pin, d[2] & 1);
            bool edge = !level_entry(io.rte[pin]);
            if (edge)
                INVARIANT(sent == 0 || (!was && asserted(&io, pin)));   /* edge pins: rising edges only */
            break;
        }
        default:                                /* EOI from a local APIC */
            eoi = true, eoi_vector = d[1];
            ioapic_eoi(&io, d[1]);
            for (unsigned p = 0; p < PINS; p++)
                if ((u8)io.rte[p] == d[1] && (io.rte[p] & IOAPIC_RTE_REMOTE_IRR))
                    INVARIANT(sent > 0);        /* set again only by a new send */
            break;
        }
        check_msgs(&pre, &io, pin_op, eoi, eoi_vector);
        check_state(&io);
    }
    return 0;
}
