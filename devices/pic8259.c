/* SPDX-License-Identifier: BSD-2-Clause */
/* The 8259A PIC pair: initialisation words, operation words, priority resolution, EOI, poll and the INTA cycle. */
#include "devices/pic8259.h"
#include "kernel/assert.h"

enum { MASTER, SLAVE };

/* Inputs that are level-sensitive. Master IR2 is the chipset-internal cascade wire, which we treat as a level so
 * a request the slave still holds (say after an automatic EOI) is never lost for want of a new edge. */
static u8 level_mask(const struct pic_chip *c, bool master)
{
    return (u8)((c->icw1 & PIC_ICW1_LTIM ? 0xFF : c->elcr) | (master ? BIT(PIC_CASCADE_IRQ) : 0));
}

/* Priority rank (0 highest) of the best IR in mask under the current rotation, or 8 when mask is empty. */
static unsigned best_rank(const struct pic_chip *c, u8 mask)
{
    for (unsigned rank = 0; rank < 8; rank++)
        if (mask & BIT((rank + c->priority_add) & 7))
            return rank;
    return 8;
}

/*
 * The IR this chip would present on INT, or -1. A request needs a higher priority than every IR in service
 * (fully nested mode), except: in special mask mode in-service IRs that are masked do not block, and in special
 * fully nested mode the master lets the cascade IR through again for a higher-priority slave request.
 */
static int chip_pending(const struct pic_chip *c, bool master)
{
    unsigned req = best_rank(c, c->irr & (u8)~c->imr);
    if (req == 8)
        return -1;
    u8 blocking = c->isr;
    if (c->special_mask)
        blocking &= (u8)~c->imr;
    if (master && (c->icw4 & PIC_ICW4_SFNM))
        blocking &= (u8)~BIT(PIC_CASCADE_IRQ);
    return req < best_rank(c, blocking) ? (int)((req + c->priority_add) & 7) : -1;
}

/*
 * An IR input changes. Edge mode latches a rising edge in IRR; level mode requests while high. In both modes the
 * request vanishes when the input falls before INTA: "the IR input must remain high until after the falling edge
 * of the first INTA pulse" (8259A data sheet), which is how a spurious IR7 arises.
 */
static void chip_input(struct pic_chip *c, bool master, unsigned ir, bool level)
{
    u8 bit = (u8)BIT(ir);
    if (level) {
        if (!(c->lines & bit) || (level_mask(c, master) & bit))
            c->irr |= bit;
        c->lines |= bit;
    } else {
        c->lines &= (u8)~bit;
        c->irr &= (u8)~bit;
    }
}

/* INTA (or a poll read) takes IR ir: into service unless automatic EOI; an edge request is consumed. */
static void chip_ack(struct pic_chip *c, bool master, unsigned ir)
{
    u8 bit = (u8)BIT(ir);
    if (!(level_mask(c, master) & bit))
        c->irr &= (u8)~bit;
    if (!(c->icw4 & PIC_ICW4_AEOI))
        c->isr |= bit;
    else if (c->rotate_aeoi)
        c->priority_add = (ir + 1) & 7;
}

/* Propagate the slave's INT to master IR2 and recompute the master's INT. */
static void update(struct pic *p)
{
    struct pic_chip *m = &p->chip[MASTER], *s = &p->chip[SLAVE];
    if (!(m->icw1 & PIC_ICW1_SNGL))
        chip_input(m, true, PIC_CASCADE_IRQ, chip_pending(s, false) >= 0);
    __atomic_store_n(&p->int_out, chip_pending(m, true) >= 0, __ATOMIC_RELEASE);   /* read unlocked */
}

/* Every entry point: lock, change, update; kick the vCPU after unlocking if INT rose. */
static void finish(struct pic *p, bool was_up)
{
    update(p);
    bool rose = !was_up && p->int_out;
    spin_unlock(&p->lock);
    if (rose && p->kick)
        p->kick(p->kick_ctx);
}

static u8 poll_read(struct pic_chip *c, bool master)
{
    c->poll = false;
    int ir = chip_pending(c, master);
    if (ir < 0)
        return 0;
    chip_ack(c, master, (unsigned)ir);
    return (u8)(PIC_POLL_INT | ir);
}

static u8 chip_read(struct pic_chip *c, bool master, u16 offset)
{
    if (c->poll)
        return poll_read(c, master);            /* the next read of either port is the poll word */
    if (offset == PIC_PORT_CMD)
        return c->read_isr ? c->isr : c->irr;
    return c->imr;
}

/* ICW1 (8259A data sheet, "Initialization command words"): edge latches reset, IMR cleared, IR7 lowest,
 * special mask off, IRR selected for reading, ICW4 functions zeroed unless IC4. ISR is cleared too. */
static void icw1(struct pic_chip *c, bool master, u8 v)
{
    c->icw1 = v;
    c->icw_step = 2;
    c->imr = c->isr = 0;
    c->irr = c->lines & level_mask(c, master);
    c->priority_add = 0;
    c->special_mask = c->read_isr = c->poll = c->rotate_aeoi = false;
    if (!(v & PIC_ICW1_IC4))
        c->icw4 = 0;
}

static void ocw2(struct pic_chip *c, u8 v)
{
    unsigned level = v & PIC_OCW2_LEVEL;
    /* In special mask mode a non-specific EOI leaves masked in-service bits alone (8259A data sheet, "Special
     * Mask Mode"). */
    u8 eligible = c->special_mask ? c->isr & (u8)~c->imr : c->isr;
    unsigned top = (best_rank(c, eligible) + c->priority_add) & 7;

    switch (v & (u8)~PIC_OCW2_LEVEL) {
    case PIC_OCW2_ROT_AEOI_OFF:
    case PIC_OCW2_ROT_AEOI_ON:
        c->rotate_aeoi = v & PIC_OCW2_ROT_AEOI_ON;
        break;
    case PIC_OCW2_EOI:
    case PIC_OCW2_ROT_EOI:
        if (!eligible)
            break;
        c->isr &= (u8)~BIT(top);
        if ((v & (u8)~PIC_OCW2_LEVEL) == PIC_OCW2_ROT_EOI)
            c->priority_add = (top + 1) & 7;
        break;
    case PIC_OCW2_SEOI:
        c->isr &= (u8)~BIT(level);
        break;
    case PIC_OCW2_ROT_SEOI:
        c->isr &= (u8)~BIT(level);
        c->priority_add = (level + 1) & 7;
        break;
    case PIC_OCW2_SET_PRIO:
        c->priority_add = (level + 1) & 7;
        break;
    default:
        break;                                  /* PIC_OCW2_NOP */
    }
}

static void chip_write(struct pic_chip *c, bool master, u16 offset, u8 v)
{
    if (offset == PIC_PORT_CMD) {
        if (v & PIC_ICW1) {
            icw1(c, master, v);
        } else if (v & PIC_OCW3) {
            if (v & PIC_OCW3_ESMM)
                c->special_mask = v & PIC_OCW3_SMM;
            if (v & PIC_OCW3_POLL)
                c->poll = true;
            if (v & PIC_OCW3_RR)
                c->read_isr = v & PIC_OCW3_RIS;
        } else {
            ocw2(c, v);
        }
        return;
    }
    switch (c->icw_step) {
    case 2:
        c->vector_base = v & 0xF8;
        c->icw_step = !(c->icw1 & PIC_ICW1_SNGL) ? 3 : (c->icw1 & PIC_ICW1_IC4) ? 4 : 0;
        break;
    case 3:
        c->icw3 = v;                            /* the PC's cascade wiring is fixed; kept for completeness */
        c->icw_step = (c->icw1 & PIC_ICW1_IC4) ? 4 : 0;
        break;
    case 4:
        c->icw4 = v;
        c->icw_step = 0;
        break;
    default:
        c->imr = v;                             /* OCW1 */
        break;
    }
}

static void chip_reset(struct pic_chip *c, bool master, u8 base, u8 elcr_mask)
{
    *c = (struct pic_chip){
        .imr = 0xFF,
        .elcr_mask = elcr_mask,
        .vector_base = base,
        .icw1 = PIC_ICW1 | PIC_ICW1_IC4,
        .icw3 = master ? BIT(PIC_CASCADE_IRQ) : PIC_CASCADE_IRQ,
        .icw4 = PIC_ICW4_8086,
    };
}

void pic_init(struct pic *p, void (*kick)(void *ctx), void *kick_ctx)
{
    *p = (struct pic){ .lock = SPINLOCK_INIT, .kick = kick, .kick_ctx = kick_ctx };
    chip_reset(&p->chip[MASTER], true, 0x08, 0xF8);     /* PIIX4 ELCR1: IRQ 0-2 edge only */
    chip_reset(&p->chip[SLAVE], false, 0x70, 0xDE);     /* PIIX4 ELCR2: IRQ 8 and 13 edge only */
}

static u32 chip_io_read(struct pic *p, unsigned which, u16 offset, unsigned size)
{
    ASSERT(offset < PIC_PORTS && size == 1);
    spin_lock(&p->lock);
    bool was = p->int_out;
    u8 v = chip_read(&p->chip[which], which == MASTER, offset);
    finish(p, was);
    return v;
}

static void chip_io_write(struct pic *p, unsigned which, u16 offset, unsigned size, u32 value)
{
    ASSERT(offset < PIC_PORTS && size == 1);
    spin_lock(&p->lock);
    bool was = p->int_out;
    chip_write(&p->chip[which], which == MASTER, offset, (u8)value);
    finish(p, was);
}

u32 pic_master_io_read(void *dev, u16 offset, unsigned size)
{
    return chip_io_read(dev, MASTER, offset, size);
}

void pic_master_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    chip_io_write(dev, MASTER, offset, size, value);
}

u32 pic_slave_io_read(void *dev, u16 offset, unsigned size)
{
    return chip_io_read(dev, SLAVE, offset, size);
}

void pic_slave_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    chip_io_write(dev, SLAVE, offset, size, value);
}

u32 pic_elcr_io_read(void *dev, u16 offset, unsigned size)
{
    struct pic *p = dev;
    ASSERT(offset < PIC_ELCR_PORTS && size == 1);
    spin_lock(&p->lock);
    u8 v = p->chip[offset].elcr;
    spin_unlock(&p->lock);
    return v;
}

/* A line switched to level with its input high requests at once; one switched to edge keeps its latch. */
void pic_elcr_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct pic *p = dev;
    ASSERT(offset < PIC_ELCR_PORTS && size == 1);
    spin_lock(&p->lock);
    bool was = p->int_out;
    struct pic_chip *c = &p->chip[offset];
    c->elcr = (u8)value & c->elcr_mask;
    c->irr |= c->lines & c->elcr;
    finish(p, was);
}

void pic_set_irq(struct pic *p, unsigned line, bool level)
{
    ASSERT(line < 16 && line != PIC_CASCADE_IRQ);
    spin_lock(&p->lock);
    bool was = p->int_out;
    chip_input(&p->chip[line >> 3], line < 8, line & 7, level);
    finish(p, was);
}

/*
 * The INTA cycle (8259A data sheet, "Interrupt sequence"): no request left at INTA gives IR7 without ISR. The
 * chip's spurious IR15 needs a slave request to vanish between the master's and the slave's halves of the cycle;
 * this cycle is atomic and master IR2 follows the slave's INT, so the slave branch below is the data sheet's path
 * but the model answers a vanished slave request with the master's IR7.
 */
u8 pic_ack(struct pic *p)
{
    struct pic_chip *m = &p->chip[MASTER], *s = &p->chip[SLAVE];
    u8 vector;

    spin_lock(&p->lock);
    bool was = p->int_out;
    int ir = chip_pending(m, true);
    if (ir < 0) {
        vector = m->vector_base | 7;
    } else {
        chip_ack(m, true, (unsigned)ir);
        if (ir == PIC_CASCADE_IRQ && !(m->icw1 & PIC_ICW1_SNGL)) {
            int sir = chip_pending(s, false);
            if (sir < 0) {
                vector = s->vector_base | 7;
            } else {
                chip_ack(s, false, (unsigned)sir);
                vector = (u8)(s->vector_base + sir);
            }
        } else {
            vector = (u8)(m->vector_base + ir);
        }
    }
    finish(p, was);
    return vector;
}
