/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the 8254 PIT and port 0x61: random port accesses through the bus, time steps from a
 * nanosecond to seconds, and the board's deadline served or not; the counters are checked from outside. */
#include "devices/iobus.h"
#include "devices/pit8254.h"
#include "devices/pit_counter.h"
#include "fuzz_check.h"

struct env {
    u64 now;
    bool irq;
};

static u64 env_now(void *ctx)
{
    return ((struct env *)ctx)->now;
}

static void env_irq(void *ctx, unsigned line, bool level)
{
    struct env *e = ctx;
    INVARIANT(line == 0);
    INVARIANT(e->irq != level);             /* only on a change */
    e->irq = level;
}

/* A counter as it stands at edge t, without touching the model. */
static struct pit_channel at_tick(const struct pit *p, unsigned i, u64 t)
{
    struct pit_channel c = p->ch[i];
    pit_ch_sync(&c, t);
    return c;
}

static u32 value_of(u16 raw, bool bcd)
{
    if (!bcd)
        return raw;
    return (raw >> 12) * 1000 + ((raw >> 8) & 15) * 100 + ((raw >> 4) & 15) * 10 + (raw & 15);
}

/* The last count seen per counter, and the counting element it came from. */
struct seen {
    bool valid;
    u64 tick, start, off;
    u32 n, value;
    bool running;
    u8 mode;
};

static void check_counter(const struct pit *p, unsigned i, u64 t, struct seen *s)
{
    struct pit_channel c = at_tick(p, i, t);
    u16 raw = pit_ch_count(&c, t);
    u32 v = value_of(raw, c.bcd), m = c.bcd ? 10000 : 0x10000;
    if (!c.counting) {
        s->valid = false;
        return;
    }
    INVARIANT(c.mode <= 5 && c.n >= 1 && c.n <= m);
    if (c.bcd)
        INVARIANT(((raw & 0xF) <= 9) && ((raw >> 4 & 0xF) <= 9) && ((raw >> 8 & 0xF) <= 9) && (raw >> 12) <= 9);
    if (c.mode == 2)
        INVARIANT((v ? v : m) >= 1 && (v ? v : m) <= c.n);
    if (c.mode == 3)
        INVARIANT((v || (c.n & 1) ? v : m) <= c.n && ((c.n & 1) || v % 2 == 0));   /* odd n reads 0 once */
    /* Between reloads the count only falls, one per clock run (two in mode 3). */
    bool same = s->valid && s->start == c.start && s->off == c.off && s->n == c.n && s->running == c.running &&
                s->mode == c.mode;
    if (same && t >= s->tick) {
        u64 dt = c.running ? t - s->tick : 0;
        if (c.mode != 3 && dt < s->value)
            INVARIANT(v == s->value - dt);
        if (c.mode == 3 && 2 * dt < s->value)
            INVARIANT(v == s->value - 2 * dt);
    }
    *s = (struct seen){ true, t, c.start, c.off, c.n, v, c.running, c.mode };
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    static const u64 scale[4] = { 1, 1000, 100000, 10000000 };
    struct env e = { .now = 1795255567ULL * NSEC_PER_SEC + 123456789 };
    struct pit p;
    struct iobus bus;
    pit_init(&p, (struct dev_clock){ env_now, &e }, (struct dev_irq){ env_irq, &e, 0 });
    iobus_init(&bus);
    struct io_region pit_reg = { 0x40, 0x43, 1, pit_io_read, pit_io_write, &p, "pit" };
    struct io_region p61_reg = { 0x61, 0x61, 1, pit_port61_read, pit_port61_write, &p, "port 0x61" };
    INVARIANT(iobus_register(&bus, &pit_reg) == IOBUS_OK);
    INVARIANT(iobus_register(&bus, &p61_reg) == IOBUS_OK);
    u8 cw[PIT_CHANNELS] = { 0x30, 0x30, 0x30 };     /* bits 5:0 of the last mode-setting control word */
    struct seen seen[PIT_CHANNELS] = { { 0 } };

    for (size_t i = 0; i + 4 <= size; i += 4) {
        u8 op = data[i], val = data[i + 1];
        e.now += (u64)(data[i + 2] | data[i + 3] << 8) * scale[op >> 6];
        u64 t = pit_ns_to_ticks(e.now - p.base_ns);
        unsigned ch = (op >> 3) % 3;

        /* With the model up to the clock and the clock standing, a change of the deadline is the access's doing. */
        bool check_moved = (op & 0x20) && (op & 7) != 6;
        u64 deadline = check_moved ? pit_next_deadline(&p) : 0;
        pit_take_deadline_moved(&p);

        switch (op & 7) {
        case 0:
            if ((val >> 6) != 3 && (val >> 4 & 3) != 0)
                cw[val >> 6] = val & 0x3F;
            iobus_out(&bus, 0x43, 1, val);
            break;
        case 1:
            iobus_out(&bus, (u16)(0x40 + ch), 1, val);
            break;
        case 2: {
            struct pit_channel c = at_tick(&p, ch, t);
            u8 v = (u8)iobus_in(&bus, (u16)(0x40 + ch), 1);
            if (!c.status_latched && !c.latched && c.rw == PIT_RW_LSB)
                INVARIANT(v == (u8)pit_ch_count(&c, t));
            if (!c.status_latched && !c.latched && c.rw == PIT_RW_MSB)
                INVARIANT(v == pit_ch_count(&c, t) >> 8);
            break;
        }
        case 3: {
            /* Read-back of one counter's status: it shows the programmed control word and OUT. */
            struct pit_channel c = at_tick(&p, ch, t);
            if (c.status_latched)
                break;
            iobus_out(&bus, 0x43, 1, PIT_CW_READBACK | PIT_RB_NO_COUNT | PIT_RB_CNT(ch));
            u8 st = (u8)iobus_in(&bus, (u16)(0x40 + ch), 1);
            INVARIANT((st & 0x3F) == cw[ch]);
            INVARIANT(!!(st & PIT_ST_OUT) == pit_ch_out(&c, t));
            break;
        }
        case 4: {
            u8 v = (u8)iobus_in(&bus, 0x61, 1);
            INVARIANT((v & PORT61_RW) == p.port61 && !(v & (PORT61_IOCHK | PORT61_SERR)));
            INVARIANT(!!(v & PORT61_REFRESH) == ((t / PIT_REFRESH_TICKS) & 1));
            struct pit_channel c = at_tick(&p, 2, t);
            INVARIANT(!!(v & PORT61_OUT2) == pit_ch_out(&c, t));
            break;
        }
        case 5:
            iobus_out(&bus, 0x61, 1, val);
            INVARIANT(p.port61 == (val & PORT61_RW) && p.ch[2].gate == (val & 1));
            break;
        case 6: {
            /* The deadline is in the future; at it, the line follows OUT 0. */
            u64 d = pit_next_deadline(&p);
            INVARIANT(d == DEV_NO_DEADLINE || d > e.now);
            if (d != DEV_NO_DEADLINE && d - e.now < 10 * NSEC_PER_SEC) {
                e.now = d;
                pit_next_deadline(&p);
            }
            break;
        }
        default:
            pit_next_deadline(&p);
            break;
        }

        t = pit_ns_to_ticks(e.now - p.base_ns);
        INVARIANT(p.irq_tick <= t);
        if ((op & 7) != 0 && (op & 7) != 1 && (op & 7) != 5)
            INVARIANT(!check_moved || !pit_take_deadline_moved(&p));   /* reads and deadlines never set it */
        if (check_moved) {
            bool moved = pit_take_deadline_moved(&p);
            if (pit_next_deadline(&p) != deadline)
                INVARIANT(moved);
        }
        /* Every entry point leaves IRQ 0 at OUT 0; the model is at edge irq_tick. */
        struct pit_channel c0 = at_tick(&p, 0, p.irq_tick);
        INVARIANT(e.irq == pit_ch_out(&c0, p.irq_tick));
        for (unsigned k = 0; k < PIT_CHANNELS; k++) {
            INVARIANT(p.ch[k].gate == (k == 2 ? (p.port61 & 1) : 1));
            check_counter(&p, k, t, &seen[k]);
        }
    }
    return 0;
}
