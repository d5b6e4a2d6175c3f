/* SPDX-License-Identifier: BSD-2-Clause */
/* The 8254 PIT model: ports 0x40-0x43 (counts, control word, latch and read-back), port 0x61, IRQ 0 and deadlines. */
#include "devices/pit8254.h"
#include "devices/pit_counter.h"
#include "kernel/assert.h"

/* The input-clock edge the host clock has reached: edges since pit_init. */
static u64 now_tick(struct pit *p)
{
    u64 now = dev_now(&p->clock);
    return pit_ns_to_ticks(now > p->base_ns ? now - p->base_ns : 0);
}

/*
 * IRQ 0 follows OUT 0. The PIC and the I/O APIC take it edge-triggered: what counts is a rising edge. Between
 * two evaluations OUT 0 may have risen more than once; the line then gets one low-high pulse, however many
 * periods passed. Those edges would have found IRR set on a real PIC too, and the board evaluates at every OUT 0
 * change (pit_next_deadline), so ticks are lost only when the host itself runs late by more than a period.
 */
static void set_line(struct pit *p, bool rose, bool level)
{
    if (rose) {
        if (p->irq_level)
            p->irq.set(p->irq.ctx, p->irq.line, false);
        p->irq.set(p->irq.ctx, p->irq.line, true);
        p->irq_level = true;
    }
    if (p->irq_level != level) {
        p->irq_level = level;
        p->irq.set(p->irq.ctx, p->irq.line, level);
    }
}

/* Bring counter 0 to edge t, watching OUT 0 for a rise across a count that the CE took on the way. */
static void follow_out0(struct pit *p, u64 t)
{
    struct pit_channel *c = &p->ch[0];
    u64 a = p->irq_tick;
    bool rose = false;
    if (t > a) {
        if (c->pend && c->pend_tick <= t && c->pend_tick > a) {
            u64 b = c->pend_tick - 1;
            bool before;
            rose = pit_ch_rose(c, a, b);
            before = pit_ch_out(c, b);
            pit_ch_sync(c, c->pend_tick);
            rose |= !before && pit_ch_out(c, c->pend_tick);
            a = c->pend_tick;
        }
        pit_ch_sync(c, t);
        rose |= pit_ch_rose(c, a, t);
        p->irq_tick = t;
    }
    set_line(p, rose, pit_ch_out(c, t));
}

/* Bring the whole PIT to edge t. */
static void advance(struct pit *p, u64 t)
{
    follow_out0(p, t);
    pit_ch_sync(&p->ch[1], t);
    pit_ch_sync(&p->ch[2], t);
}

void pit_init(struct pit *p, struct dev_clock clock, struct dev_irq irq)
{
    *p = (struct pit){ .lock = SPINLOCK_INIT, .clock = clock, .irq = irq, .deadline_moved = true };
    p->base_ns = dev_now(&clock);
    for (int i = 0; i < PIT_CHANNELS; i++) {
        p->ch[i].gate = i != 2;             /* gates 0 and 1 are tied high on the PC; gate 2 is port 0x61 bit 0 */
        pit_ch_mode_set(&p->ch[i], 0, PIT_RW_WORD << PIT_CW_RW_SHIFT);
    }
}

/* ---- ports 0x40-0x42: counts ---- */

static u8 read_counter(struct pit_channel *c, u64 t)
{
    if (c->status_latched) {                /* "the first read returns the status, the next the count" */
        c->status_latched = false;
        return c->status;
    }
    u16 v = c->latched ? c->latch : pit_ch_count(c, t);
    bool msb = c->rw == PIT_RW_MSB || (c->rw == PIT_RW_WORD && c->read_msb);
    if (c->rw == PIT_RW_WORD)
        c->read_msb = !c->read_msb;
    if (c->rw != PIT_RW_WORD || !c->read_msb)
        c->latched = false;                 /* the latch holds until the whole count is read */
    return (u8)(msb ? v >> 8 : v);
}

static void write_counter(struct pit_channel *c, u64 t, u8 v)
{
    switch (c->rw) {
    case PIT_RW_LSB:
        c->cr = v;
        break;
    case PIT_RW_MSB:
        c->cr = (u16)(v << 8);
        break;
    default:
        if (!c->write_msb) {
            c->cr = (u16)((c->cr & 0xFF00) | v);
            c->write_msb = true;
            pit_ch_first_byte(c, t);
            return;
        }
        c->cr = (u16)((c->cr & 0x00FF) | v << 8);
        c->write_msb = false;
        break;
    }
    c->cr_valid = true;
    c->null_count = true;                   /* in word access, on the second byte (82C54 "Status Byte") */
    pit_ch_count_written(c, t);
}

/* ---- port 0x43: control word, counter latch, read-back ---- */

static void latch_count(struct pit_channel *c, u64 t)
{
    if (!c->latched) {                      /* a second latch before the count is read is ignored */
        c->latch = pit_ch_count(c, t);
        c->latched = true;
    }
}

static void latch_status(struct pit_channel *c, u64 t)
{
    if (!c->status_latched) {
        c->status = (u8)((pit_ch_out(c, t) ? PIT_ST_OUT : 0) | (c->null_count ? PIT_ST_NULL_COUNT : 0) | c->cw);
        c->status_latched = true;
    }
}

static void write_control(struct pit *p, u64 t, u8 v)
{
    unsigned sc = v >> PIT_CW_SC_SHIFT;
    if (sc == 3) {
        for (unsigned i = 0; i < PIT_CHANNELS; i++) {
            if (!(v & PIT_RB_CNT(i)))
                continue;
            if (!(v & PIT_RB_NO_COUNT))
                latch_count(&p->ch[i], t);
            if (!(v & PIT_RB_NO_STATUS))
                latch_status(&p->ch[i], t);
        }
    } else if (((v >> PIT_CW_RW_SHIFT) & 3) == PIT_RW_LATCH) {
        latch_count(&p->ch[sc], t);
    } else {
        pit_ch_mode_set(&p->ch[sc], t, v);
    }
}

u32 pit_io_read(void *dev, u16 offset, unsigned size)
{
    struct pit *p = dev;
    ASSERT(offset < PIT_PORTS && size == 1);
    if (offset == PIT_PORT_CONTROL)
        return 0xFF;
    spin_lock(&p->lock);
    u64 t = now_tick(p);
    advance(p, t);
    u8 v = read_counter(&p->ch[offset], t);
    spin_unlock(&p->lock);
    return v;
}

/* Under the lock; taken without it by pit_take_deadline_moved, hence atomic. */
static void note_deadline_moved(struct pit *p)
{
    __atomic_store_n(&p->deadline_moved, true, __ATOMIC_RELAXED);
}

void pit_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct pit *p = dev;
    ASSERT(offset < PIT_PORTS && size == 1);
    spin_lock(&p->lock);
    u64 t = now_tick(p);
    advance(p, t);
    u64 before = pit_ch_next_change(&p->ch[0], t);
    if (offset == PIT_PORT_CONTROL)
        write_control(p, t, (u8)value);
    else
        write_counter(&p->ch[offset], t, (u8)value);
    if (pit_ch_next_change(&p->ch[0], t) != before)
        note_deadline_moved(p);
    set_line(p, false, pit_ch_out(&p->ch[0], t));  /* a control word or a mode 0 count sets OUT at once */
    spin_unlock(&p->lock);
}

/* ---- port 0x61 ---- */

u32 pit_port61_read(void *dev, u16 offset, unsigned size)
{
    struct pit *p = dev;
    ASSERT(offset == PIT_PORT61 && size == 1);
    spin_lock(&p->lock);
    u64 t = now_tick(p);
    advance(p, t);
    u8 v = (u8)(p->port61 | ((t / PIT_REFRESH_TICKS) & 1 ? PORT61_REFRESH : 0) |
                (pit_ch_out(&p->ch[2], t) ? PORT61_OUT2 : 0));
    spin_unlock(&p->lock);
    return v;
}

void pit_port61_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct pit *p = dev;
    ASSERT(offset == PIT_PORT61 && size == 1);
    spin_lock(&p->lock);
    u64 t = now_tick(p);
    advance(p, t);
    p->port61 = value & PORT61_RW;
    pit_ch_gate(&p->ch[2], t, value & PORT61_GATE2);
    spin_unlock(&p->lock);
}

u64 pit_next_deadline(struct pit *p)
{
    spin_lock(&p->lock);
    u64 t = now_tick(p);
    advance(p, t);
    u64 u = pit_ch_next_change(&p->ch[0], t);
    u64 d = u == PIT_NEVER ? DEV_NO_DEADLINE : p->base_ns + pit_ticks_to_ns(u);
    spin_unlock(&p->lock);
    return d;
}
