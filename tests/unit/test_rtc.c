/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the MC146818A model and its calendar helpers: how Linux, SeaBIOS and hwclock drive the chip. */
#include "devices/rtc.h"
#include "devices/rtc_time.h"
#include "unit.h"

#define MS 1000000ULL
#define US 1000ULL

/* 2026-11-21 10:06:07 UTC, a Saturday. */
#define T_2026 1795255567ULL

struct env {
    u64 now;
    u64 step;               /* clock advance per port access: the cost of a VM exit */
    bool irq;
    unsigned rises;
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
    e->irq = level;
    e->rises += level && line == 8;
}

static void setup(struct rtc *r, struct env *e, u64 now)
{
    *e = (struct env){ .now = now };
    rtc_init(r, (struct dev_clock){ env_now, e }, (struct dev_irq){ env_irq, e, 8 });
}

static u8 crd(struct rtc *r, u8 index)
{
    rtc_io_write(r, RTC_PORT_INDEX, 1, index);
    return (u8)rtc_io_read(r, RTC_PORT_DATA, 1);
}

static void cwr(struct rtc *r, u8 index, u8 v)
{
    rtc_io_write(r, RTC_PORT_INDEX, 1, index);
    rtc_io_write(r, RTC_PORT_DATA, 1, v);
}

/* Linux mc146818_set_time(): SET and divider reset around the writes. Time bytes in the current mode. */
static void set_time(struct rtc *r, const u8 t[10], u8 century)
{
    u8 b = crd(r, RTC_B), a = crd(r, RTC_A);
    cwr(r, RTC_B, b | RTC_B_SET);
    cwr(r, RTC_A, a | 0x70);
    static const u8 idx[7] = { RTC_SEC, RTC_MIN, RTC_HOUR, RTC_WDAY, RTC_MDAY, RTC_MON, RTC_YEAR };
    for (int i = 0; i < 7; i++)
        cwr(r, idx[i], t[idx[i]]);
    cwr(r, RTC_CENTURY, century);
    cwr(r, RTC_B, b);
    cwr(r, RTC_A, a);
}

/* After set_time: the first update ends 500 ms + one update cycle after the divider leaves reset. */
static void first_update(struct env *e)
{
    e->now += 500 * MS + 2 * MS;
}

/* Linux mc146818_get_time() with mc146818_avoid_UIP(): poll UIP every ms, read, re-check UIP and seconds. */
static bool linux_read(struct rtc *r, struct env *e, u8 out[10], unsigned *uip_waits, unsigned *retries)
{
    for (int i = 0; i < 100; i++) {
        u8 sec = crd(r, RTC_SEC);
        if (crd(r, RTC_A) & RTC_A_UIP) {
            (*uip_waits)++;
            e->now += 1 * MS;
            continue;
        }
        if (sec != crd(r, RTC_SEC)) {
            (*retries)++;
            continue;
        }
        for (u8 k = 0; k < 10; k++)
            out[k] = crd(r, k);
        if (crd(r, RTC_A) & RTC_A_UIP) {
            (*uip_waits)++;
            e->now += 1 * MS;
            continue;
        }
        if (sec != crd(r, RTC_SEC)) {
            (*retries)++;
            continue;
        }
        return true;
    }
    return false;
}

static void check_time(struct rtc *r, u8 sec, u8 min, u8 hour, u8 wday, u8 mday, u8 mon, u8 year, u8 century)
{
    CHECK_EQ(crd(r, RTC_SEC), sec);
    CHECK_EQ(crd(r, RTC_MIN), min);
    CHECK_EQ(crd(r, RTC_HOUR), hour);
    CHECK_EQ(crd(r, RTC_WDAY), wday);
    CHECK_EQ(crd(r, RTC_MDAY), mday);
    CHECK_EQ(crd(r, RTC_MON), mon);
    CHECK_EQ(crd(r, RTC_YEAR), year);
    CHECK_EQ(crd(r, RTC_CENTURY), century);
}

TEST(rtc_time_calendar_helpers)
{
    struct rtc_tm tm;
    CHECK_EQ(rtc_days_from_civil(1970, 1, 1), 0);
    CHECK_EQ(rtc_tm_to_secs(&(struct rtc_tm){ 2026, 11, 21, 10, 6, 7 }), T_2026);
    CHECK_EQ(rtc_tm_to_secs(&(struct rtc_tm){ 1999, 12, 31, 23, 59, 59 }), 946684799);
    CHECK_EQ(rtc_tm_to_secs(&(struct rtc_tm){ 1900, 3, 1, 0, 0, 0 }), (u64)-2203891200LL);
    CHECK_EQ(rtc_tm_to_secs(&(struct rtc_tm){ 2400, 2, 29, 12, 0, 0 }), 13574606400ULL);
    CHECK_EQ(rtc_tm_to_secs(&(struct rtc_tm){ 1999, 13, 1, 0, 0, 0 }), 946684800);   /* normalised */
    rtc_secs_to_tm(-1, &tm);
    CHECK(tm.year == 1969 && tm.mon == 12 && tm.mday == 31 && tm.hour == 23 && tm.min == 59 && tm.sec == 59);
    rtc_secs_to_tm(951782400, &tm);
    CHECK(tm.year == 2000 && tm.mon == 2 && tm.mday == 29 && tm.hour == 0);
    CHECK_EQ(rtc_weekday(0), 5);                        /* Thursday */
    CHECK_EQ(rtc_weekday(-1), 4);
    CHECK_EQ(rtc_weekday(951782400 / SECS_PER_DAY), 3); /* 2000-02-29, a Tuesday */
    CHECK_EQ(rtc_days_in_month(1900, 2), 28);
    CHECK_EQ(rtc_days_in_month(2000, 2), 29);
    CHECK_EQ(rtc_days_in_month(2024, 2), 29);
    CHECK_EQ(rtc_days_in_month(2023, 2), 28);
    CHECK(rtc_tm_valid(&(struct rtc_tm){ 2024, 2, 29, 23, 59, 59 }));
    CHECK(!rtc_tm_valid(&(struct rtc_tm){ 2023, 2, 29, 0, 0, 0 }));
    /* Round trip over four centuries, a day and a bit at a time. */
    for (i64 s = -4000000000LL; s < 9000000000LL; s += 86400 * 37 + 3671) {
        rtc_secs_to_tm(s, &tm);
        CHECK(rtc_tm_valid(&tm));
        CHECK_EQ(rtc_tm_to_secs(&tm), s);
    }
}

TEST(rtc_time_encodings)
{
    CHECK_EQ(rtc_field_encode(59, false), 0x59);
    CHECK_EQ(rtc_field_encode(59, true), 59);
    CHECK_EQ(rtc_field_decode(0x59, false), 59);
    CHECK_EQ(rtc_field_decode(0x7A, false), 80);        /* lenient */
    CHECK_EQ(rtc_hour_encode(0, false, false), 0x12);   /* midnight: 12 AM */
    CHECK_EQ(rtc_hour_encode(12, false, false), 0x92);  /* noon: 12 PM */
    CHECK_EQ(rtc_hour_encode(23, false, false), 0x91);
    CHECK_EQ(rtc_hour_encode(11, true, false), 11);
    CHECK_EQ(rtc_hour_encode(13, true, false), 0x81);
    CHECK_EQ(rtc_hour_decode(0x12, false, false), 0);
    CHECK_EQ(rtc_hour_decode(0x92, false, false), 12);
    CHECK_EQ(rtc_hour_decode(0x11, false, false), 11);  /* Bochs reads this as 10 AM */
    CHECK_EQ(rtc_hour_decode(0x91, false, false), 23);
    CHECK_EQ(rtc_hour_decode(0x17, false, true), 17);
}

TEST(rtc_initial_state_from_host_clock)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC + 250 * MS);
    check_time(&r, 0x07, 0x06, 0x10, 7, 0x21, 0x11, 0x26, 0x20);
    CHECK_EQ(crd(&r, RTC_A), 0x26);
    CHECK_EQ(crd(&r, RTC_B), 0x02);
    CHECK_EQ(crd(&r, RTC_C), 0);
    CHECK_EQ(crd(&r, RTC_D), 0x80);
    CHECK_EQ(crd(&r, 0x37), 0);                         /* not a century alias */
    /* Ticks with the host: still :07 just before the host second ends, :08 at it. */
    e.now = (T_2026 + 1) * NSEC_PER_SEC - 1;
    CHECK_EQ(crd(&r, RTC_SEC), 0x07);
    e.now = (T_2026 + 1) * NSEC_PER_SEC;
    CHECK_EQ(crd(&r, RTC_SEC), 0x08);
    e.now += 3600 * NSEC_PER_SEC;                       /* a long idle stretch is caught up at once */
    CHECK_EQ(crd(&r, RTC_HOUR), 0x11);
    CHECK_EQ(crd(&r, RTC_SEC), 0x08);
}

TEST(rtc_uip_window_once_a_second)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    unsigned high = 0, low_then_update = 0;
    u64 start = e.now;
    for (u64 t = start; t < start + 3 * NSEC_PER_SEC; t += 10 * US) {
        e.now = t;
        bool uip = crd(&r, RTC_A) & RTC_A_UIP;
        high += uip;
        if (!uip) {
            /* Once UIP reads 0, no update for at least 244 us. */
            u8 s = crd(&r, RTC_SEC);
            e.now = t + 244 * US;
            low_then_update += crd(&r, RTC_SEC) != s;
        }
    }
    CHECK(high >= 3 * 222 && high <= 3 * 223 + 1);     /* 2228 us a second, sampled every 10 us */
    CHECK_EQ(low_then_update, 0);
    /* UIP is down while SET holds the updates. */
    e.now = start + 5 * NSEC_PER_SEC - 1 * MS;
    CHECK(crd(&r, RTC_A) & RTC_A_UIP);
    cwr(&r, RTC_B, 0x82);
    CHECK(!(crd(&r, RTC_A) & RTC_A_UIP));
}

TEST(rtc_linux_read_with_uip_polling_and_retry)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    e.step = 2 * US;                                    /* each port access costs an exit */
    u8 t[10];
    unsigned waits = 0, retries = 0;
    e.now = (T_2026 + 1) * NSEC_PER_SEC - 1500 * US;    /* inside the UIP window */
    CHECK(linux_read(&r, &e, t, &waits, &retries));
    CHECK_EQ(waits, 2);
    CHECK_EQ(t[RTC_SEC], 0x08);
    CHECK_EQ(t[RTC_MIN], 0x06);

    /* Just before UIP rises: the re-check catches the update and the read is retried. */
    waits = retries = 0;
    e.now = (T_2026 + 2) * NSEC_PER_SEC - 2228 * US - 15 * US;
    CHECK(linux_read(&r, &e, t, &waits, &retries));
    CHECK(waits >= 1);
    CHECK_EQ(t[RTC_SEC], 0x09);
    CHECK_EQ(t[RTC_HOUR], 0x10);
    CHECK_EQ(t[RTC_YEAR], 0x26);

    /* Very slow exits (3 ms an access) jump over the whole UIP window: the seconds re-check catches it. */
    waits = retries = 0;
    e.step = 3 * MS;
    e.now = (T_2026 + 3) * NSEC_PER_SEC - 5500 * US;
    CHECK(linux_read(&r, &e, t, &waits, &retries));
    CHECK_EQ(retries, 1);
    CHECK_EQ(t[RTC_SEC], 0x10);
}

/* SeaBIOS rtc_setup() and its timed waits, with the NMI-disable bit set on every index write. */
TEST(rtc_seabios_sequence)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC + 100 * MS);
    rtc_io_write(&r, RTC_PORT_INDEX, 1, 0x80 | RTC_A);
    rtc_io_write(&r, RTC_PORT_DATA, 1, 0x26);
    CHECK_EQ(rtc_io_read(&r, RTC_PORT_INDEX, 1), 0xFF);        /* write-only index port */
    rtc_io_write(&r, RTC_PORT_INDEX, 1, 0x80 | RTC_B);
    u8 b = (u8)rtc_io_read(&r, RTC_PORT_DATA, 1);
    rtc_io_write(&r, RTC_PORT_DATA, 1, (b & (u8)~RTC_B_DSE) | RTC_B_24H);
    rtc_io_write(&r, RTC_PORT_INDEX, 1, 0x80 | RTC_C);
    CHECK_EQ(rtc_io_read(&r, RTC_PORT_DATA, 1), 0);
    rtc_io_write(&r, RTC_PORT_INDEX, 1, 0x80 | RTC_D);
    CHECK_EQ(rtc_io_read(&r, RTC_PORT_DATA, 1), 0x80);
    /* rtc_updating(): wait up to 15 ms for UIP to clear. */
    e.now = (T_2026 + 1) * NSEC_PER_SEC - 1 * MS;
    unsigned waited = 0;
    while ((crd(&r, 0x80 | RTC_A) & RTC_A_UIP) && waited < 15) {
        e.now += 1 * MS;
        waited++;
    }
    CHECK(waited >= 1 && waited < 15);
    /* rtc_use(): periodic interrupt at 1024 Hz for timed waits. PF has been set all along, enabled or not. */
    CHECK_EQ(crd(&r, RTC_C), RTC_C_PF | RTC_C_UF);
    cwr(&r, RTC_B, crd(&r, RTC_B) | RTC_B_PIE);
    CHECK(!e.irq);
    e.now += 977 * US;
    rtc_next_deadline(&r);                              /* the board's timer */
    CHECK(e.irq);
    CHECK_EQ(crd(&r, 0x80 | RTC_C) & 0xC0, RTC_C_IRQF | RTC_C_PF);
    CHECK(!e.irq);
}

TEST(rtc_12_hour_midnight_and_noon)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    cwr(&r, RTC_B, 0x80);                               /* SET, BCD, 12-hour */
    u8 t[10] = { [RTC_SEC] = 0x59, [RTC_MIN] = 0x59, [RTC_HOUR] = 0x80 | 0x11, [RTC_WDAY] = 7,
                 [RTC_MDAY] = 0x31, [RTC_MON] = 0x12, [RTC_YEAR] = 0x26 };
    set_time(&r, t, 0x20);
    cwr(&r, RTC_B, 0x00);
    first_update(&e);
    check_time(&r, 0x00, 0x00, 0x12, 1, 0x01, 0x01, 0x27, 0x20);   /* 11:59:59 PM -> 12:00:00 AM, new year */
    t[RTC_HOUR] = 0x11;                                 /* 11:59:59 AM -> 12:00:00 PM */
    set_time(&r, t, 0x20);
    first_update(&e);
    CHECK_EQ(crd(&r, RTC_HOUR), 0x92);
    CHECK_EQ(crd(&r, RTC_MDAY), 0x31);
    e.now += NSEC_PER_SEC * 3600;                       /* 12 PM -> 1 PM */
    CHECK_EQ(crd(&r, RTC_HOUR), 0x81);
    /* Binary 12-hour: 12 AM is 12, 1 PM is 0x81. */
    cwr(&r, RTC_B, 0x84);
    t[RTC_SEC] = 59, t[RTC_MIN] = 59, t[RTC_HOUR] = 0x80 | 11;
    t[RTC_MDAY] = 1, t[RTC_MON] = 3, t[RTC_YEAR] = 24;
    set_time(&r, t, 20);
    cwr(&r, RTC_B, 0x04);
    first_update(&e);
    check_time(&r, 0, 0, 12, 1, 2, 3, 24, 20);
}

TEST(rtc_year_and_century_rollover)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    u8 t[10] = { [RTC_SEC] = 0x59, [RTC_MIN] = 0x59, [RTC_HOUR] = 0x23, [RTC_WDAY] = 6,
                 [RTC_MDAY] = 0x31, [RTC_MON] = 0x12, [RTC_YEAR] = 0x99 };
    set_time(&r, t, 0x19);
    first_update(&e);
    check_time(&r, 0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x20);    /* 1999 -> 2000 */
    set_time(&r, t, 0x20);
    first_update(&e);
    check_time(&r, 0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x21);    /* 2099 -> 2100 */
    /* Binary mode: 2099-12-31 -> 2100. */
    cwr(&r, RTC_B, 0x86);
    u8 tb[10] = { [RTC_SEC] = 59, [RTC_MIN] = 59, [RTC_HOUR] = 23, [RTC_WDAY] = 5,
                  [RTC_MDAY] = 31, [RTC_MON] = 12, [RTC_YEAR] = 99 };
    set_time(&r, tb, 20);
    cwr(&r, RTC_B, 0x06);
    first_update(&e);
    check_time(&r, 0, 0, 0, 6, 1, 1, 0, 21);
}

TEST(rtc_february_29)
{
    static const struct { u8 year, century, next_mday, next_mon; } cases[] = {
        { 0x24, 0x20, 0x29, 0x02 },                     /* 2024: leap */
        { 0x23, 0x20, 0x01, 0x03 },
        { 0x00, 0x20, 0x29, 0x02 },                     /* 2000: divisible by 400 */
        { 0x00, 0x21, 0x01, 0x03 },                     /* 2100: not a leap year */
    };
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        struct rtc r;
        struct env e;
        setup(&r, &e, T_2026 * NSEC_PER_SEC);
        u8 t[10] = { [RTC_SEC] = 0x59, [RTC_MIN] = 0x59, [RTC_HOUR] = 0x23, [RTC_WDAY] = 3,
                     [RTC_MDAY] = 0x28, [RTC_MON] = 0x02, [RTC_YEAR] = cases[i].year };
        set_time(&r, t, cases[i].century);
        first_update(&e);
        CHECK_EQ(crd(&r, RTC_MDAY), cases[i].next_mday);
        CHECK_EQ(crd(&r, RTC_MON), cases[i].next_mon);
        CHECK_EQ(crd(&r, RTC_WDAY), 4);
    }
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    u8 t[10] = { [RTC_SEC] = 0x59, [RTC_MIN] = 0x59, [RTC_HOUR] = 0x23, [RTC_WDAY] = 5,
                 [RTC_MDAY] = 0x29, [RTC_MON] = 0x02, [RTC_YEAR] = 0x24 };
    set_time(&r, t, 0x20);
    first_update(&e);
    check_time(&r, 0x00, 0x00, 0x00, 6, 0x01, 0x03, 0x24, 0x20);
}

/* The real chip does not convert the stored time when DM or 24/12 change (QEMU and Bochs do). */
TEST(rtc_mode_switch_does_not_convert)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC + 100 * MS);
    cwr(&r, RTC_B, 0x82);
    cwr(&r, RTC_HOUR, 0x15);
    cwr(&r, RTC_B, 0x80 | RTC_B_BINARY);                /* 12-hour binary, time untouched */
    CHECK_EQ(crd(&r, RTC_HOUR), 0x15);
    CHECK_EQ(crd(&r, RTC_MIN), 0x06);
    CHECK_EQ(crd(&r, RTC_SEC), 0x07);
    CHECK_EQ(crd(&r, RTC_B), 0x80 | RTC_B_BINARY);
}

TEST(rtc_set_halts_and_divider_reset_delays_500ms)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC + 100 * MS);
    cwr(&r, RTC_B, 0x02 | RTC_B_UIE);
    cwr(&r, RTC_B, 0x82 | RTC_B_UIE);
    CHECK_EQ(crd(&r, RTC_B), 0x82);                     /* SET clears UIE */
    e.now += 5 * NSEC_PER_SEC;
    CHECK_EQ(crd(&r, RTC_SEC), 0x07);                   /* halted */
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_UF, 0);             /* no update cycles, no UF */
    cwr(&r, RTC_SEC, 0x30);
    cwr(&r, RTC_A, 0x70);                               /* divider reset */
    cwr(&r, RTC_B, 0x02);
    e.now += 3 * NSEC_PER_SEC;
    CHECK_EQ(crd(&r, RTC_SEC), 0x30);                   /* still held by the divider */
    CHECK(!(crd(&r, RTC_A) & RTC_A_UIP));
    cwr(&r, RTC_A, 0x26);
    u64 release = e.now;
    e.now = release + 500 * MS - 300 * US;
    CHECK(!(crd(&r, RTC_A) & RTC_A_UIP));
    e.now = release + 500 * MS - 200 * US;
    CHECK(crd(&r, RTC_A) & RTC_A_UIP);                  /* UIP 244 us before the cycle begins at 500 ms */
    e.now = release + 500 * MS + 1900 * US;
    CHECK_EQ(crd(&r, RTC_SEC), 0x30);                   /* the cycle takes 1984 us */
    e.now = release + 500 * MS + 2000 * US;
    CHECK_EQ(crd(&r, RTC_SEC), 0x31);
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_UF, RTC_C_UF);
    e.now = release + 1500 * MS + 2000 * US;
    CHECK_EQ(crd(&r, RTC_SEC), 0x32);                   /* then once a second */
}

TEST(rtc_cmos_ram_round_trip)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    for (unsigned i = RTC_RAM; i < RTC_REGS; i++)
        cwr(&r, (u8)(i | 0x80), (u8)(i * 7 + 3));
    for (unsigned i = RTC_RAM; i < RTC_REGS; i++)
        CHECK_EQ(crd(&r, (u8)i), (u8)(i * 7 + 3));
    cwr(&r, RTC_CENTURY, 0x20);
    CHECK_EQ(crd(&r, 0x37), (u8)(0x37 * 7 + 3));       /* 0x37 is RAM, not a century alias */
    cwr(&r, RTC_C, 0xFF);
    cwr(&r, RTC_D, 0x00);
    CHECK_EQ(crd(&r, RTC_C), 0);
    CHECK_EQ(crd(&r, RTC_D), 0x80);
    cwr(&r, RTC_A, 0xA6);
    CHECK_EQ(crd(&r, RTC_A) & 0x7F, 0x26);             /* UIP is read-only */
    cwr(&r, RTC_SEC_ALARM, 0xC5);
    CHECK_EQ(crd(&r, RTC_SEC_ALARM), 0xC5);
    /* Index bit 7 is not part of the register number. */
    cwr(&r, 0x80 | 0x40, 0x11);
    CHECK_EQ(crd(&r, 0x40), 0x11);
}

/* Flags are set whether or not enabled; IRQF and IRQ 8 follow the enables; reading C clears all. */
TEST(rtc_interrupt_flags)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC + 100 * MS);
    cwr(&r, RTC_SEC_ALARM, 0x09);
    cwr(&r, RTC_MIN_ALARM, RTC_ALARM_ANY);
    cwr(&r, RTC_HOUR_ALARM, RTC_ALARM_ANY);
    crd(&r, RTC_C);
    e.now = (T_2026 + 1) * NSEC_PER_SEC;                /* :08 */
    CHECK_EQ(crd(&r, RTC_C), RTC_C_PF | RTC_C_UF);     /* no IRQF: nothing enabled */
    CHECK(!e.irq);
    CHECK_EQ(crd(&r, RTC_C), 0);
    e.now = (T_2026 + 2) * NSEC_PER_SEC;                /* :09 matches the alarm */
    CHECK_EQ(crd(&r, RTC_C), RTC_C_PF | RTC_C_AF | RTC_C_UF);
    /* Enabling an interrupt whose flag is already set raises IRQ 8 at once. */
    e.now += 10 * MS;
    cwr(&r, RTC_B, 0x02 | RTC_B_PIE);
    CHECK(e.irq);
    CHECK_EQ(crd(&r, RTC_C), RTC_C_IRQF | RTC_C_PF);
    CHECK(!e.irq);
    cwr(&r, RTC_B, 0x02 | RTC_B_UIE);
    e.now = (T_2026 + 3) * NSEC_PER_SEC - 5 * MS;
    rtc_next_deadline(&r);                              /* the board's timer */
    CHECK(!e.irq);
    e.now = (T_2026 + 3) * NSEC_PER_SEC;
    rtc_next_deadline(&r);
    CHECK(e.irq);
    CHECK_EQ(crd(&r, RTC_C), RTC_C_IRQF | RTC_C_PF | RTC_C_UF);
    CHECK(!e.irq);
    /* Alarm interrupt with the alarm 3 s ahead, across a multi-second catch-up. */
    cwr(&r, RTC_B, 0x02 | RTC_B_AIE);
    cwr(&r, RTC_SEC_ALARM, 0x13);
    e.now = (T_2026 + 5) * NSEC_PER_SEC;                /* :12 */
    rtc_next_deadline(&r);
    CHECK(!e.irq);
    e.now = (T_2026 + 9) * NSEC_PER_SEC;                /* :16, the :13 match happened on the way */
    rtc_next_deadline(&r);
    CHECK(e.irq);
    CHECK_EQ(crd(&r, RTC_C) & (RTC_C_IRQF | RTC_C_AF), RTC_C_IRQF | RTC_C_AF);
    /* Disabling the enable lowers IRQF (it is combinational). */
    cwr(&r, RTC_B, 0x02 | RTC_B_UIE);
    e.now += NSEC_PER_SEC;
    rtc_next_deadline(&r);
    CHECK(e.irq);
    cwr(&r, RTC_B, 0x02);
    CHECK(!e.irq);
    CHECK_EQ(crd(&r, RTC_C), RTC_C_PF | RTC_C_UF);
}

TEST(rtc_periodic_rates)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    cwr(&r, RTC_A, 0x2F);                               /* 2 Hz */
    crd(&r, RTC_C);
    e.now = T_2026 * NSEC_PER_SEC + 450 * MS;
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, 0);
    e.now = T_2026 * NSEC_PER_SEC + 520 * MS;
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, RTC_C_PF);
    cwr(&r, RTC_A, 0x23);                               /* 8192 Hz: 122 us */
    crd(&r, RTC_C);
    e.now += 123 * US;
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, RTC_C_PF);
    cwr(&r, RTC_A, 0x20);                               /* off */
    e.now += 10 * MS;
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, 0);
}

/*
 * With PIE off the model skips periodic ticks between accesses (a guest polling the clock pays nothing for
 * them), yet PF must read exactly as if every tick had been counted: after other registers were read, when
 * PIE goes on, and across a rate change, which counts the elapsed time at the old rate.
 */
TEST(rtc_periodic_flag_without_interrupts)
{
    struct rtc r;
    struct env e;
    u64 t0 = T_2026 * NSEC_PER_SEC + 100 * MS;
    setup(&r, &e, t0);
    cwr(&r, RTC_A, 0x2F);                               /* 2 Hz: ticks at .000 and .500 */
    crd(&r, RTC_C);
    e.now = t0 + 350 * MS;                              /* .450: no tick yet */
    crd(&r, RTC_SEC);
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, 0);
    e.now = t0 + 420 * MS;                              /* .520: past the .500 tick; a time read first */
    crd(&r, RTC_SEC);
    crd(&r, RTC_MIN);
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, RTC_C_PF);
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, 0);             /* read clears it, and no tick came since */

    e.now = t0 + 950 * MS;                              /* 1.050: past the 1.000 tick, nobody looked */
    CHECK(!e.irq);
    cwr(&r, RTC_B, 0x02 | RTC_B_PIE);
    CHECK(e.irq);                                       /* the pending PF raises IRQ 8 at once */
    CHECK_EQ(crd(&r, RTC_C), RTC_C_IRQF | RTC_C_PF | RTC_C_UF);
    cwr(&r, RTC_B, 0x02);

    crd(&r, RTC_C);                                     /* 1.050 (plus the accesses' own time) */
    e.now = t0 + 1100 * MS;                             /* 1.200: no 2 Hz tick, though 8 Hz ones passed */
    cwr(&r, RTC_A, 0x2D);                               /* 8 Hz from here on */
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, 0);
    e.now = t0 + 1160 * MS;                             /* 1.260: past the 8 Hz tick at 1.250 */
    CHECK_EQ(crd(&r, RTC_C) & RTC_C_PF, RTC_C_PF);
}

/* hwclock waits for the update-ended interrupt: the deadline query tells the hypervisor when to look. */
TEST(rtc_next_deadline)
{
    struct rtc r;
    struct env e;
    u64 t0 = T_2026 * NSEC_PER_SEC + 100 * MS;
    setup(&r, &e, t0);
    CHECK_EQ(rtc_next_deadline(&r), DEV_NO_DEADLINE);   /* nothing enabled */
    cwr(&r, RTC_B, 0x02 | RTC_B_UIE);
    u64 d = rtc_next_deadline(&r);
    CHECK_EQ(d, (T_2026 + 1) * NSEC_PER_SEC);
    e.now = d;
    rtc_next_deadline(&r);                              /* the board's timer */
    CHECK(e.irq);
    CHECK_EQ(rtc_next_deadline(&r), DEV_NO_DEADLINE);   /* IRQF up: nothing can rise until C is read */
    crd(&r, RTC_C);
    CHECK_EQ(rtc_next_deadline(&r), (T_2026 + 2) * NSEC_PER_SEC);
    cwr(&r, RTC_B, 0x02 | RTC_B_PIE);                   /* 1024 Hz */
    d = rtc_next_deadline(&r);
    CHECK(d > e.now && d <= e.now + 977 * US);
    cwr(&r, RTC_B, 0x02 | RTC_B_AIE);
    cwr(&r, RTC_SEC_ALARM, 0x30);
    cwr(&r, RTC_MIN_ALARM, 0x06);
    cwr(&r, RTC_HOUR_ALARM, 0x10);
    CHECK_EQ(rtc_next_deadline(&r), (T_2026 + 23) * NSEC_PER_SEC);     /* 10:06:30 */
    cwr(&r, RTC_MIN_ALARM, 0x05);                       /* 10:05:30: tomorrow */
    CHECK_EQ(rtc_next_deadline(&r), (T_2026 + 86400 - 37) * NSEC_PER_SEC);
    cwr(&r, RTC_SEC_ALARM, 0x60);                       /* never matches */
    CHECK_EQ(rtc_next_deadline(&r), DEV_NO_DEADLINE);
}

TEST(rtc_weekday_counts_on_its_own)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * NSEC_PER_SEC);
    u8 t[10] = { [RTC_SEC] = 0x59, [RTC_MIN] = 0x59, [RTC_HOUR] = 0x23, [RTC_WDAY] = 2,   /* "wrong" on purpose */
                 [RTC_MDAY] = 0x21, [RTC_MON] = 0x11, [RTC_YEAR] = 0x26 };
    set_time(&r, t, 0x20);
    first_update(&e);
    CHECK_EQ(crd(&r, RTC_WDAY), 3);
    e.now += 5 * 86400 * NSEC_PER_SEC;
    CHECK_EQ(crd(&r, RTC_WDAY), 1);                     /* 7 wraps to 1 */
    CHECK_EQ(crd(&r, RTC_MDAY), 0x27);
}

TEST(rtc_century_byte_kept_between_century_changes)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, T_2026 * 1000000000ULL);
    cwr(&r, 0x32, 0x5A);                        /* a guest's own byte, in the century's slot */
    e.now += 3000 * MS;                         /* three updates later */
    CHECK_EQ(crd(&r, 0x32), 0x5A);
    CHECK_EQ(crd(&r, 0x32), 0x5A);
}

/* The model flags the accesses that move its next interrupt, and only those: CMOS RAM and status reads, half
 * of what firmware does with the chip, leave vCPU 0's timers alone. */
TEST(rtc_deadline_moved_flag)
{
    struct rtc r;
    struct env e;
    setup(&r, &e, 946684800ULL * NSEC_PER_SEC);
    CHECK(rtc_take_deadline_moved(&r));                 /* the first computation */
    CHECK(!rtc_take_deadline_moved(&r));
    crd(&r, RTC_SEC);
    crd(&r, RTC_A);
    crd(&r, RTC_D);
    cwr(&r, 0x40, 0x5A);                                /* CMOS RAM */
    cwr(&r, RTC_D, 0);                                  /* read-only */
    CHECK(!rtc_take_deadline_moved(&r));
    crd(&r, RTC_C);                                     /* the acknowledgement */
    CHECK(rtc_take_deadline_moved(&r));
    static const u8 moving[] = { RTC_SEC, RTC_SEC_ALARM, RTC_MIN, RTC_HOUR_ALARM, RTC_YEAR, RTC_A, RTC_B };
    for (unsigned i = 0; i < sizeof moving; i++) {
        cwr(&r, moving[i], crd(&r, moving[i]) & 0x7F);
        CHECK(rtc_take_deadline_moved(&r));
    }
}
