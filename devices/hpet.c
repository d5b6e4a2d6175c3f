/* SPDX-License-Identifier: BSD-2-Clause */
/* The HPET model: main counter, three comparators (one-shot and periodic, 64- and 32-bit), interrupt status,
 * legacy replacement routing and deadlines. Section numbers are the IA-PC HPET specification 1.0a's (2.3.9.2.1
 * non-periodic and 2.3.9.2.2 periodic mode, as Intel's chipset data sheets cite them); the rest is from memory of its
 * register descriptions, checked against what Linux and the chipset data sheets do. */
#include "devices/hpet.h"

#define TIMER_BITS      ((1ULL << HPET_TIMERS) - 1)
#define COUNTER_32      (1ULL << 32)

/* Counter ticks since hpet_init at host time now. */
static u64 now_tick(struct hpet *h)
{
    u64 now = dev_now(&h->clock);
    return (now > h->base_ns ? now - h->base_ns : 0) / HPET_NS_PER_TICK;
}

static bool enabled(const struct hpet *h)
{
    return h->config & HPET_CONF_ENABLE;
}

static bool wide(const struct hpet_timer *t)
{
    return !(t->config & HPET_TN_32MODE);
}

/* The line timer n drives: legacy replacement's IRQ 0 or 8, else the routed GSI if the board connects it. */
static unsigned line_of(const struct hpet *h, unsigned n)
{
    if ((h->config & HPET_CONF_LEG_RT) && n < 2)
        return n == 0 ? HPET_LINE_IRQ0 : HPET_LINE_IRQ8;
    unsigned route = (unsigned)((h->t[n].config & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT);
    return h->route_cap & (1u << route) ? route : HPET_LINE_NONE;
}

/* Drive the lines the level-triggered timers hold (status set, interrupt enabled, HPET enabled). */
static void update_lines(struct hpet *h)
{
    u64 want = 0;
    for (unsigned n = 0; n < HPET_TIMERS; n++) {
        unsigned line = line_of(h, n);
        if (enabled(h) && (h->isr & (1ULL << n)) && (h->t[n].config & HPET_TN_INT_ENB) && line != HPET_LINE_NONE)
            want |= 1ULL << line;
    }
    for (unsigned line = 0; line < HPET_LINE_NONE; line++)
        if ((want ^ h->lines) & (1ULL << line))
            h->irq.set(h->irq.ctx, line, want & (1ULL << line));
    h->lines = want;
}

/*
 * The first counter value after c at which a comparator of this width matches: counts strictly after the one
 * at which it was set (a comparator written equal to the counter matches on the next wrap: 2^32 ticks on, 2^64
 * for a 64-bit one, never in practice).
 */
static u64 first_match(u64 c, const struct hpet_timer *t)
{
    if (!wide(t)) {
        u64 d = (u32)(t->cmp - c);
        d = d ? d : COUNTER_32;
        return c + d > c ? c + d : HPET_NEVER;         /* past 2^64: rearmed when the counter wraps */
    }
    return t->cmp > c ? t->cmp : HPET_NEVER;
}

static void rearm(struct hpet *h, unsigned n)
{
    h->t[n].due = first_match(h->counter, &h->t[n]);
}

/*
 * Timer n matched at t->due, with the counter now at c >= due. Level: the status bit is set (whether or not the
 * interrupt is enabled: the spec's INT_ENB_CNF only gates the interrupt). Edge: one pulse, if enabled and not held high by a level timer.
 * Periodic (2.3.9.2.2): the accumulator adds the period until it is ahead of the counter again; matches missed on
 * the way (the host ran late) give one interrupt, as the PIT's do. A one-shot matches again one wrap later.
 */
static void fire(struct hpet *h, unsigned n, u64 c)
{
    struct hpet_timer *t = &h->t[n];
    if (t->config & HPET_TN_LEVEL) {
        h->isr |= 1ULL << n;
    } else if (t->config & HPET_TN_INT_ENB) {
        unsigned line = line_of(h, n);
        if (line != HPET_LINE_NONE && !(h->lines & (1ULL << line))) {
            h->irq.set(h->irq.ctx, line, true);
            h->irq.set(h->irq.ctx, line, false);
        }
    }
    bool periodic = (t->config & HPET_TN_PERIODIC) && t->period;   /* a period of 0 matches like a one-shot */
    u64 step = periodic ? t->period : wide(t) ? 0 : COUNTER_32;
    u64 k = step ? (c - t->due) / step + 1 : 0;
    if (!step || k > (HPET_NEVER - t->due) / step) {
        t->due = HPET_NEVER;                /* a 64-bit one-shot, or beyond 2^64 ticks (58,000 years) */
        return;
    }
    t->due += k * step;
    if (periodic)
        t->cmp = wide(t) ? t->due : (u32)(t->cmp + k * step);
}

/* Bring the HPET to tick `now`: the counter runs while enabled, and every match on the way fires. */
static void advance(struct hpet *h, u64 now)
{
    if (enabled(h) && now > h->tick) {
        u64 c = h->counter + (now - h->tick);
        bool wrapped = c < h->counter;      /* past 2^64: only a guest that wrote the counter near it */
        for (unsigned n = 0; n < HPET_TIMERS; n++)
            if (h->t[n].due <= c || (wrapped && h->t[n].due != HPET_NEVER))
                fire(h, n, wrapped ? HPET_NEVER - 1 : c);
        h->counter = c;
        for (unsigned n = 0; wrapped && n < HPET_TIMERS; n++)
            rearm(h, n);                    /* from 0 again (a match between 0 and c is lost) */
    }
    h->tick = now;
    update_lines(h);
}

void hpet_init(struct hpet *h, struct dev_clock clock, struct dev_irq irq, void (*legacy)(void *ctx, bool on),
               u32 route_cap)
{
    *h = (struct hpet){ .lock = SPINLOCK_INIT, .clock = clock, .irq = irq, .legacy = legacy, .route_cap = route_cap,
                        .deadline_moved = true };
    h->base_ns = dev_now(&clock);
    for (unsigned n = 0; n < HPET_TIMERS; n++) {
        h->t[n].cmp = h->t[n].period = ~0ULL;
        rearm(h, n);
    }
}

/* ---- registers ---- */

static u64 read_reg(struct hpet *h, u64 reg)
{
    switch (reg) {
    case HPET_GCAP_ID:
        return HPET_REV_ID | (u64)(HPET_TIMERS - 1) << HPET_CAP_NUM_TIM_SHIFT | HPET_CAP_COUNT_SIZE |
               HPET_CAP_LEG_RT | (u64)HPET_VENDOR << HPET_CAP_VENDOR_SHIFT | HPET_PERIOD_FS << HPET_CAP_PERIOD_SHIFT;
    case HPET_GEN_CONF:
        return h->config;
    case HPET_GINTR_STA:
        return h->isr;
    case HPET_MAIN_CNT:
        return h->counter;
    }
    if (reg < HPET_TIMER0 || reg >= HPET_TIMER0 + HPET_TIMERS * HPET_TIMER_STRIDE)
        return 0;
    const struct hpet_timer *t = &h->t[(reg - HPET_TIMER0) / HPET_TIMER_STRIDE];
    switch ((reg - HPET_TIMER0) % HPET_TIMER_STRIDE) {
    case HPET_TN_CONF:
        return t->config | HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP | (u64)h->route_cap << HPET_TN_ROUTE_CAP_SHIFT;
    case HPET_TN_CMP:
        return t->cmp;
    default:
        return 0;                           /* the FSB route and the reserved quadword */
    }
}

static void write_conf(struct hpet *h, u64 v)
{
    u64 old = h->config;
    v &= HPET_CONF_ENABLE | HPET_CONF_LEG_RT;
    h->config = v;
    if ((old ^ v) & HPET_CONF_ENABLE)
        for (unsigned n = 0; n < HPET_TIMERS; n++)
            rearm(h, n);                    /* the counter stood or starts here: matches from its value on */
    if ((old ^ v) & HPET_CONF_LEG_RT)
        h->legacy(h->irq.ctx, v & HPET_CONF_LEG_RT);
}

static void write_timer_conf(struct hpet *h, struct hpet_timer *t, u64 v)
{
    u64 route = (v & HPET_TN_ROUTE) >> HPET_TN_ROUTE_SHIFT;
    if (!(h->route_cap & (1u << route)))
        v = (v & ~HPET_TN_ROUTE) | (t->config & HPET_TN_ROUTE);    /* "will not match what is written" */
    v &= HPET_TN_WRITABLE;
    if (v & HPET_TN_32MODE) {               /* a 32-bit timer keeps the low halves */
        t->cmp = (u32)t->cmp;
        t->period = (u32)t->period;
    }
    if (!(v & HPET_TN_LEVEL))
        h->isr &= ~(1ULL << (t - h->t));    /* an edge timer's status reads 0 */
    t->config = v;
}

/*
 * A comparator write, of the bits in mask (2.3.9.2.2 and how Linux programs a periodic timer): one-shot, or with
 * VAL_SET, it sets the comparator; periodic, it sets the period too. VAL_SET clears after any comparator write.
 */
static void write_cmp(struct hpet_timer *t, u64 v, u64 mask)
{
    if (!wide(t))
        mask &= 0xFFFFFFFFULL;
    bool periodic = t->config & HPET_TN_PERIODIC;
    if (!periodic || (t->config & HPET_TN_VAL_SET))
        t->cmp = (t->cmp & ~mask) | (v & mask);
    if (periodic)
        t->period = (t->period & ~mask) | (v & mask);
    t->config &= ~HPET_TN_VAL_SET;
}

/* A write of `mask` bits of register `reg` (the value in place). */
static void write_reg(struct hpet *h, u64 reg, u64 v, u64 mask)
{
    u64 merged = (read_reg(h, reg) & ~mask) | (v & mask);
    if (reg == HPET_GEN_CONF) {
        write_conf(h, merged);
    } else if (reg == HPET_GINTR_STA) {
        h->isr &= ~(v & mask & TIMER_BITS);
    } else if (reg == HPET_MAIN_CNT) {
        if (enabled(h))
            return;                         /* the spec has it written only while halted: a running one ignores it */
        h->counter = merged;
        for (unsigned n = 0; n < HPET_TIMERS; n++)
            rearm(h, n);
    } else if (reg >= HPET_TIMER0 && reg < HPET_TIMER0 + HPET_TIMERS * HPET_TIMER_STRIDE) {
        unsigned n = (unsigned)((reg - HPET_TIMER0) / HPET_TIMER_STRIDE);
        u64 r = (reg - HPET_TIMER0) % HPET_TIMER_STRIDE;
        if (r == HPET_TN_CONF)
            write_timer_conf(h, &h->t[n], merged);
        else if (r == HPET_TN_CMP)
            write_cmp(&h->t[n], v, mask);
        else
            return;
        rearm(h, n);
    }
}

/*
 * Whether timer n's next match changes a line: its interrupt is enabled and routed, and (level) its status is not
 * already up and holding the line. Any other match shows only in registers the guest reads (the status bit, a
 * periodic accumulator), which advance() brings up to the counter at every access however many matches passed.
 * Linux's clockevent shutdown clears only INT_ENB, leaving timer 0 periodic at HZ: it needs no deadline then.
 */
static bool match_interrupts(const struct hpet *h, unsigned n)
{
    const struct hpet_timer *t = &h->t[n];
    if (!(t->config & HPET_TN_INT_ENB) || line_of(h, n) == HPET_LINE_NONE)
        return false;
    return !((t->config & HPET_TN_LEVEL) && (h->isr & (1ULL << n)));
}

/* The next deadline in host ns, the HPET up to tick now: the next match that would move a line. */
static u64 deadline_ns(const struct hpet *h)
{
    if (!enabled(h))
        return DEV_NO_DEADLINE;
    u64 due = HPET_NEVER;
    for (unsigned n = 0; n < HPET_TIMERS; n++)
        if (match_interrupts(h, n))
            due = MIN(due, h->t[n].due);
    if (due == HPET_NEVER)
        return DEV_NO_DEADLINE;
    /* due > counter (matches up to the counter have fired); one far off is looked at again after 2^40 ticks */
    u64 ahead = MIN(due - h->counter, 1ULL << 40);
    return h->base_ns + (h->tick + ahead) * HPET_NS_PER_TICK;
}

static bool decodes(u64 offset, unsigned size)
{
    return offset < HPET_MMIO_SIZE && (offset & 7) + size <= 8 && size >= 1 && size <= 8;
}

u64 hpet_mmio_read(void *dev, u64 offset, unsigned size)
{
    struct hpet *h = dev;
    if (!decodes(offset, size))
        return ~0ULL;
    spin_lock(&h->lock);
    advance(h, now_tick(h));
    u64 v = read_reg(h, offset & ~7ULL) >> (offset & 7) * 8;
    spin_unlock(&h->lock);
    return size == 8 ? v : v & ((1ULL << size * 8) - 1);
}

void hpet_mmio_write(void *dev, u64 offset, unsigned size, u64 value)
{
    struct hpet *h = dev;
    if (!decodes(offset, size))
        return;
    unsigned shift = (unsigned)(offset & 7) * 8;
    u64 mask = (size == 8 ? ~0ULL : (1ULL << size * 8) - 1) << shift;
    spin_lock(&h->lock);
    advance(h, now_tick(h));
    u64 before = deadline_ns(h);
    write_reg(h, offset & ~7ULL, value << shift, mask);
    update_lines(h);
    if (deadline_ns(h) != before)
        __atomic_store_n(&h->deadline_moved, true, __ATOMIC_RELAXED);
    spin_unlock(&h->lock);
}

u64 hpet_next_deadline(struct hpet *h)
{
    spin_lock(&h->lock);
    advance(h, now_tick(h));
    u64 d = deadline_ns(h);
    spin_unlock(&h->lock);
    return d;
}
