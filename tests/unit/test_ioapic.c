/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the I/O APIC: registers, read-only bits, edge and level pins, polarity, masks, remote IRR, EOI. */
#include "devices/ioapic.h"
#include "devices/mmiobus.h"
#include "unit.h"

#define BASE 0xFEC00000ULL

/* A board: the bus with the I/O APIC on it, and the messages it sent. */
struct board {
    struct mmiobus bus;
    struct ioapic io;
    unsigned n;
    struct ioapic_msg msg[32];
};

static void deliver(void *ctx, const struct ioapic_msg *m)
{
    struct board *b = ctx;
    if (b->n < 32)
        b->msg[b->n] = *m;
    b->n++;
}

static void setup(struct board *b, u8 id, unsigned pins)
{
    b->n = 0;
    ioapic_init(&b->io, id, pins, deliver, b);
    mmiobus_init(&b->bus);
    struct mmio_region r = { BASE, BASE + IOAPIC_MMIO_SIZE - 1, ioapic_mmio_read, ioapic_mmio_write, &b->io, "ioapic" };
    CHECK_EQ(mmiobus_register(&b->bus, &r), MMIOBUS_OK);
}

static u64 rd(struct board *b, u64 off, unsigned size)
{
    u64 v = 0;
    CHECK_EQ(mmiobus_read(&b->bus, BASE + off, size, &v), MMIOBUS_OK);
    return v;
}

static void wr(struct board *b, u64 off, unsigned size, u64 v)
{
    CHECK_EQ(mmiobus_write(&b->bus, BASE + off, size, v), MMIOBUS_OK);
}

/* What a guest does: select, then a dword through the window. */
static u32 reg_rd(struct board *b, u8 reg)
{
    wr(b, IOAPIC_IOREGSEL, 4, reg);
    return (u32)rd(b, IOAPIC_IOWIN, 4);
}

static void reg_wr(struct board *b, u8 reg, u32 v)
{
    wr(b, IOAPIC_IOREGSEL, 4, reg);
    wr(b, IOAPIC_IOWIN, 4, v);
}

/* Program entry n: low half last, as Linux does (the destination is in place when the mask drops). */
static void rte_wr(struct board *b, unsigned n, u64 e)
{
    reg_wr(b, (u8)(IOAPIC_REG_REDTBL + 2 * n + 1), (u32)(e >> 32));
    reg_wr(b, (u8)(IOAPIC_REG_REDTBL + 2 * n), (u32)e);
}

static u64 rte_rd(struct board *b, unsigned n)
{
    return reg_rd(b, (u8)(IOAPIC_REG_REDTBL + 2 * n)) | (u64)reg_rd(b, (u8)(IOAPIC_REG_REDTBL + 2 * n + 1)) << 32;
}

#define LEVEL_LOW (IOAPIC_RTE_LEVEL | IOAPIC_RTE_ACTIVE_LOW)

TEST(ioapic_id_version_arbitration)
{
    struct board b;
    setup(&b, 0x12, IOAPIC_PC_PINS);                    /* only 4 bits fit */
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_ID), 0x02000000);
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_VER), 0x00170020);   /* version 0x20, 24 entries */
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_ARB), 0x02000000);
    reg_wr(&b, IOAPIC_REG_ID, 0xFFFFFFFF);              /* only bits 27:24 take */
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_ID), 0x0F000000);
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_ARB), 0x0F000000);
    reg_wr(&b, IOAPIC_REG_VER, 0);                      /* read-only */
    reg_wr(&b, IOAPIC_REG_ARB, 0);
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_VER), 0x00170020);
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_ARB), 0x0F000000);
    setup(&b, 1, 8);
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_VER), 0x00070020);
    CHECK_EQ(b.n, 0);
}

TEST(ioapic_ioregsel_reads_back_and_decodes_sizes)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    wr(&b, IOAPIC_IOREGSEL, 4, 0xFFFFFF01);
    CHECK_EQ(rd(&b, IOAPIC_IOREGSEL, 4), 0x01);        /* bits 31:8 reserved */
    wr(&b, IOAPIC_IOREGSEL, 1, 0x10);
    CHECK_EQ(rd(&b, IOAPIC_IOREGSEL, 1), 0x10);
    wr(&b, IOAPIC_IOREGSEL, 2, 0x0111);
    CHECK_EQ(rd(&b, IOAPIC_IOREGSEL, 2), 0x11);
    CHECK_EQ(rd(&b, IOAPIC_IOWIN, 4), 0);              /* entry 0 high half */
    /* The window decodes only a dword at 0x10: narrower, wider or misaligned accesses read all ones... */
    CHECK_EQ(rd(&b, IOAPIC_IOWIN, 1), 0xFF);
    CHECK_EQ(rd(&b, IOAPIC_IOWIN, 2), 0xFFFF);
    CHECK_EQ(rd(&b, IOAPIC_IOWIN, 8), ~0ULL);
    CHECK_EQ(rd(&b, IOAPIC_IOWIN + 1, 1), 0xFF);
    CHECK_EQ(rd(&b, IOAPIC_IOREGSEL, 8), ~0ULL);
    CHECK_EQ(rd(&b, 0x01, 1), 0xFF);
    CHECK_EQ(rd(&b, 0x20, 4), 0xFFFFFFFF);
    CHECK_EQ(rd(&b, IOAPIC_EOI, 4), 0xFFFFFFFF);        /* write-only */
    CHECK_EQ(rd(&b, 0xFFC, 4), 0xFFFFFFFF);
    /* ... and writes there change nothing. */
    wr(&b, IOAPIC_IOREGSEL, 4, IOAPIC_REG_REDTBL);
    wr(&b, IOAPIC_IOWIN, 2, 0);
    wr(&b, IOAPIC_IOWIN, 8, 0);
    wr(&b, IOAPIC_IOWIN + 2, 2, 0);
    wr(&b, 0x01, 1, 0x12);
    wr(&b, 0x20, 4, 0);
    CHECK_EQ(rd(&b, IOAPIC_IOREGSEL, 4), IOAPIC_REG_REDTBL);
    CHECK_EQ(rte_rd(&b, 0), IOAPIC_RTE_RESET);
}

TEST(ioapic_reset_state_and_out_of_range_registers)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    for (unsigned n = 0; n < IOAPIC_PC_PINS; n++)
        CHECK_EQ(rte_rd(&b, n), IOAPIC_RTE_MASKED);    /* masked, edge, active high, fixed, vector 0 */
    for (unsigned reg = 0x03; reg < 0x10; reg++)
        CHECK_EQ(reg_rd(&b, (u8)reg), 0xFFFFFFFF);
    for (unsigned reg = 0x10 + 2 * IOAPIC_PC_PINS; reg < 0x100; reg++) {
        reg_wr(&b, (u8)reg, 0);
        CHECK_EQ(reg_rd(&b, (u8)reg), 0xFFFFFFFF);
    }
    setup(&b, 0, IOAPIC_MAX_PINS);                      /* the largest table reaches register 0xFF */
    rte_wr(&b, IOAPIC_MAX_PINS - 1, 0xAB00000000010042ULL);
    CHECK_EQ(reg_rd(&b, 0xFF), 0xAB000000);
    CHECK_EQ(reg_rd(&b, 0xFE), 0x00010042);
    CHECK_EQ(reg_rd(&b, IOAPIC_REG_VER), 0x00770020);
}

TEST(ioapic_redirection_entry_halves_and_read_only_bits)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    reg_wr(&b, 0x10 + 2 * 5, 0xFFFFFFFF);
    reg_wr(&b, 0x11 + 2 * 5, 0xFFFFFFFF);
    /* Delivery status, remote IRR and reserved 55:17 stay 0; the rest takes. */
    CHECK_EQ(reg_rd(&b, 0x10 + 2 * 5), 0x1AFFF);
    CHECK_EQ(reg_rd(&b, 0x11 + 2 * 5), 0xFF000000);
    CHECK_EQ(ioapic_entry(&b.io, 5), 0xFF0000000001AFFFULL);
    reg_wr(&b, 0x11 + 2 * 5, 0x12345678);               /* the high half alone: destination 0x12 */
    CHECK_EQ(reg_rd(&b, 0x10 + 2 * 5), 0x1AFFF);
    CHECK_EQ(reg_rd(&b, 0x11 + 2 * 5), 0x12000000);
    reg_wr(&b, 0x10 + 2 * 5, 0x00000931);               /* the low half alone */
    CHECK_EQ(ioapic_entry(&b.io, 5), 0x1200000000000931ULL);
    CHECK_EQ(rte_rd(&b, 4), IOAPIC_RTE_RESET);          /* neighbours untouched */
    CHECK_EQ(rte_rd(&b, 6), IOAPIC_RTE_RESET);
    CHECK(!ioapic_rte_masked(ioapic_entry(&b.io, 5)));
    CHECK(ioapic_rte_masked(ioapic_entry(&b.io, 6)));
}

TEST(ioapic_edge_pin_sends_once_per_rising_edge)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 4, 0x0300000000000934ULL);               /* vector 0x34, lowest priority, logical, dest 3 */
    ioapic_set_irq(&b.io, 4, true);
    CHECK_EQ(b.n, 1);
    CHECK_EQ(b.msg[0].vector, 0x34);
    CHECK_EQ(b.msg[0].delivery_mode, IOAPIC_DM_LOWEST);
    CHECK(b.msg[0].logical && !b.msg[0].level);
    CHECK_EQ(b.msg[0].dest, 3);
    CHECK_EQ(b.msg[0].pin, 4);
    ioapic_set_irq(&b.io, 4, true);                     /* held: no new edge */
    CHECK_EQ(b.n, 1);
    ioapic_set_irq(&b.io, 4, false);
    CHECK_EQ(b.n, 1);
    ioapic_set_irq(&b.io, 4, true);
    CHECK_EQ(b.n, 2);
    CHECK_EQ(ioapic_entry(&b.io, 4) & IOAPIC_RTE_REMOTE_IRR, 0);   /* edge pins never set it */
    ioapic_eoi(&b.io, 0x34);                            /* an EOI means nothing to an edge pin */
    CHECK_EQ(b.n, 2);
}

TEST(ioapic_edge_while_masked_is_lost)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 8, IOAPIC_RTE_MASKED | 0x38);
    ioapic_set_irq(&b.io, 8, true);
    ioapic_set_irq(&b.io, 8, false);
    ioapic_set_irq(&b.io, 8, true);
    rte_wr(&b, 8, 0x38);                                /* unmasked while the line is still high */
    CHECK_EQ(b.n, 0);
    ioapic_set_irq(&b.io, 8, false);
    ioapic_set_irq(&b.io, 8, true);
    CHECK_EQ(b.n, 1);
    CHECK_EQ(b.msg[0].vector, 0x38);
}

TEST(ioapic_polarity)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 9, IOAPIC_RTE_ACTIVE_LOW | 0x39);        /* edge, active low: asserts on a falling line */
    ioapic_set_irq(&b.io, 9, true);
    CHECK_EQ(b.n, 0);
    ioapic_set_irq(&b.io, 9, false);
    CHECK_EQ(b.n, 1);
    ioapic_set_irq(&b.io, 9, true);
    CHECK_EQ(b.n, 1);
    /* Level, active low (a PCI INTx line): sends while the line is low. */
    rte_wr(&b, 10, LEVEL_LOW | 0x3A);
    CHECK_EQ(b.n, 2);                                   /* the line is 0 at reset: asserted at once */
    CHECK(b.msg[1].level && b.msg[1].pin == 10);
    ioapic_set_irq(&b.io, 10, true);                    /* deasserted */
    ioapic_eoi(&b.io, 0x3A);
    CHECK_EQ(b.n, 2);
    CHECK_EQ(ioapic_entry(&b.io, 10) & IOAPIC_RTE_REMOTE_IRR, 0);
    ioapic_set_irq(&b.io, 10, false);
    CHECK_EQ(b.n, 3);
}

TEST(ioapic_level_pin_remote_irr_and_eoi)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 11, 0x0100000000000000ULL | IOAPIC_RTE_LEVEL | 0x41);
    ioapic_set_irq(&b.io, 11, true);
    CHECK_EQ(b.n, 1);
    CHECK(b.msg[0].level && b.msg[0].vector == 0x41 && b.msg[0].dest == 1 && !b.msg[0].logical);
    CHECK(ioapic_entry(&b.io, 11) & IOAPIC_RTE_REMOTE_IRR);
    CHECK(reg_rd(&b, 0x10 + 2 * 11) & IOAPIC_RTE_REMOTE_IRR);
    ioapic_set_irq(&b.io, 11, false);                   /* remote IRR holds until the EOI */
    ioapic_set_irq(&b.io, 11, true);
    CHECK_EQ(b.n, 1);
    /* A guest write cannot clear remote IRR while the entry stays level. */
    reg_wr(&b, 0x10 + 2 * 11, IOAPIC_RTE_LEVEL | 0x41);
    CHECK(ioapic_entry(&b.io, 11) & IOAPIC_RTE_REMOTE_IRR);
    ioapic_eoi(&b.io, 0x42);                            /* another vector */
    CHECK_EQ(b.n, 1);
    ioapic_eoi(&b.io, 0x41);                            /* still asserted: sent again */
    CHECK_EQ(b.n, 2);
    CHECK(ioapic_entry(&b.io, 11) & IOAPIC_RTE_REMOTE_IRR);
    ioapic_set_irq(&b.io, 11, false);
    ioapic_eoi(&b.io, 0x41);                            /* deasserted: ends */
    CHECK_EQ(b.n, 2);
    CHECK_EQ(ioapic_entry(&b.io, 11) & IOAPIC_RTE_REMOTE_IRR, 0);
}

TEST(ioapic_eoi_register_at_0x40)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 3, IOAPIC_RTE_LEVEL | 0x51);
    ioapic_set_irq(&b.io, 3, true);
    CHECK_EQ(b.n, 1);
    wr(&b, IOAPIC_EOI, 2, 0x51);                        /* dwords only */
    CHECK_EQ(b.n, 1);
    wr(&b, IOAPIC_EOI, 4, 0xFFFFFF51);                  /* bits 7:0 the vector */
    CHECK_EQ(b.n, 2);
}

TEST(ioapic_level_pin_sends_on_unmask)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 12, IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | 0x44);
    ioapic_set_irq(&b.io, 12, true);
    CHECK_EQ(b.n, 0);
    CHECK_EQ(ioapic_entry(&b.io, 12) & IOAPIC_RTE_REMOTE_IRR, 0);
    rte_wr(&b, 12, IOAPIC_RTE_LEVEL | 0x44);
    CHECK_EQ(b.n, 1);
    CHECK(b.msg[0].level && b.msg[0].pin == 12);
    /* Masked with remote IRR set: the EOI clears it but nothing is sent until the unmask. */
    rte_wr(&b, 12, IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | 0x44);
    ioapic_eoi(&b.io, 0x44);
    CHECK_EQ(b.n, 1);
    CHECK_EQ(ioapic_entry(&b.io, 12) & IOAPIC_RTE_REMOTE_IRR, 0);
    rte_wr(&b, 12, IOAPIC_RTE_LEVEL | 0x44);
    CHECK_EQ(b.n, 2);
}

/* Linux's way to clear a stuck remote IRR on an I/O APIC without an EOI register: mask, edge, level, unmask. */
TEST(ioapic_switch_to_edge_clears_remote_irr)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 13, IOAPIC_RTE_LEVEL | 0x45);
    ioapic_set_irq(&b.io, 13, true);
    CHECK_EQ(b.n, 1);
    rte_wr(&b, 13, IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | 0x45);
    rte_wr(&b, 13, IOAPIC_RTE_MASKED | 0x45);
    CHECK_EQ(ioapic_entry(&b.io, 13) & IOAPIC_RTE_REMOTE_IRR, 0);
    rte_wr(&b, 13, IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | 0x45);
    CHECK_EQ(b.n, 1);
    rte_wr(&b, 13, IOAPIC_RTE_LEVEL | 0x45);            /* still asserted */
    CHECK_EQ(b.n, 2);
}

TEST(ioapic_pins_sharing_a_vector)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 16, LEVEL_LOW | 0x60);
    rte_wr(&b, 17, LEVEL_LOW | 0x60);
    rte_wr(&b, 18, LEVEL_LOW | 0x61);
    CHECK_EQ(b.n, 3);                                   /* all asserted at reset (lines low) */
    ioapic_set_irq(&b.io, 17, true);                    /* 17 deasserts; 16 and 18 stay */
    ioapic_eoi(&b.io, 0x60);                            /* one EOI ends both pins with the vector */
    CHECK_EQ(b.n, 4);
    CHECK_EQ(b.msg[3].pin, 16);
    CHECK(ioapic_entry(&b.io, 16) & IOAPIC_RTE_REMOTE_IRR);
    CHECK_EQ(ioapic_entry(&b.io, 17) & IOAPIC_RTE_REMOTE_IRR, 0);
    CHECK(ioapic_entry(&b.io, 18) & IOAPIC_RTE_REMOTE_IRR);     /* another vector: untouched */
    ioapic_set_irq(&b.io, 17, false);
    CHECK_EQ(b.n, 5);
    CHECK_EQ(b.msg[4].pin, 17);
}

/* NMI, SMI, INIT and ExtINT are sent as edge even when programmed level (82093AA 3.2.4); reserved modes send
 * nothing. */
TEST(ioapic_delivery_modes)
{
    struct board b;
    setup(&b, 0, IOAPIC_PC_PINS);
    rte_wr(&b, 0, 7ULL << 8);                           /* ExtINT, edge: the virtual wire */
    ioapic_set_irq(&b.io, 0, true);
    CHECK_EQ(b.n, 1);
    CHECK_EQ(b.msg[0].delivery_mode, IOAPIC_DM_EXTINT);
    rte_wr(&b, 1, IOAPIC_RTE_LEVEL | 4ULL << 8);         /* NMI, level */
    ioapic_set_irq(&b.io, 1, true);
    CHECK_EQ(b.n, 2);
    CHECK(b.msg[1].delivery_mode == IOAPIC_DM_NMI && !b.msg[1].level);
    CHECK_EQ(ioapic_entry(&b.io, 1) & IOAPIC_RTE_REMOTE_IRR, 0);
    ioapic_set_irq(&b.io, 1, true);                     /* held: no new edge */
    CHECK_EQ(b.n, 2);
    rte_wr(&b, 2, 3ULL << 8 | 0x70);                    /* reserved */
    rte_wr(&b, 3, IOAPIC_RTE_LEVEL | 6ULL << 8 | 0x71);
    ioapic_set_irq(&b.io, 2, true);
    ioapic_set_irq(&b.io, 3, true);
    CHECK_EQ(b.n, 2);
    CHECK_EQ(ioapic_entry(&b.io, 3) & IOAPIC_RTE_REMOTE_IRR, 0);
    rte_wr(&b, 3, IOAPIC_RTE_LEVEL | 0x71);             /* made fixed while asserted: sends */
    CHECK_EQ(b.n, 3);
    CHECK(b.msg[2].level && b.msg[2].vector == 0x71);
}
