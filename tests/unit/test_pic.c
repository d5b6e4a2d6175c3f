/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the 8259A pair: Linux and SeaBIOS initialisation, EOI forms, masking, priorities, poll, spurious. */
#include "devices/pic8259.h"
#include "unit.h"

struct env {
    unsigned kicks;
};

static void kick(void *ctx)
{
    ((struct env *)ctx)->kicks++;
}

static void out_m(struct pic *p, unsigned off, u8 v)
{
    pic_master_io_write(p, (u16)off, 1, v);
}

static void out_s(struct pic *p, unsigned off, u8 v)
{
    pic_slave_io_write(p, (u16)off, 1, v);
}

static u8 in_m(struct pic *p, unsigned off)
{
    return (u8)pic_master_io_read(p, (u16)off, 1);
}

static u8 in_s(struct pic *p, unsigned off)
{
    return (u8)pic_slave_io_read(p, (u16)off, 1);
}

/* arch/x86/kernel/i8259.c: init_8259A(), vectors 0x30 and 0x38, then unmask what is in use. */
static void linux_init(struct pic *p, bool auto_eoi)
{
    out_m(p, 1, 0xFF);
    out_s(p, 1, 0xFF);
    out_m(p, 0, 0x11);
    out_m(p, 1, 0x30);
    out_m(p, 1, 1U << 2);
    out_m(p, 1, auto_eoi ? 0x03 : 0x01);
    out_s(p, 0, 0x11);
    out_s(p, 1, 0x38);
    out_s(p, 1, 2);
    out_s(p, 1, 0x01);
    out_m(p, 1, 0xFF & ~(1U << 2));
    out_s(p, 1, 0xFF);
}

/* Linux mask_and_ack_8259A(): mask, then specific EOI (slave, then master IR2). */
static void linux_mask_ack(struct pic *p, unsigned irq, u8 *mmask, u8 *smask)
{
    if (irq & 8) {
        *smask |= (u8)BIT(irq & 7);
        in_s(p, 1);
        out_s(p, 1, *smask);
        out_s(p, 0, (u8)(0x60 + (irq & 7)));
        out_m(p, 0, 0x60 + 2);
    } else {
        *mmask |= (u8)BIT(irq);
        in_m(p, 1);
        out_m(p, 1, *mmask);
        out_m(p, 0, (u8)(0x60 + irq));
    }
}

static void setup(struct pic *p, struct env *e)
{
    *e = (struct env){ 0 };
    pic_init(p, kick, e);
}

TEST(pic_linux_init_probe_and_ack)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    /* probe_8259A(): the IMR must read back. */
    out_s(&p, 1, 0xFF);
    out_m(&p, 1, 0x6C);
    CHECK_EQ(in_m(&p, 1), 0x6C);
    linux_init(&p, false);
    CHECK_EQ(in_m(&p, 1), 0xFB);
    CHECK_EQ(in_s(&p, 1), 0xFF);
    u8 mmask = 0xFB & ~BIT(4), smask = 0xFF & ~BIT(0);
    out_m(&p, 1, mmask);
    out_s(&p, 1, smask);

    pic_set_irq(&p, 4, true);                           /* the UART */
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(e.kicks, 1);
    CHECK_EQ(pic_ack(&p), 0x34);
    CHECK(!pic_has_interrupt(&p));
    out_m(&p, 0, 0x0B);                                 /* i8259A_irq_real(): read ISR */
    CHECK_EQ(in_m(&p, 0), 0x10);
    out_m(&p, 0, 0x0A);
    CHECK_EQ(in_m(&p, 0), 0x00);                        /* IRR: the edge was consumed by INTA */
    linux_mask_ack(&p, 4, &mmask, &smask);
    out_m(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0);
    out_m(&p, 0, 0x0A);
    pic_set_irq(&p, 4, false);
    mmask &= (u8)~BIT(4);
    out_m(&p, 1, mmask);                                /* unmask after the handler */
    CHECK(!pic_has_interrupt(&p));                      /* edge: no new interrupt without a new edge */

    pic_set_irq(&p, 8, true);                           /* the RTC, through the cascade */
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x38);
    out_m(&p, 0, 0x0B);
    out_s(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0x04);
    CHECK_EQ(in_s(&p, 0), 0x01);
    pic_set_irq(&p, 8, false);                          /* the handler reads register C */
    linux_mask_ack(&p, 8, &mmask, &smask);
    CHECK_EQ(in_m(&p, 0), 0);
    CHECK_EQ(in_s(&p, 0), 0);
}

/* SeaBIOS pic_reset(0x08, 0x70), chips interleaved, IRQ 2 unmasked; pic_eoi2() sends non-specific EOIs. */
TEST(pic_seabios_init)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    out_m(&p, 0, 0x11);
    out_s(&p, 0, 0x11);
    out_m(&p, 1, 0x08);
    out_s(&p, 1, 0x70);
    out_m(&p, 1, 0x04);
    out_s(&p, 1, 0x02);
    out_m(&p, 1, 0x01);
    out_s(&p, 1, 0x01);
    out_m(&p, 1, (u8)~BIT(2));
    out_s(&p, 1, 0xFF);
    CHECK_EQ(in_m(&p, 1), 0xFB);
    pic_set_irq(&p, 8, true);
    CHECK(!pic_has_interrupt(&p));                      /* masked on the slave */
    out_s(&p, 1, 0xFE);                                 /* enable_hwirq(8) */
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x70);
    pic_set_irq(&p, 8, false);
    out_s(&p, 0, 0x20);
    out_m(&p, 0, 0x20);
    out_m(&p, 0, 0x0B);
    out_s(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0) | in_s(&p, 0), 0);
    pic_set_irq(&p, 0, true);                           /* masked? no: IRQ 0 was left masked by ~BIT(2) */
    CHECK(!pic_has_interrupt(&p));
}

TEST(pic_fixed_priorities_and_nesting)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    out_s(&p, 1, 0x00);
    pic_set_irq(&p, 5, true);
    pic_set_irq(&p, 1, true);
    pic_set_irq(&p, 12, true);
    CHECK_EQ(pic_ack(&p), 0x31);                        /* IR1 beats IR2 (cascade) beats IR5 */
    CHECK(!pic_has_interrupt(&p));                      /* everything else is lower than IR1 in service */
    pic_set_irq(&p, 0, true);
    CHECK_EQ(pic_ack(&p), 0x30);                        /* higher priority nests */
    out_m(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0x03);
    out_m(&p, 0, 0x20);                                 /* non-specific EOI: the highest (IR0) */
    CHECK_EQ(in_m(&p, 0), 0x02);
    CHECK(!pic_has_interrupt(&p));
    out_m(&p, 0, 0x20);
    CHECK_EQ(pic_ack(&p), 0x3C);                        /* the slave's IR4 via IR2 */
    out_s(&p, 0, 0x20);
    out_m(&p, 0, 0x20);
    CHECK_EQ(pic_ack(&p), 0x35);
    out_m(&p, 0, 0x20);
    CHECK(!pic_has_interrupt(&p));
}

TEST(pic_every_eoi_form)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    out_m(&p, 0, 0x0B);
    /* Specific EOI clears exactly the named level, not the highest. */
    pic_set_irq(&p, 3, true);
    CHECK_EQ(pic_ack(&p), 0x33);
    pic_set_irq(&p, 1, true);
    CHECK_EQ(pic_ack(&p), 0x31);
    out_m(&p, 0, 0x63);
    CHECK_EQ(in_m(&p, 0), 0x02);
    out_m(&p, 0, 0x61);
    CHECK_EQ(in_m(&p, 0), 0x00);
    pic_set_irq(&p, 1, false);
    pic_set_irq(&p, 3, false);

    /* Rotate on non-specific EOI: IR1 becomes lowest, so IR3 now beats IR0. */
    pic_set_irq(&p, 1, true);
    CHECK_EQ(pic_ack(&p), 0x31);
    out_m(&p, 0, 0xA0);
    pic_set_irq(&p, 1, false);
    pic_set_irq(&p, 0, true);
    pic_set_irq(&p, 3, true);
    CHECK_EQ(pic_ack(&p), 0x33);
    out_m(&p, 0, 0x20);
    CHECK_EQ(pic_ack(&p), 0x30);
    out_m(&p, 0, 0x20);
    pic_set_irq(&p, 0, false);
    pic_set_irq(&p, 3, false);

    /* Rotate on specific EOI: EOI IR5 and make it lowest; IR6 is now highest. */
    pic_set_irq(&p, 5, true);
    CHECK_EQ(pic_ack(&p), 0x35);
    out_m(&p, 0, 0xE5);
    CHECK_EQ(in_m(&p, 0), 0);
    pic_set_irq(&p, 5, false);
    pic_set_irq(&p, 0, true);
    pic_set_irq(&p, 6, true);
    CHECK_EQ(pic_ack(&p), 0x36);
    out_m(&p, 0, 0x20);
    pic_set_irq(&p, 0, false);
    pic_set_irq(&p, 6, false);

    /* Set priority: IR7 lowest again (the reset order); then no-op OCW2 changes nothing. */
    out_m(&p, 0, 0xC7);
    pic_set_irq(&p, 7, true);
    pic_set_irq(&p, 0, true);
    CHECK_EQ(pic_ack(&p), 0x30);
    out_m(&p, 0, 0x40);
    CHECK_EQ(in_m(&p, 0), 0x01);
    out_m(&p, 0, 0x20);
    CHECK_EQ(pic_ack(&p), 0x37);
    out_m(&p, 0, 0x20);
    pic_set_irq(&p, 0, false);
    pic_set_irq(&p, 7, false);
    CHECK_EQ(in_m(&p, 0), 0);
    out_m(&p, 0, 0x20);                                 /* EOI with nothing in service is harmless */
    CHECK_EQ(in_m(&p, 0), 0);
}

TEST(pic_automatic_eoi_and_rotation)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, true);
    out_m(&p, 1, 0x00);
    out_m(&p, 0, 0x0B);
    pic_set_irq(&p, 3, true);
    CHECK_EQ(pic_ack(&p), 0x33);
    CHECK_EQ(in_m(&p, 0), 0);                           /* never in service */
    pic_set_irq(&p, 3, false);
    /* Rotate in automatic EOI mode: each acked IR becomes the lowest. */
    out_m(&p, 0, 0x80);
    pic_set_irq(&p, 1, true);
    CHECK_EQ(pic_ack(&p), 0x31);
    pic_set_irq(&p, 1, false);
    pic_set_irq(&p, 0, true);
    pic_set_irq(&p, 2 + 1, true);
    CHECK_EQ(pic_ack(&p), 0x33);                        /* after IR1 came IR2..IR7, then IR0 */
    CHECK_EQ(pic_ack(&p), 0x30);
    out_m(&p, 0, 0x00);                                 /* rotation off */
}

TEST(pic_masking_and_special_mask_mode)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, BIT(6));
    pic_set_irq(&p, 6, true);
    CHECK(!pic_has_interrupt(&p));
    out_m(&p, 0, 0x0A);
    CHECK_EQ(in_m(&p, 0), 0x40);                        /* requested, masked */
    out_m(&p, 1, 0x00);
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x36);
    pic_set_irq(&p, 6, false);

    /* IR3 in service blocks IR5; masked in special mask mode it no longer does. */
    pic_set_irq(&p, 3, true);
    out_m(&p, 0, 0x20);
    CHECK_EQ(pic_ack(&p), 0x33);
    pic_set_irq(&p, 5, true);
    CHECK(!pic_has_interrupt(&p));
    out_m(&p, 1, BIT(3));
    CHECK(!pic_has_interrupt(&p));
    out_m(&p, 0, 0x68);                                 /* OCW3: ESMM|SMM */
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x35);
    out_m(&p, 0, 0x65);
    out_m(&p, 0, 0x48);                                 /* special mask off */
    out_m(&p, 0, 0x63);
    out_m(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0);
}

TEST(pic_spurious_irq7)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    out_s(&p, 1, 0x00);
    /* The request goes away between INT and INTA: IR7 of the base, nothing in service. */
    pic_set_irq(&p, 4, true);
    CHECK(pic_has_interrupt(&p));
    pic_set_irq(&p, 4, false);
    CHECK(!pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x37);
    out_m(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0);
    /*
     * A slave request that vanishes takes the slave's INT, and so master IR2, with it: the master answers IR7.
     * (On the chip a spurious IR15 needs the request to vanish between the master's and the slave's halves of
     * the INTA cycle; pic_ack() is one atomic cycle, so in the model the master always answers first.)
     */
    pic_set_irq(&p, 10, true);
    CHECK(pic_has_interrupt(&p));
    pic_set_irq(&p, 10, false);
    CHECK(!pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x37);
    /* The same when the slave's request is masked away before INTA. */
    pic_set_irq(&p, 11, true);
    CHECK(pic_has_interrupt(&p));
    out_s(&p, 1, BIT(3));
    CHECK(!pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x37);
    out_m(&p, 0, 0x0B);
    out_s(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0) | in_s(&p, 0), 0);
    /* Spurious IR7 under an IR7 genuinely in service: the ISR tells them apart (Linux i8259A_irq_real()). */
    pic_set_irq(&p, 11, false);
    out_s(&p, 1, 0x00);
    pic_set_irq(&p, 7, true);
    CHECK_EQ(pic_ack(&p), 0x37);
    out_m(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0x80);
    out_m(&p, 0, 0x20);
}

TEST(pic_poll_mode)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    out_s(&p, 1, 0x00);
    out_m(&p, 0, 0x0C);
    CHECK_EQ(in_m(&p, 0), 0x00);                        /* nothing pending: bit 7 clear */
    out_m(&p, 0, 0x0A);
    pic_set_irq(&p, 5, true);
    out_m(&p, 0, 0x0C);
    CHECK_EQ(in_m(&p, 1), 0x85);                        /* either port; bit 7 and the level */
    out_m(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0x20);                        /* and ISR is set, as the data sheet says */
    CHECK(!pic_has_interrupt(&p));
    CHECK_EQ(in_m(&p, 1), 0x00);                        /* poll lasts one read: this is IMR */
    out_m(&p, 0, 0x20);
    pic_set_irq(&p, 13, true);
    out_s(&p, 0, 0x0C);
    CHECK_EQ(in_s(&p, 0), 0x85);                        /* slave polled directly: its level 5 */
    out_s(&p, 0, 0x20);
}

TEST(pic_elcr_level_and_edge)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    out_s(&p, 1, 0x00);
    pic_elcr_io_write(&p, 0, 1, 0xFF);
    pic_elcr_io_write(&p, 1, 1, 0xFF);
    CHECK_EQ(pic_elcr_io_read(&p, 0, 1), 0xF8);         /* IRQ 0-2 are edge only */
    CHECK_EQ(pic_elcr_io_read(&p, 1, 1), 0xDE);         /* IRQ 8 and 13 are edge only */
    pic_elcr_io_write(&p, 0, 1, 0x00);
    pic_elcr_io_write(&p, 1, 1, BIT(11 - 8));
    /* Level: still high after EOI, requested again. */
    pic_set_irq(&p, 11, true);
    CHECK_EQ(pic_ack(&p), 0x3B);
    out_s(&p, 0, 0x20);
    out_m(&p, 0, 0x20);
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x3B);
    pic_set_irq(&p, 11, false);
    out_s(&p, 0, 0x20);
    out_m(&p, 0, 0x20);
    CHECK(!pic_has_interrupt(&p));
    /* Edge: held high, delivered once. */
    pic_set_irq(&p, 10, true);
    CHECK_EQ(pic_ack(&p), 0x3A);
    out_s(&p, 0, 0x20);
    out_m(&p, 0, 0x20);
    CHECK(!pic_has_interrupt(&p));
    /* Switching a held-high line to level requests at once. */
    pic_elcr_io_write(&p, 1, 1, BIT(10 - 8));
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x3A);
}

TEST(pic_icw1_resets_and_needs_new_edge)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    pic_set_irq(&p, 4, true);
    CHECK_EQ(pic_ack(&p), 0x34);
    linux_init(&p, false);                              /* re-initialised with IR4 in service and high */
    out_m(&p, 1, 0x00);
    out_m(&p, 0, 0x0B);
    CHECK_EQ(in_m(&p, 0), 0);                           /* ISR cleared */
    CHECK(!pic_has_interrupt(&p));                      /* the edge latch was reset: no request */
    pic_set_irq(&p, 4, false);
    pic_set_irq(&p, 4, true);
    CHECK_EQ(pic_ack(&p), 0x34);
    /* ICW1.LTIM makes every input level-triggered. */
    out_m(&p, 0, 0x19);
    out_m(&p, 1, 0x20);
    out_m(&p, 1, 0x04);
    out_m(&p, 1, 0x01);
    out_m(&p, 1, 0x00);
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x24);
    /* Single mode, no ICW4: ICW2 is the last word, the next data write is the IMR. */
    out_m(&p, 0, 0x12);
    out_m(&p, 1, 0x40);
    out_m(&p, 1, 0xEF);
    CHECK_EQ(in_m(&p, 1), 0xEF);
}

TEST(pic_special_fully_nested_mode)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 0, 0x11);
    out_m(&p, 1, 0x30);
    out_m(&p, 1, 0x04);
    out_m(&p, 1, 0x11);                                 /* ICW4: 8086 | SFNM */
    out_m(&p, 1, 0x00);
    out_s(&p, 1, 0x00);
    pic_set_irq(&p, 9, true);
    CHECK_EQ(pic_ack(&p), 0x39);
    pic_set_irq(&p, 8, true);                           /* higher priority on the slave, IR2 in service */
    CHECK(pic_has_interrupt(&p));
    CHECK_EQ(pic_ack(&p), 0x38);
    pic_set_irq(&p, 10, true);                          /* lower: blocked by the slave's own ISR */
    CHECK(!pic_has_interrupt(&p));
}

TEST(pic_kick_on_rising_int)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    pic_set_irq(&p, 3, true);
    pic_set_irq(&p, 4, true);                           /* INT already up: no second kick */
    CHECK_EQ(e.kicks, 1);
    CHECK_EQ(pic_ack(&p), 0x33);
    out_m(&p, 0, 0x20);                                 /* the EOI lets IR4 through: INT rises again */
    CHECK_EQ(e.kicks, 2);
}

TEST(pic_nonspecific_eoi_in_special_mask_mode_skips_masked)
{
    struct pic p;
    struct env e;
    setup(&p, &e);
    linux_init(&p, false);
    out_m(&p, 1, 0x00);
    pic_set_irq(&p, 3, true);
    CHECK_EQ(pic_ack(&p), 0x33);                        /* IR3 in service */
    out_m(&p, 1, BIT(3));                               /* its handler masks IR3 ... */
    out_m(&p, 0, 0x68);                                 /* ... and enters special mask mode */
    pic_set_irq(&p, 5, true);
    CHECK_EQ(pic_ack(&p), 0x35);                        /* IR5 nests */
    out_m(&p, 0, 0x20);                                 /* IR5's non-specific EOI */
    out_m(&p, 0, 0x0B);                                 /* OCW3: read ISR */
    CHECK_EQ(in_m(&p, 0), 0x08);                        /* IR3 still in service, IR5 done */
}
