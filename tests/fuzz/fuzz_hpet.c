/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the HPET: random MMIO accesses of every size through the bus, time steps from a nanosecond
 * to hours, deadlines served or not; the counter, comparators, status and lines are checked from outside. */
#include "devices/hpet.h"
#include "devices/mmiobus.h"
#include "fuzz_check.h"

#define BASE 0xFED00000ULL
#define ROUTES ((1u << 2) | (1u << 8))

struct env {
    u64 now;
    u64 level;
    int legacy;
};

static u64 env_now(void *ctx)
{
    return ((struct env *)ctx)->now;
}

static void env_irq(void *ctx, unsigned line, bool level)
{
    struct env *e = ctx;
    INVARIANT(line < HPET_LINE_NONE);
    INVARIANT(line >= 32 || (ROUTES & (1u << line)));     /* only lines the board connects */
    INVARIANT(!!(e->level & (1ULL << line)) != level);  /* only on a change */
    e->level ^= 1ULL << line;
}

static void env_legacy(void *ctx, bool on)
{
    struct env *e = ctx;
    INVARIANT(e->legacy != on);                         /* only on a change */
    e->legacy = on;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    static const u64 scale[4] = { 1, 1000, 1000000, 10000000000ULL };
    static const unsigned sizes[4] = { 1, 2, 4, 8 };
    struct env e = { .now = 1795255567ULL * NSEC_PER_SEC + 123456789 };
    struct hpet h;
    struct mmiobus bus;
    hpet_init(&h, (struct dev_clock){ env_now, &e }, (struct dev_irq){ env_irq, &e, 0 }, env_legacy, ROUTES);
    mmiobus_init(&bus);
    struct mmio_region r = { BASE, BASE + HPET_MMIO_SIZE - 1, hpet_mmio_read, hpet_mmio_write, &h, "hpet" };
    INVARIANT(mmiobus_register(&bus, &r) == MMIOBUS_OK);
    u64 last_counter = 0;
    bool was_enabled = false;

    for (size_t i = 0; i + 12 <= size; i += 12) {
        u8 op = data[i], sel = data[i + 1];
        u64 val = 0;
        for (int k = 0; k < 8; k++)
            val |= (u64)data[i + 4 + k] << 8 * k;
        e.now += (u64)(data[i + 2] | data[i + 3] << 8) * scale[op >> 6];
        /* Mostly the registers that exist; sometimes anywhere in the block. */
        static const u16 regs[] = { HPET_GCAP_ID, HPET_GEN_CONF, HPET_GINTR_STA, HPET_MAIN_CNT, 0x100, 0x108, 0x110,
                                    0x120, 0x128, 0x130, 0x140, 0x148, 0x150 };
        u64 off = (op & 0x20) ? (u64)(sel | (data[i + 3] & 3) << 8) % HPET_MMIO_SIZE
                              : regs[sel % (sizeof regs / sizeof regs[0])] + ((sel >> 4) & 4);
        unsigned sz = sizes[(op >> 3) & 3];
        u64 v;
        switch (op & 7) {
        case 0:
        case 1:
            (void)mmiobus_write(&bus, BASE + off, sz, val & mmio_size_mask(sz));
            break;
        case 2:
        case 3:
            (void)mmiobus_read(&bus, BASE + off, sz, &v);
            break;
        case 4: {
            /* Serve the deadline: it lies ahead, and at it a match fires. */
            u64 d = hpet_next_deadline(&h);
            INVARIANT(d == DEV_NO_DEADLINE || d > e.now);
            if (d != DEV_NO_DEADLINE && d - e.now < 100 * NSEC_PER_SEC) {
                e.now = d;
                hpet_next_deadline(&h);
            }
            break;
        }
        default:
            hpet_next_deadline(&h);
            break;
        }
        hpet_mmio_read(&h, HPET_GEN_CONF, 8);          /* brings the model to the clock */
        bool on = h.config & HPET_CONF_ENABLE;
        INVARIANT(!(h.config & ~(HPET_CONF_ENABLE | HPET_CONF_LEG_RT)));
        INVARIANT(e.legacy == !!(h.config & HPET_CONF_LEG_RT));
        INVARIANT(!(h.isr & ~7ULL));
        INVARIANT(e.level == h.lines);
        if (!on)
            INVARIANT(!h.lines);                        /* halted: no interrupts */
        /* The counter counts ticks of the clock while enabled, never back (unless written while halted). */
        if (on && was_enabled)
            INVARIANT(h.counter >= last_counter || last_counter > 1ULL << 63);    /* or it wrapped at 2^64 */
        for (unsigned n = 0; n < HPET_TIMERS; n++) {
            const struct hpet_timer *t = &h.t[n];
            INVARIANT(!(t->config & ~HPET_TN_WRITABLE));
            INVARIANT(t->due == HPET_NEVER || t->due > h.counter);     /* every match up to now has fired */
            if (t->config & HPET_TN_32MODE)
                INVARIANT(t->cmp <= 0xFFFFFFFFULL && t->period <= 0xFFFFFFFFULL &&
                          (t->due == HPET_NEVER || (u32)t->due == t->cmp || !(t->config & HPET_TN_PERIODIC) ||
                           !t->period));
            if (!(t->config & HPET_TN_LEVEL))
                INVARIANT(!(h.isr & (1ULL << n)));      /* an edge timer's status reads 0 */
            INVARIANT(ROUTES & (1u << ((t->config & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT)) ||
                      !(t->config & HPET_TN_ROUTE));
            u64 conf = hpet_mmio_read(&h, HPET_TIMER0 + n * HPET_TIMER_STRIDE, 8);
            INVARIANT((conf & (HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP | HPET_TN_FSB_CAP | HPET_TN_FSB_EN)) ==
                      (HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP) && conf >> 32 == ROUTES);
        }
        u64 cap = hpet_mmio_read(&h, HPET_GCAP_ID, 8);
        INVARIANT(cap >> 32 == HPET_PERIOD_FS && (cap & 0xFFFF) == 0xA201);
        last_counter = h.counter;
        was_enabled = on;
    }
    return 0;
}
