/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the HPET model, from the IA-PC HPET specification 1.0a and how Linux programs it. */
#include "devices/hpet.h"
#include "unit.h"

#define BASE_NS (1795255567ULL * NSEC_PER_SEC + 123456789)
#define US 1000ULL
#define ROUTES ((1u << 2) | (1u << 8))
#define T(n, r) (HPET_TIMER0 + (n) * HPET_TIMER_STRIDE + (r))

struct env {
    u64 now;
    u64 level;                  /* bit per line */
    unsigned pulses[HPET_LINE_NONE], sets;
    int legacy;                 /* -1 never told, else the last LEG_RT_CNF */
};

static u64 env_now(void *ctx)
{
    return ((struct env *)ctx)->now;
}

static void env_irq(void *ctx, unsigned line, bool level)
{
    struct env *e = ctx;
    CHECK(line < HPET_LINE_NONE);
    CHECK(!!(e->level & (1ULL << line)) != level);      /* only on a change */
    e->level ^= 1ULL << line;
    if (!level)
        e->pulses[line]++;                              /* a rise and fall: one edge for an edge-triggered input */
    e->sets++;
}

static void env_legacy(void *ctx, bool on)
{
    ((struct env *)ctx)->legacy = on;
}

static void setup(struct hpet *h, struct env *e)
{
    *e = (struct env){ .now = BASE_NS, .legacy = -1 };
    hpet_init(h, (struct dev_clock){ env_now, e }, (struct dev_irq){ env_irq, e, 0 }, env_legacy, ROUTES);
}

static u64 rd(struct hpet *h, u64 reg)
{
    return hpet_mmio_read(h, reg, 8);
}

static u32 rd32(struct hpet *h, u64 off)
{
    return (u32)hpet_mmio_read(h, off, 4);
}

static void wr(struct hpet *h, u64 reg, u64 v)
{
    hpet_mmio_write(h, reg, 8, v);
}

static void wr32(struct hpet *h, u64 off, u32 v)
{
    hpet_mmio_write(h, off, 4, v);
}

TEST(hpet_capabilities)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    u64 cap = rd(&h, HPET_GCAP_ID);
    CHECK_EQ(cap & 0xFF, 1);                            /* REV_ID */
    CHECK_EQ((cap >> 8) & 0x1F, 2);                     /* NUM_TIM_CAP: timers 0-2 */
    CHECK(cap & HPET_CAP_COUNT_SIZE);
    CHECK(cap & HPET_CAP_LEG_RT);
    CHECK_EQ((cap >> 16) & 0xFFFF, 0x8086);
    CHECK_EQ(cap >> 32, 100000000);                     /* 100 ns: 10 MHz, at the spec's limit 0x05F5E100 */
    CHECK_EQ(rd32(&h, HPET_GCAP_ID + 4), 100000000);    /* Linux reads the period as a dword at 0x004 */
    CHECK_EQ(rd32(&h, HPET_GCAP_ID), (u32)cap);
    CHECK_EQ(hpet_mmio_read(&h, HPET_GCAP_ID + 2, 2), 0x8086);
    wr(&h, HPET_GCAP_ID, 0);                            /* read-only */
    CHECK_EQ(rd(&h, HPET_GCAP_ID), cap);
    for (unsigned n = 0; n < HPET_TIMERS; n++) {
        u64 c = rd(&h, T(n, HPET_TN_CONF));
        CHECK(c & HPET_TN_PER_INT_CAP);
        CHECK(c & HPET_TN_SIZE_CAP);
        CHECK(!(c & (HPET_TN_FSB_CAP | HPET_TN_FSB_EN | HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_LEVEL)));
        CHECK_EQ(c >> 32, ROUTES);
        CHECK_EQ(rd(&h, T(n, HPET_TN_CMP)), ~0ULL);     /* comparators reset to all ones */
        CHECK_EQ(rd(&h, T(n, HPET_TN_FSB)), 0);
    }
    CHECK_EQ(rd(&h, 0x160), 0);                         /* past the last timer: reserved */
    CHECK_EQ(rd(&h, HPET_GEN_CONF), 0);
    CHECK_EQ(e.sets, 0);
}

TEST(hpet_main_counter_runs_at_10mhz_only_when_enabled)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    e.now += 1000 * US;
    CHECK_EQ(rd(&h, HPET_MAIN_CNT), 0);                 /* halted at power-up */
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    e.now += 1000 * US + 99;
    CHECK_EQ(rd(&h, HPET_MAIN_CNT), 10000);             /* 10 per microsecond */
    e.now += 1;
    CHECK_EQ(rd(&h, HPET_MAIN_CNT), 10001);
    wr(&h, HPET_MAIN_CNT, 5);                           /* running: the write is ignored */
    CHECK_EQ(rd(&h, HPET_MAIN_CNT), 10001);
    wr(&h, HPET_GEN_CONF, 0);
    e.now += 1000 * US;
    CHECK_EQ(rd(&h, HPET_MAIN_CNT), 10001);             /* halted keeps its value */
    wr32(&h, HPET_MAIN_CNT + 4, 0x12345678);            /* both halves, 32 bits each */
    wr32(&h, HPET_MAIN_CNT, 0xFFFFFFF0);
    CHECK_EQ(rd(&h, HPET_MAIN_CNT), 0x12345678FFFFFFF0ULL);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    e.now += 2 * US;                                    /* 20 ticks: the low half carries into the high one */
    CHECK_EQ(rd32(&h, HPET_MAIN_CNT), 4);
    CHECK_EQ(rd32(&h, HPET_MAIN_CNT + 4), 0x12345679);
    CHECK_EQ(hpet_mmio_read(&h, HPET_MAIN_CNT + 6, 4), ~0ULL);  /* across a register's end: all ones */
}

TEST(hpet_timer_config_and_routes)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    u64 all = HPET_TN_LEVEL | HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_32MODE | HPET_TN_FSB_EN | 2ULL << 9;
    wr(&h, T(1, HPET_TN_CONF), all | 0xFFFFFFFF00000000ULL);
    u64 c = rd(&h, T(1, HPET_TN_CONF));
    CHECK_EQ(c & 0xFFFF, HPET_TN_LEVEL | HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_32MODE | 2ULL << 9 |
                             HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP);   /* no FSB */
    CHECK_EQ(c >> 32, ROUTES);                          /* read-only */
    wr(&h, T(1, HPET_TN_CONF), (c & ~HPET_TN_ROUTE) | 5ULL << 9);      /* GSI 5 is not allowed: unchanged */
    CHECK_EQ((rd(&h, T(1, HPET_TN_CONF)) & HPET_TN_ROUTE) >> 9, 2);
    wr(&h, T(1, HPET_TN_CONF), (c & ~HPET_TN_ROUTE) | 8ULL << 9);
    CHECK_EQ((rd(&h, T(1, HPET_TN_CONF)) & HPET_TN_ROUTE) >> 9, 8);
    wr(&h, T(1, HPET_TN_CMP), 0x1122334455667788ULL);  /* periodic without VAL_SET: the period only */
    CHECK_EQ(rd(&h, T(1, HPET_TN_CMP)), 0xFFFFFFFF);    /* 32-bit mode: the comparator is 32 bits wide */
    wr(&h, T(1, HPET_TN_CONF), rd(&h, T(1, HPET_TN_CONF)) | HPET_TN_VAL_SET);
    wr(&h, T(1, HPET_TN_CMP), 0x1122334455667788ULL);
    CHECK_EQ(rd(&h, T(1, HPET_TN_CMP)), 0x55667788);
}

/* Timer n edge-triggered on GSI 2, enabled, the counter running from 0. */
static void edge_timer(struct hpet *h, unsigned n, u64 extra)
{
    wr(h, T(n, HPET_TN_CONF), HPET_TN_INT_ENB | 2ULL << 9 | extra);
}

TEST(hpet_one_shot_edge_fires_once_on_time)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    edge_timer(&h, 0, 0);
    wr(&h, T(0, HPET_TN_CMP), 1000);                    /* 100 us after the start */
    CHECK_EQ(hpet_next_deadline(&h), DEV_NO_DEADLINE);  /* halted */
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    u64 start = e.now;
    CHECK(hpet_take_deadline_moved(&h));
    CHECK_EQ(hpet_next_deadline(&h), start + 100 * US);
    e.now = start + 100 * US - 1;
    hpet_next_deadline(&h);
    CHECK_EQ(e.pulses[2], 0);
    e.now = start + 100 * US;
    CHECK_EQ(hpet_next_deadline(&h), DEV_NO_DEADLINE);  /* a 64-bit one-shot matches once */
    CHECK_EQ(e.pulses[2], 1);
    CHECK_EQ(e.level, 0);
    CHECK_EQ(rd(&h, HPET_GINTR_STA), 0);                /* edge: the status bit reads 0 */
    e.now += 1000000 * US;
    hpet_next_deadline(&h);
    CHECK_EQ(e.pulses[2], 1);
    wr(&h, T(0, HPET_TN_CMP), 5);                       /* in the past: no interrupt (Linux checks for -ETIME) */
    CHECK_EQ(hpet_next_deadline(&h), DEV_NO_DEADLINE);
    CHECK_EQ(e.pulses[2], 1);
}

TEST(hpet_level_status_write_one_to_clear)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    wr(&h, T(2, HPET_TN_CONF), HPET_TN_LEVEL | HPET_TN_INT_ENB | 8ULL << 9);
    wr(&h, T(2, HPET_TN_CMP), 10);
    wr(&h, T(1, HPET_TN_CONF), HPET_TN_LEVEL | 2ULL << 9);     /* interrupt disabled: status only */
    wr(&h, T(1, HPET_TN_CMP), 20);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    e.now += 1 * US;
    CHECK_EQ(rd(&h, HPET_GINTR_STA), 1ULL << 2);
    CHECK_EQ(e.level, 1ULL << 8);                       /* held until the status is cleared */
    e.now += 1 * US;
    CHECK_EQ(rd(&h, HPET_GINTR_STA), (1ULL << 2) | (1ULL << 1));
    CHECK_EQ(e.level, 1ULL << 8);                       /* timer 1's line stays low: INT_ENB is 0 */
    wr(&h, HPET_GINTR_STA, 1ULL << 1);                  /* writing 0 to bit 2 leaves it */
    CHECK_EQ(rd(&h, HPET_GINTR_STA), 1ULL << 2);
    wr(&h, HPET_GEN_CONF, 0);                           /* halted: no interrupts, status kept */
    CHECK_EQ(e.level, 0);
    CHECK_EQ(rd(&h, HPET_GINTR_STA), 1ULL << 2);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    CHECK_EQ(e.level, 1ULL << 8);
    wr32(&h, HPET_GINTR_STA, 1u << 2);
    CHECK_EQ(e.level, 0);
    CHECK_EQ(rd(&h, HPET_GINTR_STA), 0);
}

/* Linux's hpet_set_periodic: 32-bit, periodic, VAL_SET; the accumulator then the period; 2.3.9.2.2. */
TEST(hpet_periodic_accumulator_linux_sequence)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    u64 start = e.now, delta = 200000;                  /* 20 ms: 50 Hz */
    u32 now = rd32(&h, HPET_MAIN_CNT);
    edge_timer(&h, 0, HPET_TN_PERIODIC | HPET_TN_VAL_SET | HPET_TN_32MODE);
    CHECK(rd(&h, T(0, HPET_TN_CONF)) & HPET_TN_VAL_SET);
    wr32(&h, T(0, HPET_TN_CMP), (u32)(now + delta));
    CHECK(!(rd(&h, T(0, HPET_TN_CONF)) & HPET_TN_VAL_SET));     /* clears by itself */
    e.now += 1 * US;
    wr32(&h, T(0, HPET_TN_CMP), (u32)delta);            /* the period; the accumulator stays */
    CHECK_EQ(rd(&h, T(0, HPET_TN_CMP)), now + delta);
    for (unsigned i = 1; i <= 5; i++) {
        u64 d = hpet_next_deadline(&h);
        CHECK_EQ(d, start + i * 20000 * US);
        e.now = d;
        hpet_next_deadline(&h);
        CHECK_EQ(e.pulses[2], i);
        CHECK_EQ(rd(&h, T(0, HPET_TN_CMP)), now + (i + 1) * delta);     /* the accumulator moves on */
    }
    e.now += 10 * 20000 * US;                           /* ten periods late: one interrupt, on the period grid */
    hpet_next_deadline(&h);
    CHECK_EQ(e.pulses[2], 6);
    CHECK_EQ(rd(&h, T(0, HPET_TN_CMP)), now + 16 * delta);
    CHECK_EQ(hpet_next_deadline(&h), start + 16 * 20000 * US);
}

TEST(hpet_periodic_64bit_val_set)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    edge_timer(&h, 2, HPET_TN_PERIODIC | HPET_TN_VAL_SET);
    wr(&h, T(2, HPET_TN_CMP), 0x100000050ULL);          /* accumulator and period */
    wr(&h, T(2, HPET_TN_CONF), rd(&h, T(2, HPET_TN_CONF)) | HPET_TN_VAL_SET);
    wr32(&h, T(2, HPET_TN_CMP), 0x100);                 /* the low half of both */
    wr32(&h, T(2, HPET_TN_CMP) + 4, 0);                 /* the period's high half only */
    CHECK_EQ(rd(&h, T(2, HPET_TN_CMP)), 0x100000100ULL);
    wr(&h, HPET_MAIN_CNT, 0x100000000ULL);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    e.now += 0x100 * HPET_NS_PER_TICK;
    hpet_next_deadline(&h);
    CHECK_EQ(e.pulses[2], 1);
    CHECK_EQ(rd(&h, T(2, HPET_TN_CMP)), 0x100000200ULL);
}

TEST(hpet_32bit_one_shot_matches_again_after_a_wrap)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    edge_timer(&h, 1, HPET_TN_32MODE);
    wr(&h, HPET_MAIN_CNT, 0xFFFFFF00ULL);
    wr(&h, T(1, HPET_TN_CMP), 0x10);                    /* after the low half wraps */
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    u64 start = e.now;
    CHECK_EQ(hpet_next_deadline(&h), start + 0x110 * HPET_NS_PER_TICK);
    e.now = start + 0x110 * HPET_NS_PER_TICK;
    CHECK_EQ(hpet_next_deadline(&h), start + (0x110 + (1ULL << 32)) * HPET_NS_PER_TICK);
    CHECK_EQ(e.pulses[2], 1);
}

TEST(hpet_legacy_replacement_takes_irq0_and_irq8)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    edge_timer(&h, 0, 0);
    edge_timer(&h, 1, 0);
    edge_timer(&h, 2, 0);
    wr(&h, T(0, HPET_TN_CMP), 10);
    wr(&h, T(1, HPET_TN_CMP), 20);
    wr(&h, T(2, HPET_TN_CMP), 30);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE | HPET_CONF_LEG_RT);
    CHECK_EQ(e.legacy, 1);
    e.now += 3 * US;
    hpet_next_deadline(&h);
    CHECK_EQ(e.pulses[HPET_LINE_IRQ0], 1);              /* timer 0, whatever its route says */
    CHECK_EQ(e.pulses[HPET_LINE_IRQ8], 1);              /* timer 1 */
    CHECK_EQ(e.pulses[2], 1);                           /* timer 2 keeps its route */
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    CHECK_EQ(e.legacy, 0);
}

TEST(hpet_unrouted_timer_is_silent)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    wr(&h, T(0, HPET_TN_CONF), HPET_TN_INT_ENB | HPET_TN_LEVEL);   /* route 0: not connected */
    wr(&h, T(0, HPET_TN_CMP), 1);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    CHECK_EQ(hpet_next_deadline(&h), DEV_NO_DEADLINE);  /* its match moves no line: found at the read below */
    e.now += 1 * US;
    CHECK_EQ(rd(&h, HPET_GINTR_STA), 1);
    CHECK_EQ(e.sets, 0);
}

TEST(hpet_deadline_moved_by_comparator_writes_only)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    hpet_take_deadline_moved(&h);
    edge_timer(&h, 0, 0);
    rd(&h, HPET_MAIN_CNT);
    CHECK(!hpet_take_deadline_moved(&h));               /* no comparator ahead yet: still none */
    wr(&h, T(0, HPET_TN_CMP), 1000000);
    CHECK(hpet_take_deadline_moved(&h));
    rd(&h, T(0, HPET_TN_CMP));
    wr(&h, HPET_GINTR_STA, 7);
    CHECK(!hpet_take_deadline_moved(&h));
}

/* Linux's clockevent shutdown clears only INT_ENB: timer 0 stays periodic, and its matches need no deadline. */
TEST(hpet_no_deadline_while_the_interrupt_is_disabled)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE | HPET_CONF_LEG_RT);
    u64 start = e.now, delta = 40000;                   /* 4 ms: HZ=250 */
    edge_timer(&h, 0, HPET_TN_PERIODIC | HPET_TN_VAL_SET | HPET_TN_32MODE);
    wr32(&h, T(0, HPET_TN_CMP), (u32)delta);
    wr32(&h, T(0, HPET_TN_CMP), (u32)delta);
    CHECK_EQ(hpet_next_deadline(&h), start + 4000 * US);
    e.now = start + 4000 * US;
    CHECK_EQ(hpet_next_deadline(&h), start + 8000 * US);
    CHECK_EQ(e.pulses[HPET_LINE_IRQ0], 1);
    hpet_take_deadline_moved(&h);
    wr(&h, T(0, HPET_TN_CONF), rd(&h, T(0, HPET_TN_CONF)) & ~HPET_TN_INT_ENB);     /* hpet_clkevt shutdown */
    CHECK(hpet_take_deadline_moved(&h));
    CHECK_EQ(hpet_next_deadline(&h), DEV_NO_DEADLINE);
    e.now = start + 4000 * US * 10 + 1000 * US;         /* nine more matches, none seen by the guest... */
    CHECK_EQ(hpet_next_deadline(&h), DEV_NO_DEADLINE);
    CHECK_EQ(e.pulses[HPET_LINE_IRQ0], 1);
    CHECK_EQ(rd(&h, T(0, HPET_TN_CMP)), 11 * delta);    /* ...but its accumulator reads as if each had come */
    wr(&h, T(0, HPET_TN_CONF), rd(&h, T(0, HPET_TN_CONF)) | HPET_TN_INT_ENB);
    CHECK(hpet_take_deadline_moved(&h));
    CHECK_EQ(hpet_next_deadline(&h), start + 4000 * US * 11);
}

/* A level timer's match moves its line only while its status is clear; one with the interrupt off, never. */
TEST(hpet_level_deadline_only_while_status_is_clear)
{
    struct hpet h;
    struct env e;
    setup(&h, &e);
    wr(&h, T(1, HPET_TN_CONF), HPET_TN_LEVEL | 2ULL << 9);     /* interrupt disabled: status only */
    wr(&h, T(1, HPET_TN_CMP), 5);
    wr(&h, T(2, HPET_TN_CONF), HPET_TN_LEVEL | HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_VAL_SET | 8ULL << 9);
    wr(&h, T(2, HPET_TN_CMP), 10);                      /* accumulator and period: every microsecond */
    wr(&h, HPET_GEN_CONF, HPET_CONF_ENABLE);
    u64 start = e.now;
    CHECK_EQ(hpet_next_deadline(&h), start + 1 * US);   /* timer 2's, not timer 1's earlier match */
    e.now = start + 1 * US;
    CHECK_EQ(hpet_next_deadline(&h), DEV_NO_DEADLINE);  /* status up, line held: later matches change nothing */
    CHECK_EQ(e.level, 1ULL << 8);
    e.now = start + 5 * US + 50;
    CHECK_EQ(rd(&h, HPET_GINTR_STA), (1ULL << 2) | (1ULL << 1));
    CHECK_EQ(rd(&h, T(2, HPET_TN_CMP)), 60);            /* the accumulator kept up */
    hpet_take_deadline_moved(&h);
    wr(&h, HPET_GINTR_STA, 1ULL << 2);
    CHECK(hpet_take_deadline_moved(&h));
    CHECK_EQ(e.level, 0);
    CHECK_EQ(hpet_next_deadline(&h), start + 6 * US);
}
