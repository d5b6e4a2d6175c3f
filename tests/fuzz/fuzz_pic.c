/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the 8259A pair: random command/data/ELCR accesses, IRQ lines and INTA cycles. */
#include "devices/iobus.h"
#include "devices/pic8259.h"
#include "fuzz_check.h"

struct env {
    unsigned kicks;
};

static void kick(void *ctx)
{
    ((struct env *)ctx)->kicks++;
}

static u8 level_mask(const struct pic_chip *c, bool master)
{
    return (u8)((c->icw1 & PIC_ICW1_LTIM ? 0xFF : c->elcr) | (master ? 0x04 : 0));
}

/* The IR a chip presents, by walking the priority order from the data sheet: the first in-service level stops
 * the walk (unless masked in special mask mode, or the cascade in special fully nested mode). */
static int ref_pending(const struct pic_chip *c, bool master)
{
    u8 req = c->irr & (u8)~c->imr, blk = c->isr;
    if (c->special_mask)
        blk &= (u8)~c->imr;
    if (master && (c->icw4 & PIC_ICW4_SFNM))
        blk &= (u8)~0x04;
    for (unsigned k = 0; k < 8; k++) {
        unsigned ir = (c->priority_add + k) & 7;
        if (blk & BIT(ir))
            return -1;
        if (req & BIT(ir))
            return (int)ir;
    }
    return -1;
}

static void check_chip(const struct pic_chip *c, bool master)
{
    INVARIANT((c->irr & (u8)~c->lines) == 0);           /* a request needs its input high */
    INVARIANT((c->lines & level_mask(c, master) & (u8)~c->irr) == 0 || (master && (c->icw1 & PIC_ICW1_SNGL)));
    INVARIANT((c->elcr & (u8)~c->elcr_mask) == 0);
    INVARIANT(c->priority_add < 8);
    INVARIANT(c->icw_step == 0 || c->icw_step == 2 || c->icw_step == 3 || c->icw_step == 4);
    INVARIANT((c->vector_base & 7) == 0);
}

static void check_state(const struct pic *p)
{
    const struct pic_chip *m = &p->chip[0], *s = &p->chip[1];
    check_chip(m, true);
    check_chip(s, false);
    if (!(m->icw1 & PIC_ICW1_SNGL))
        INVARIANT(!!(m->lines & 0x04) == (ref_pending(s, false) >= 0));   /* the cascade is in step */
    INVARIANT(p->int_out == (ref_pending(m, true) >= 0));
    INVARIANT(pic_has_interrupt((struct pic *)p) == p->int_out);
}

static void check_ack(const struct pic *pre, const struct pic *p, u8 vector)
{
    const struct pic_chip *pm = &pre->chip[0], *ps = &pre->chip[1], *m = &p->chip[0], *s = &p->chip[1];
    int ir = ref_pending(pm, true);
    if (ir < 0) {
        INVARIANT(vector == (pm->vector_base | 7));     /* spurious: nothing goes into service */
        INVARIANT(m->isr == pm->isr && s->isr == ps->isr);
        return;
    }
    INVARIANT(m->isr == (pm->icw4 & PIC_ICW4_AEOI ? pm->isr : (u8)(pm->isr | BIT(ir))));
    if (ir == 2 && !(pm->icw1 & PIC_ICW1_SNGL)) {
        int sir = ref_pending(ps, false);
        INVARIANT(sir >= 0);                            /* master IR2 implies a slave request */
        INVARIANT(vector == ps->vector_base + sir);
        INVARIANT(s->isr == (ps->icw4 & PIC_ICW4_AEOI ? ps->isr : (u8)(ps->isr | BIT(sir))));
    } else {
        INVARIANT(vector == pm->vector_base + ir && s->isr == ps->isr);
    }
}

static void check_read(const struct pic_chip *pre, const struct pic_chip *c, unsigned off, u8 v, bool master)
{
    if (pre->poll) {
        int ir = ref_pending(pre, master);
        INVARIANT(v == (ir < 0 ? 0 : (PIC_POLL_INT | ir)) && !c->poll);
    } else {
        INVARIANT(v == (off ? pre->imr : pre->read_isr ? pre->isr : pre->irr));
    }
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    struct env e = { 0 };
    struct pic p;
    struct iobus bus;
    pic_init(&p, kick, &e);
    iobus_init(&bus);
    struct io_region regs[3] = {
        { 0x20, 0x21, 1, pic_master_io_read, pic_master_io_write, &p, "pic1" },
        { 0xA0, 0xA1, 1, pic_slave_io_read, pic_slave_io_write, &p, "pic2" },
        { 0x4D0, 0x4D1, 1, pic_elcr_io_read, pic_elcr_io_write, &p, "elcr" },
    };
    for (int i = 0; i < 3; i++)
        INVARIANT(iobus_register(&bus, &regs[i]) == IOBUS_OK);

    for (size_t i = 0; i + 2 <= size; i += 2) {
        u8 op = data[i], val = data[i + 1];
        unsigned off = (op >> 3) & 1, which = (op >> 4) & 1;
        u16 base = which ? 0xA0 : 0x20;
        struct pic pre = p;
        unsigned kicks = e.kicks;

        switch (op & 7) {
        case 0:
        case 1:
            iobus_out(&bus, (u16)(base + off), 1, val);
            break;
        case 2: {
            u8 v = (u8)iobus_in(&bus, (u16)(base + off), 1);
            check_read(&pre.chip[which], &p.chip[which], off, v, which == 0);
            break;
        }
        case 3:
            iobus_out(&bus, (u16)(0x4D0 + off), 1, val);
            INVARIANT(p.chip[off].elcr == (val & p.chip[off].elcr_mask));
            break;
        case 4:
        case 5:
            if ((val & 15) != PIC_CASCADE_IRQ)
                pic_set_irq(&p, val & 15, val & 0x80);
            break;
        case 6:
            check_ack(&pre, &p, pic_ack(&p));
            break;
        default:
            INVARIANT(iobus_in(&bus, (u16)(0x4D0 + off), 1) == pre.chip[off].elcr);
            break;
        }
        check_state(&p);
        INVARIANT(e.kicks == kicks + (!pre.int_out && p.int_out));   /* kicked exactly when INT rose */
    }
    return 0;
}
