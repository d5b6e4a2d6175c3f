/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the 8254 PIT model and port 0x61, from the 82C54 data sheet's rules and how Linux uses them. */
#include "devices/pit8254.h"
#include "devices/pit_counter.h"
#include "unit.h"

#define BASE_NS (1795255567ULL * NSEC_PER_SEC + 123456789)

struct env {
    u64 now;
    u64 step;               /* clock advance per read of the clock: the cost of a VM exit */
    bool irq;
    unsigned rises, sets;
    u64 last_rise;
};

static u64 env_now(void *ctx)
{
    struct env *e = ctx;
    e->now += e->step;
    return e->now;
}

static void env_irq(void *ctx, unsigned line, bool level)
{
    struct env *e = ctx;
    CHECK_EQ(line, 0);
    CHECK(level != e->irq);                 /* only on a change */
    e->irq = level;
    e->sets++;
    if (level) {
        e->rises++;
        e->last_rise = e->now;
    }
}

static void setup(struct pit *p, struct env *e)
{
    *e = (struct env){ .now = BASE_NS };
    pit_init(p, (struct dev_clock){ env_now, e }, (struct dev_irq){ env_irq, e, 0 });
}

/* The clock at input-clock edge k (plus a fraction of a clock in ns). */
static void at(struct env *e, u64 k, u64 extra_ns)
{
    e->now = BASE_NS + pit_ticks_to_ns(k) + extra_ns;
}

static void cw(struct pit *p, u8 v)
{
    pit_io_write(p, PIT_PORT_CONTROL, 1, v);
}

static void wr(struct pit *p, unsigned ch, u8 v)
{
    pit_io_write(p, (u16)ch, 1, v);
}

static u8 rd(struct pit *p, unsigned ch)
{
    return (u8)pit_io_read(p, (u16)ch, 1);
}

/* Counter latch command, then LSB and MSB: how Linux reads a count. */
static u16 latched(struct pit *p, unsigned ch)
{
    cw(p, (u8)(ch << 6));
    u8 lo = rd(p, ch);
    return (u16)(lo | rd(p, ch) << 8);
}

static u8 status(struct pit *p, unsigned ch)
{
    cw(p, (u8)(PIT_CW_READBACK | PIT_RB_NO_COUNT | PIT_RB_CNT(ch)));
    return rd(p, ch);
}

static bool out(struct pit *p, unsigned ch)
{
    return status(p, ch) & PIT_ST_OUT;
}

static void word(struct pit *p, unsigned ch, u16 v)
{
    wr(p, ch, (u8)v);
    wr(p, ch, (u8)(v >> 8));
}

static u8 p61(struct pit *p)
{
    return (u8)pit_port61_read(p, PIT_PORT61, 1);
}

static void set61(struct pit *p, u8 v)
{
    pit_port61_write(p, PIT_PORT61, 1, v);
}

TEST(pit_clock_is_exact)
{
    CHECK_EQ(pit_ns_to_ticks(3 * NSEC_PER_SEC), 3579545);
    CHECK_EQ(pit_ns_to_ticks(NSEC_PER_SEC), 1193181);
    CHECK_EQ(pit_ns_to_ticks(3600 * NSEC_PER_SEC), 4295454000ULL);          /* an hour: no drift */
    CHECK_EQ(pit_ns_to_ticks(400ULL * 86400 * NSEC_PER_SEC), 41236358400000ULL);
    for (u64 k = 1; k < 50000000000ULL; k = k * 7 + 13) {
        u64 ns = pit_ticks_to_ns(k);
        CHECK_EQ(pit_ns_to_ticks(ns), k);
        CHECK_EQ(pit_ns_to_ticks(ns - 1), k - 1);
    }
    CHECK_EQ(pit_count_decode(0, false), 0x10000);
    CHECK_EQ(pit_count_decode(0, true), 10000);
    CHECK_EQ(pit_count_decode(0x1234, true), 1234);
    CHECK_EQ(pit_count_encode(9999, true), 0x9999);
}

TEST(pit_power_up_is_quiet)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    CHECK_EQ(pit_next_deadline(&p), DEV_NO_DEADLINE);
    CHECK_EQ(e.sets, 0);
    CHECK_EQ(status(&p, 0), PIT_ST_NULL_COUNT | PIT_RW_WORD << 4);
    CHECK_EQ(p61(&p) & ~PORT61_REFRESH, 0);
    CHECK_EQ(pit_io_read(&p, PIT_PORT_CONTROL, 1), 0xFF);
}

/* Mode 0: OUT low from the control word; the count loads on the next clock (which does not decrement), so OUT
 * rises N + 1 clocks after the write; then the counter wraps with OUT high. */
TEST(pit_mode0_interrupt_on_terminal_count)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    at(&e, 100, 300);
    cw(&p, 0x30);
    word(&p, 0, 100);
    CHECK(!e.irq && !out(&p, 0));
    CHECK(status(&p, 0) & PIT_ST_NULL_COUNT);
    CHECK_EQ(pit_next_deadline(&p), BASE_NS + pit_ticks_to_ns(101));    /* the load */
    for (u64 j = 0; j <= 100; j++) {
        at(&e, 101 + j, 0);
        CHECK_EQ(latched(&p, 0), 100 - j);
        CHECK_EQ(out(&p, 0), j == 100);
        CHECK(!(status(&p, 0) & PIT_ST_NULL_COUNT));
    }
    CHECK(e.irq);
    CHECK_EQ(e.rises, 1);
    at(&e, 202, 0);
    CHECK_EQ(latched(&p, 0), 0xFFFF);
    CHECK(out(&p, 0));
    CHECK_EQ(pit_next_deadline(&p), DEV_NO_DEADLINE);
    at(&e, 201 + 0x10000, 0);
    CHECK_EQ(latched(&p, 0), 0);
    CHECK_EQ(e.rises, 1);                   /* no second interrupt on the wrap */
}

/* Mode 0 rewrite: the first byte stops counting and drops OUT; the second loads on the next clock. */
TEST(pit_mode0_rewrite)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x30);
    word(&p, 0, 10);
    at(&e, 50, 0);
    pit_next_deadline(&p);
    CHECK(e.irq);
    wr(&p, 0, 20);
    CHECK(!e.irq);
    u16 held = latched(&p, 0);
    at(&e, 60, 0);
    CHECK_EQ(latched(&p, 0), held);
    CHECK_EQ(pit_next_deadline(&p), DEV_NO_DEADLINE);
    wr(&p, 0, 0);                           /* count 20 at edge 60: loads at 61, OUT rises at 81 */
    at(&e, 61, 0);
    CHECK_EQ(latched(&p, 0), 20);
    CHECK_EQ(pit_next_deadline(&p), BASE_NS + pit_ticks_to_ns(81));
    at(&e, 81, 0);
    pit_next_deadline(&p);
    CHECK(e.irq);
    CHECK_EQ(e.rises, 2);
}

/* Mode 2 at 1000 Hz (1193): a one-clock low pulse every 1193 clocks; every change of OUT 0 is a deadline. */
TEST(pit_mode2_rate_generator_irq0)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    at(&e, 10, 5);
    cw(&p, 0x34);
    word(&p, 0, 1193);
    CHECK(e.irq);                           /* mode 2 sets OUT high: the line rose from its mode 0 low */
    unsigned rises0 = e.rises;
    at(&e, 11, 0);
    CHECK_EQ(latched(&p, 0), 1193);
    at(&e, 11 + 1191, 0);
    CHECK_EQ(latched(&p, 0), 2);
    CHECK(out(&p, 0));
    at(&e, 11 + 1192, 0);
    CHECK_EQ(latched(&p, 0), 1);
    CHECK(!out(&p, 0) && !e.irq);
    at(&e, 11 + 1193, 0);
    CHECK_EQ(latched(&p, 0), 1193);         /* reload: the count never reads 0 */
    CHECK(out(&p, 0) && e.irq);
    /* Serve the deadlines as the board does for a second: 1000 periods, two deadlines each. */
    at(&e, 11 + 1193, 0);
    unsigned fires = 0;
    u64 d = pit_next_deadline(&p);
    while (d <= BASE_NS + pit_ticks_to_ns(11 + 1193 * 1001)) {
        CHECK(d > e.now);
        e.now = d;
        u64 k = pit_ns_to_ticks(d - BASE_NS);
        CHECK((k - 11) % 1193 == 0 || (k - 11) % 1193 == 1192);
        d = pit_next_deadline(&p);
        fires++;
    }
    CHECK_EQ(fires, 2000);
    CHECK_EQ(e.rises - rises0, 1001);       /* the one at 11 + 1193 seen by the read, then 1000 more */
    CHECK_EQ(e.last_rise, BASE_NS + pit_ticks_to_ns(11 + 1193 * 1001));
}

/* A lagging evaluation: ten periods pass unobserved and IRQ 0 gets one edge (the documented policy). */
TEST(pit_mode2_lagging_guest_gets_one_edge)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x34);
    word(&p, 0, 1193);
    unsigned r = e.rises;
    at(&e, 1 + 1193 * 10 + 5, 0);
    pit_next_deadline(&p);
    CHECK_EQ(e.rises, r + 1);
    CHECK(e.irq);
    at(&e, 1 + 1193 * 11 - 1, 0);           /* in the low clock: the line follows OUT 0 down */
    pit_next_deadline(&p);
    CHECK(!e.irq);
}

/* Mode 3: even counts high n/2 and low n/2, counting by two; odd counts high (n+1)/2 from n-1, low (n-1)/2. */
TEST(pit_mode3_square_wave_even_and_odd)
{
    static const u16 even[10] = { 10, 8, 6, 4, 2, 10, 8, 6, 4, 2 };
    static const u16 odd[9] = { 8, 6, 4, 2, 0, 8, 6, 4, 2 };
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x36);
    word(&p, 0, 10);
    for (u64 j = 0; j < 30; j++) {
        at(&e, 1 + j, 0);
        CHECK_EQ(latched(&p, 0), even[j % 10]);
        CHECK_EQ(out(&p, 0), j % 10 < 5);
        CHECK_EQ(e.irq, j % 10 < 5);
    }
    cw(&p, 0x36);
    at(&e, 100, 0);
    word(&p, 0, 9);
    for (u64 j = 0; j < 27; j++) {
        at(&e, 101 + j, 0);
        CHECK_EQ(latched(&p, 0), odd[j % 9]);
        CHECK_EQ(out(&p, 0), j % 9 < 5);
    }
}

/* Mode 3 at 1000 Hz: 597 clocks high, 596 low; deadlines at each half. */
TEST(pit_mode3_1000hz_deadlines)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x36);
    word(&p, 0, 1193);
    at(&e, 1, 0);
    u64 d = pit_next_deadline(&p), k = 1;
    for (int i = 0; i < 2000; i++) {
        k += i % 2 ? 596 : 597;
        CHECK_EQ(d, BASE_NS + pit_ticks_to_ns(k));
        e.now = d;
        d = pit_next_deadline(&p);
        CHECK_EQ(e.irq, i % 2 == 1);
    }
    CHECK_EQ(e.rises, 1001);                /* the control word's (OUT left power-up's mode 0 low), then 1000 */
}

/* A new count in mode 2 waits for the end of the period; in mode 3 for the end of the half-cycle. */
TEST(pit_mode2_3_new_count_at_period_end)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x34);
    word(&p, 0, 100);
    at(&e, 30, 0);
    word(&p, 0, 50);
    CHECK(status(&p, 0) & PIT_ST_NULL_COUNT);
    at(&e, 100, 0);
    CHECK_EQ(latched(&p, 0), 1);
    CHECK(status(&p, 0) & PIT_ST_NULL_COUNT);
    at(&e, 101, 0);
    CHECK_EQ(latched(&p, 0), 50);
    CHECK(!(status(&p, 0) & PIT_ST_NULL_COUNT));
    at(&e, 150, 0);
    CHECK(!out(&p, 0));
    at(&e, 151, 0);
    CHECK(out(&p, 0));

    cw(&p, 0x36);
    at(&e, 1000, 0);
    word(&p, 0, 100);                       /* loads at 1001: high 1001-1050, low 1051-1100 */
    at(&e, 1010, 0);
    word(&p, 0, 20);                        /* takes effect at 1051, in the low half: low 10, then high 10 */
    at(&e, 1050, 0);
    CHECK(out(&p, 0));
    CHECK_EQ(latched(&p, 0), 2);
    at(&e, 1051, 0);
    CHECK(!out(&p, 0));
    CHECK_EQ(latched(&p, 0), 20);
    at(&e, 1061, 0);
    CHECK(out(&p, 0));
    at(&e, 1071, 0);
    CHECK(!out(&p, 0));
}

/* Mode 4: one low clock when the count reaches 0, N + 1 clocks after the write; no repeat. */
TEST(pit_mode4_software_strobe)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x38);
    CHECK(e.irq);
    word(&p, 0, 5);
    unsigned r = e.rises;
    for (u64 j = 1; j < 20; j++) {
        at(&e, j, 0);
        pit_next_deadline(&p);
        CHECK_EQ(out(&p, 0), j != 6);
        CHECK_EQ(e.irq, j != 6);
    }
    CHECK_EQ(e.rises, r + 1);
    CHECK_EQ(pit_next_deadline(&p), DEV_NO_DEADLINE);
}

/* Counter 2 with its gate on port 0x61: mode 1 and 5 fire on a rising edge and retrigger. */
TEST(pit_gate_triggers_mode1_and_mode5)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0xB2);                           /* counter 2, word, mode 1 */
    word(&p, 2, 5);
    at(&e, 20, 0);
    CHECK(p61(&p) & PORT61_OUT2);
    CHECK(status(&p, 2) & PIT_ST_NULL_COUNT);   /* the CR waits for the trigger */
    set61(&p, PORT61_GATE2);
    CHECK(p61(&p) & PORT61_OUT2);           /* OUT falls on the clock after the trigger */
    at(&e, 21, 0);
    CHECK(!(p61(&p) & PORT61_OUT2));
    CHECK_EQ(latched(&p, 2), 5);
    at(&e, 24, 0);
    set61(&p, 0);                           /* the gate level does not stop mode 1 */
    set61(&p, PORT61_GATE2);                /* retrigger: 5 more clocks from 25 */
    at(&e, 26, 0);
    CHECK(!(p61(&p) & PORT61_OUT2));
    CHECK_EQ(latched(&p, 2), 4);
    at(&e, 29, 0);
    CHECK(!(p61(&p) & PORT61_OUT2));
    at(&e, 30, 0);
    CHECK(p61(&p) & PORT61_OUT2);

    set61(&p, 0);
    cw(&p, 0xBA);                           /* mode 5 */
    word(&p, 2, 3);
    at(&e, 40, 0);
    set61(&p, PORT61_GATE2);
    for (u64 j = 41; j < 50; j++) {
        at(&e, j, 0);
        CHECK_EQ(!!(p61(&p) & PORT61_OUT2), j != 44);
    }
    CHECK_EQ(e.sets, 0);                    /* counter 2 drives no interrupt */
}

/* Gate low stops counting in modes 0, 2, 3, 4 (and forces OUT high in 2, 3); a rising edge restarts 2 and 3. */
TEST(pit_gate_stops_and_restarts)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    set61(&p, PORT61_GATE2);
    cw(&p, 0xB0);                           /* mode 0 */
    word(&p, 2, 100);
    at(&e, 11, 0);
    CHECK_EQ(latched(&p, 2), 90);
    set61(&p, 0);
    at(&e, 500, 0);
    CHECK_EQ(latched(&p, 2), 90);
    set61(&p, PORT61_GATE2);
    at(&e, 510, 0);
    CHECK_EQ(latched(&p, 2), 80);           /* resumes where it stopped */
    at(&e, 590, 0);
    CHECK(p61(&p) & PORT61_OUT2);

    cw(&p, 0xB4);                           /* mode 2 */
    word(&p, 2, 10);
    at(&e, 600, 0);
    CHECK_EQ(latched(&p, 2), 1);
    CHECK(!(p61(&p) & PORT61_OUT2));
    set61(&p, 0);
    CHECK(p61(&p) & PORT61_OUT2);           /* forced high at once */
    at(&e, 700, 0);
    CHECK_EQ(latched(&p, 2), 1);
    set61(&p, PORT61_GATE2);
    CHECK_EQ(latched(&p, 2), 1);
    at(&e, 701, 0);
    CHECK_EQ(latched(&p, 2), 10);           /* reloaded on the next clock */
    at(&e, 710, 0);
    CHECK(!(p61(&p) & PORT61_OUT2));

    cw(&p, 0xB6);                           /* mode 3 */
    word(&p, 2, 10);
    at(&e, 800, 0);
    CHECK(!(p61(&p) & PORT61_OUT2));        /* loaded at 711: low from 716 for ever 10 */
    set61(&p, 0);
    CHECK(p61(&p) & PORT61_OUT2);
    set61(&p, PORT61_GATE2);
    at(&e, 801, 0);
    CHECK_EQ(latched(&p, 2), 10);
    at(&e, 806, 0);
    CHECK(!(p61(&p) & PORT61_OUT2));

    cw(&p, 0xB8);                           /* mode 4 */
    word(&p, 2, 10);
    at(&e, 900, 0);
    u16 c = latched(&p, 2);
    set61(&p, 0);
    at(&e, 950, 0);
    CHECK_EQ(latched(&p, 2), c);
}

TEST(pit_bcd_counting)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x31);                           /* mode 0, BCD */
    word(&p, 0, 0x0100);
    at(&e, 1, 0);
    CHECK_EQ(latched(&p, 0), 0x0100);
    at(&e, 2, 0);
    CHECK_EQ(latched(&p, 0), 0x0099);
    at(&e, 101, 0);
    CHECK_EQ(latched(&p, 0), 0);
    CHECK(e.irq);
    at(&e, 102, 0);
    CHECK_EQ(latched(&p, 0), 0x9999);
    cw(&p, 0x35);                           /* mode 2, BCD, count 0 = 10000 */
    at(&e, 200, 0);
    word(&p, 0, 0);
    at(&e, 201, 0);
    CHECK_EQ(latched(&p, 0), 0);
    at(&e, 202, 0);
    CHECK_EQ(latched(&p, 0), 0x9999);
    at(&e, 201 + 9999, 0);
    CHECK_EQ(latched(&p, 0), 1);
    CHECK(!out(&p, 0));
    CHECK_EQ(status(&p, 0) & 0x3F, 0x35);
}

TEST(pit_latch_and_readback)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    cw(&p, 0x34);
    word(&p, 0, 1000);
    at(&e, 101, 0);
    cw(&p, 0x00);                           /* latch: 900 */
    at(&e, 201, 0);
    cw(&p, 0x00);                           /* ignored: the first latch is unread */
    CHECK_EQ(rd(&p, 0), 900 & 0xFF);
    at(&e, 301, 0);
    CHECK_EQ(rd(&p, 0), 900 >> 8);          /* still the latch: it holds until the MSB */
    CHECK_EQ(rd(&p, 0), 700 & 0xFF);        /* released: live again */
    CHECK_EQ(rd(&p, 0), 700 >> 8);

    /* Read-back of status and count: status first, then the count; a second status latch is ignored. */
    at(&e, 401, 0);
    cw(&p, PIT_CW_READBACK | PIT_RB_CNT(0) | PIT_RB_CNT(2));
    at(&e, 501, 0);
    cw(&p, PIT_CW_READBACK | PIT_RB_NO_COUNT | PIT_RB_CNT(0));
    CHECK_EQ(rd(&p, 0), PIT_ST_OUT | 0x34);
    CHECK_EQ(rd(&p, 0), 600 & 0xFF);
    CHECK_EQ(rd(&p, 0), 600 >> 8);
    CHECK_EQ(rd(&p, 2), PIT_ST_NULL_COUNT | 0x30);  /* counter 2 as at power-up */
    CHECK_EQ(rd(&p, 2), 0);

    /* Null count: set by the control word and the count, until the CE takes the count on the next clock. */
    at(&e, 1000, 10);
    cw(&p, 0x70);                           /* counter 1, word, mode 0 */
    CHECK_EQ(status(&p, 1), PIT_ST_NULL_COUNT | 0x30);
    wr(&p, 1, 5);
    CHECK_EQ(status(&p, 1), PIT_ST_NULL_COUNT | 0x30);
    wr(&p, 1, 0);
    CHECK_EQ(status(&p, 1), PIT_ST_NULL_COUNT | 0x30);
    at(&e, 1001, 0);
    CHECK_EQ(status(&p, 1), 0x30);
    at(&e, 1006, 0);
    CHECK_EQ(status(&p, 1), PIT_ST_OUT | 0x30);
    CHECK_EQ(e.rises, 2);                   /* counter 0's: the control word, the reload at 1001; counter 1 none */

    /* Modes 6 and 7 are 2 and 3; the status shows the bits as written. */
    cw(&p, 0x3C);
    CHECK_EQ(status(&p, 0), PIT_ST_OUT | PIT_ST_NULL_COUNT | 0x3C);
}

/* LSB only, MSB only, and word access with reads and writes interleaved (82C54 "Write Operations"). */
TEST(pit_lsb_msb_sequencing)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    set61(&p, PORT61_GATE2);
    cw(&p, 0x90);                           /* counter 2, LSB only, mode 0 */
    wr(&p, 2, 0x42);
    at(&e, 1, 0);
    CHECK_EQ(rd(&p, 2), 0x42);
    CHECK_EQ(rd(&p, 2), 0x42);              /* LSB every time */
    cw(&p, 0xA0);                           /* MSB only */
    wr(&p, 2, 0x12);
    at(&e, 2, 0);
    CHECK_EQ(rd(&p, 2), 0x12);              /* 0x1200 */
    cw(&p, 0x80);
    CHECK_EQ(rd(&p, 2), 0x12);
    at(&e, 3, 0);
    CHECK_EQ(rd(&p, 2), 0x11);              /* 0x11FF */

    cw(&p, 0x34);                           /* counter 0, word, mode 2: a partial write changes nothing */
    word(&p, 0, 300);
    at(&e, 10, 0);
    wr(&p, 0, 0x10);
    CHECK(!(status(&p, 0) & PIT_ST_NULL_COUNT));
    at(&e, 300, 0);
    CHECK_EQ(latched(&p, 0), 300 - 296);    /* still the old count */
    cw(&p, 0x00);
    CHECK_EQ(rd(&p, 0), 4);                 /* read LSB, write MSB, read MSB: flip-flops are separate */
    wr(&p, 0, 0x01);                        /* count 0x0110 */
    CHECK_EQ(rd(&p, 0), 0);
    at(&e, 304, 0);
    CHECK_EQ(latched(&p, 0), 0x110);
}

TEST(pit_port61_bits)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    set61(&p, 0xFF);
    CHECK_EQ(p61(&p) & ~(PORT61_REFRESH | PORT61_OUT2), 0x0F);      /* 0-3 as written, 6-7 read 0 */
    set61(&p, 0x0C);
    CHECK_EQ(p61(&p) & 0xCF, 0x0C);
    /* The refresh toggle flips at every 18th input clock: 15.0857 us. */
    for (u64 k = 0; k < 18 * 200; k++) {
        at(&e, k, 0);
        CHECK_EQ(!!(p61(&p) & PORT61_REFRESH), (k / 18) & 1);
    }
    unsigned flips = 0;
    bool last = p61(&p) & PORT61_REFRESH;
    e.step = 1000;                          /* poll every microsecond for 10 ms */
    for (int i = 0; i < 10000; i++) {
        bool b = p61(&p) & PORT61_REFRESH;
        flips += b != last;
        last = b;
    }
    CHECK(flips >= 662 && flips <= 664);    /* 10 ms / 15.0857 us = 662.9 */
    CHECK_EQ(e.sets, 0);
}

/* Linux's quick PIT calibration (arch/x86/kernel/tsc.c): counter 2, mode 0, 0xFFFF, polled MSB by MSB. */
TEST(pit_linux_quick_calibration)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    e.step = 1500;                          /* a VM exit per access */
    set61(&p, (u8)((p61(&p) & ~PORT61_SPEAKER) | PORT61_GATE2));
    cw(&p, 0xB0);
    wr(&p, 2, 0xFF);
    wr(&p, 2, 0xFF);
    u64 start = e.now;
    rd(&p, 2);
    rd(&p, 2);
    unsigned expect = 0xFF, steps = 0;
    u64 first_seen = 0;
    for (int i = 0; i < 200000 && expect > 0x10; i++) {
        rd(&p, 2);
        u8 msb = rd(&p, 2);
        CHECK(msb == expect || msb == expect - 1);  /* falls one step at a time, never back */
        if (msb == expect - 1) {
            expect--;
            steps++;
            if (!first_seen)
                first_seen = e.now;
            /* the read came after the edge where the count became (msb << 8 | 0xFF), within one access */
            u64 edge = BASE_NS + pit_ticks_to_ns(pit_ns_to_ticks(start - BASE_NS) + 1 + 0xFFFF - ((u64)msb << 8 | 0xFF));
            CHECK(e.now >= edge && e.now - edge <= 4 * e.step);
        }
    }
    CHECK_EQ(steps, 0xEF);
}

/* The flag: set exactly when a guest write to counter 0 moves the deadline. */
TEST(pit_deadline_moved_flag)
{
    struct pit p;
    struct env e;
    setup(&p, &e);
    pit_take_deadline_moved(&p);
    cw(&p, 0x34);                           /* OUT high, nothing counting: the deadline stays none */
    CHECK(!pit_take_deadline_moved(&p));
    wr(&p, 0, 0xA9);
    CHECK(!pit_take_deadline_moved(&p));    /* half a count */
    wr(&p, 0, 0x04);
    CHECK(pit_take_deadline_moved(&p));
    at(&e, 10, 0);
    pit_next_deadline(&p);
    word(&p, 0, 500);                       /* waits for the period's end, after the next change */
    CHECK(!pit_take_deadline_moved(&p));
    cw(&p, 0x00);
    rd(&p, 0);
    rd(&p, 0);
    cw(&p, PIT_CW_READBACK | PIT_RB_CNT(0));
    rd(&p, 0);
    CHECK(!pit_take_deadline_moved(&p));    /* latches and reads */
    set61(&p, 1);
    cw(&p, 0xB6);
    word(&p, 2, 100);
    CHECK(!pit_take_deadline_moved(&p));    /* counter 2 and port 0x61 */
    cw(&p, 0x30);
    CHECK(pit_take_deadline_moved(&p));     /* mode 0 without a count: no deadline */
    word(&p, 0, 100);
    CHECK(pit_take_deadline_moved(&p));
    at(&e, 20, 0);
    wr(&p, 0, 50);                          /* mode 0's first byte stops the count */
    CHECK(pit_take_deadline_moved(&p));
    CHECK_EQ(pit_next_deadline(&p), DEV_NO_DEADLINE);
}
