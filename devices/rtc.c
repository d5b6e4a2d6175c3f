/* SPDX-License-Identifier: BSD-2-Clause */
/* The MC146818A RTC model: update cycles with UIP, SET, divider reset, periodic/alarm/update flags, CMOS RAM. */
#include "devices/rtc.h"
#include "devices/rtc_time.h"
#include "kernel/assert.h"

/*
 * Timing, in ticks of the 32.768 kHz time base (MC146818A "Update cycle", "Update-ended interrupt"): a second is
 * 32768 ticks; UIP rises 244 us (8 ticks) before an update cycle begins and stays up for the cycle, 1984 us
 * (65 ticks); the time bytes change and UF is set when the cycle ends. Leaving divider reset starts the chain
 * half-way through a second, so the first update begins 500 ms later.
 */
#define TICK_HZ         32768ULL
#define UIP_LEAD_TICKS  8
#define UPDATE_TICKS    65
#define UIP_TICKS       (UIP_LEAD_TICKS + UPDATE_TICKS)

static u64 ns_to_ticks(u64 ns)
{
    return ns / NSEC_PER_SEC * TICK_HZ + ns % NSEC_PER_SEC * TICK_HZ / NSEC_PER_SEC;
}

/* The first host time at which ns_to_ticks reaches `ticks`. */
static u64 ticks_to_ns(u64 ticks)
{
    return ticks / TICK_HZ * NSEC_PER_SEC + (ticks % TICK_HZ * NSEC_PER_SEC + TICK_HZ - 1) / TICK_HZ;
}

/* Under the lock; taken without it by rtc_take_deadline_moved, hence atomic. */
static void note_deadline_moved(struct rtc *r)
{
    __atomic_store_n(&r->deadline_moved, true, __ATOMIC_RELAXED);
}

static bool running(const struct rtc *r)
{
    return (r->reg[RTC_A] & RTC_A_DV) == RTC_A_DV_NORMAL;
}

static u64 ticks_at(const struct rtc *r, u64 now)
{
    return r->base_ticks + ns_to_ticks(now > r->base_ns ? now - r->base_ns : 0);
}

/* Periodic interrupt period in ticks (MC146818A Table 5, 32.768 kHz): rates 1 and 2 alias 8 and 9. */
static u64 periodic_ticks(const struct rtc *r)
{
    unsigned rs = r->reg[RTC_A] & RTC_A_RS;
    if (rs == 0)
        return 0;
    return 1ULL << ((rs < 3 ? rs + 7 : rs) - 1);
}

static bool irqf(const struct rtc *r)
{
    return r->reg[RTC_C] & r->reg[RTC_B] & (RTC_C_PF | RTC_C_AF | RTC_C_UF);     /* flag bits sit under their enables */
}

static void irq_update(struct rtc *r)
{
    bool level = irqf(r);
    if (level != r->irq_level) {
        r->irq_level = level;
        r->irq.set(r->irq.ctx, r->irq.line, level);
    }
}

/* ---- the time bytes as one number of seconds ---- */

static bool is_binary(const struct rtc *r)
{
    return r->reg[RTC_B] & RTC_B_BINARY;
}

static bool is_24h(const struct rtc *r)
{
    return r->reg[RTC_B] & RTC_B_24H;
}

/* Decoded leniently in the current mode and normalised: a guest that stores out-of-range values (or switches the
 * mode without rewriting the time, which the chip does not convert) gets a clock that still runs. */
static i64 time_get(const struct rtc *r)
{
    bool bin = is_binary(r);
    struct rtc_tm tm = {
        .year = (i64)rtc_field_decode(r->reg[RTC_CENTURY], bin) * 100 + rtc_field_decode(r->reg[RTC_YEAR], bin),
        .mon = (int)rtc_field_decode(r->reg[RTC_MON], bin),
        .mday = (int)rtc_field_decode(r->reg[RTC_MDAY], bin),
        .hour = (int)rtc_hour_decode(r->reg[RTC_HOUR], bin, is_24h(r)),
        .min = (int)rtc_field_decode(r->reg[RTC_MIN], bin),
        .sec = (int)rtc_field_decode(r->reg[RTC_SEC], bin),
    };
    return rtc_tm_to_secs(&tm);
}

static void time_set(struct rtc *r, i64 secs)
{
    bool bin = is_binary(r);
    struct rtc_tm tm;
    rtc_secs_to_tm(secs, &tm);
    u64 year = (u64)(tm.year % 25600 + 25600) % 25600;      /* what a binary century byte can hold */
    r->reg[RTC_SEC] = rtc_field_encode((unsigned)tm.sec, bin);
    r->reg[RTC_MIN] = rtc_field_encode((unsigned)tm.min, bin);
    r->reg[RTC_HOUR] = rtc_hour_encode((unsigned)tm.hour, bin, is_24h(r));
    r->reg[RTC_MDAY] = rtc_field_encode((unsigned)tm.mday, bin);
    r->reg[RTC_MON] = rtc_field_encode((unsigned)tm.mon, bin);
    r->reg[RTC_YEAR] = rtc_field_encode((unsigned)(year % 100), bin);
    /* 0x32 is a firmware convention, not a chip register: touched only when the century turns, so a guest
     * that keeps its own byte there (no FADT century field) finds it as it left it. */
    if (rtc_field_decode(r->reg[RTC_CENTURY], bin) != year / 100)
        r->reg[RTC_CENTURY] = rtc_field_encode((unsigned)(year / 100), bin);
}

static bool alarm_match(u8 alarm, u8 value)
{
    return (alarm & RTC_ALARM_ANY) == RTC_ALARM_ANY || alarm == value;
}

/* The first second after t (in time_get() seconds) whose hour/minute/second bytes match the alarm bytes, or
 * INT64_MAX. The chip compares encoded bytes, so we do too; at most two days of candidates, pruned per field. */
static i64 next_alarm(const struct rtc *r, i64 t)
{
    bool bin = is_binary(r), h24 = is_24h(r);
    i64 day = rtc_day_of(t) * SECS_PER_DAY, tod = t - day;
    for (i64 d = 0; d < 2 * SECS_PER_DAY; d += SECS_PER_DAY)
        for (unsigned h = 0; h < 24; h++) {
            if (d + h * 3600 + 3599 <= tod || !alarm_match(r->reg[RTC_HOUR_ALARM], rtc_hour_encode(h, bin, h24)))
                continue;
            for (unsigned m = 0; m < 60; m++) {
                if (d + h * 3600 + m * 60 + 59 <= tod || !alarm_match(r->reg[RTC_MIN_ALARM], rtc_field_encode(m, bin)))
                    continue;
                for (unsigned s = 0; s < 60; s++) {
                    i64 c = d + h * 3600 + m * 60 + s;
                    if (c > tod && alarm_match(r->reg[RTC_SEC_ALARM], rtc_field_encode(s, bin)))
                        return day + c;
                }
            }
        }
    return INT64_MAX;
}

/* n update cycles ended: advance the time bytes, the weekday, and set UF (and AF if the alarm matched). */
static void update_cycles(struct rtc *r, u64 n)
{
    i64 old = time_get(r), now = old + (i64)n;
    if (next_alarm(r, old) <= now)
        r->reg[RTC_C] |= RTC_C_AF;
    r->reg[RTC_C] |= RTC_C_UF;
    time_set(r, now);
    i64 days = rtc_day_of(now) - rtc_day_of(old);
    if (days) {
        bool bin = is_binary(r);
        i64 wday = ((i64)rtc_field_decode(r->reg[RTC_WDAY], bin) - 1 + days) % 7;
        r->reg[RTC_WDAY] = rtc_field_encode((unsigned)((wday + 7) % 7 + 1), bin);
    }
}

static u64 tick_ns(const struct rtc *r, u64 tick)
{
    return r->base_ns + ticks_to_ns(tick - r->base_ticks);
}

/*
 * When the next periodic tick or update end falls due; until then advance() has nothing to do. Periodic ticks
 * count only with PIE set: otherwise their one effect, the PF flag, is caught up when it can be seen
 * (catch_up_periodic), so a guest polling the clock with PIE off does not pay for 1024 ticks a second.
 */
static void next_event(struct rtc *r)
{
    u64 p = (r->reg[RTC_B] & RTC_B_PIE) ? periodic_ticks(r) : 0, t = r->next_update;
    if (p)
        t = MIN(t, (r->ticks / p + 1) * p);
    r->next_event_ns = running(r) ? tick_ns(r, t) : DEV_NO_DEADLINE;
}

/* Bring the chip up to `now`: periodic ticks, then whole update cycles (inhibited, not deferred, while SET). */
static void advance(struct rtc *r, u64 now)
{
    if (now < r->next_event_ns)
        return;                                 /* the common case on the exit path: a few instructions */
    u64 t = ticks_at(r, now);
    if (t <= r->ticks)
        return;
    u64 p = periodic_ticks(r);
    if (p && t / p != r->ticks / p)
        r->reg[RTC_C] |= RTC_C_PF;
    if (t >= r->next_update) {
        u64 n = (t - r->next_update) / TICK_HZ + 1;
        r->next_update += n * TICK_HZ;
        if (!(r->reg[RTC_B] & RTC_B_SET))
            update_cycles(r, n);
    }
    r->ticks = t;
    next_event(r);
}

/*
 * Before PF can be seen (a read of register C, PIE going on) or the rate changes: the periodic ticks since
 * r->ticks that advance() skipped because nothing else was due. Only they can have passed: an update end
 * would have been due.
 */
static void catch_up_periodic(struct rtc *r, u64 now)
{
    if (!running(r))
        return;
    u64 t = ticks_at(r, now), p = periodic_ticks(r);
    if (t <= r->ticks)
        return;
    if (p && t / p != r->ticks / p)
        r->reg[RTC_C] |= RTC_C_PF;
    r->ticks = t;
}

/* Start the divider chain at host time `now` with count `ticks`. */
static void chain_start(struct rtc *r, u64 now, u64 ticks, u64 next_update)
{
    r->base_ns = now;
    r->base_ticks = r->ticks = ticks;
    r->next_update = next_update;
}

void rtc_init(struct rtc *r, struct dev_clock clock, struct dev_irq irq)
{
    *r = (struct rtc){ .lock = SPINLOCK_INIT, .clock = clock, .irq = irq, .deadline_moved = true };
    r->reg[RTC_A] = RTC_A_DV_NORMAL | 0x06;     /* 0x26, what firmware programs */
    r->reg[RTC_B] = RTC_B_24H;                  /* BCD, 24-hour */
    r->reg[RTC_WDAY] = 1;
    u64 now = dev_now(&clock);
    i64 secs = (i64)(now / NSEC_PER_SEC);
    time_set(r, secs);
    r->reg[RTC_WDAY] = (u8)rtc_weekday(secs / SECS_PER_DAY);     /* 1-7: the same in BCD and binary */
    /* An update cycle ended at the host's last whole second, so the guest's seconds tick with the host's. */
    chain_start(r, now - now % NSEC_PER_SEC, UPDATE_TICKS, UPDATE_TICKS + TICK_HZ);
    r->ticks = ticks_at(r, now);
    next_event(r);
}

static u8 read_reg(struct rtc *r, u64 now)
{
    u8 v;
    switch (r->index) {
    case RTC_A: {
        bool uip = running(r) && !(r->reg[RTC_B] & RTC_B_SET) && ticks_at(r, now) + UIP_TICKS >= r->next_update;
        return (u8)(r->reg[RTC_A] | (uip ? RTC_A_UIP : 0));
    }
    case RTC_C:
        catch_up_periodic(r, now);
        v = (u8)(r->reg[RTC_C] | (irqf(r) ? RTC_C_IRQF : 0));
        r->reg[RTC_C] = 0;
        note_deadline_moved(r);
        return v;
    case RTC_D:
        return RTC_D_VRT;
    default:
        return r->reg[r->index];
    }
}

static void write_reg(struct rtc *r, u8 v, u64 now)
{
    if (r->index < RTC_C)
        note_deadline_moved(r);                 /* the time, the alarm, A or B: what rtc_next_deadline reads */
    switch (r->index) {
    case RTC_A: {
        bool was_running = running(r);
        catch_up_periodic(r, now);              /* at the old rate */
        r->reg[RTC_A] = v & (u8)~RTC_A_UIP;
        if (!was_running && running(r))
            chain_start(r, now, TICK_HZ / 2, TICK_HZ + UPDATE_TICKS);
        next_event(r);                          /* the rate or the divider changed */
        break;
    }
    case RTC_B:
        catch_up_periodic(r, now);              /* a pending PF raises IRQ 8 as soon as PIE goes on */
        if (v & RTC_B_SET)
            v &= (u8)~RTC_B_UIE;                /* "UIE is cleared by SET going high" (MC146818A register B) */
        r->reg[RTC_B] = v;
        next_event(r);                          /* periodic ticks count from now on, or no longer */
        break;
    case RTC_C:
    case RTC_D:
        break;                                  /* read-only */
    default:
        r->reg[r->index] = v;                   /* time bytes are taken as written, unconverted */
        break;
    }
}

u32 rtc_io_read(void *dev, u16 offset, unsigned size)
{
    struct rtc *r = dev;
    ASSERT(offset < RTC_PORTS && size == 1);
    if (offset == RTC_PORT_INDEX)
        return 0xFF;
    spin_lock(&r->lock);
    u64 now = dev_now(&r->clock);
    advance(r, now);
    u8 v = read_reg(r, now);
    irq_update(r);
    spin_unlock(&r->lock);
    return v;
}

/* A data write: out of line, so that the index write, half of every CMOS access, stays a few instructions. */
static __attribute__((noinline)) void data_write(struct rtc *r, u8 value)
{
    u64 now = dev_now(&r->clock);
    advance(r, now);
    write_reg(r, value, now);
    irq_update(r);
}

void rtc_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct rtc *r = dev;
    ASSERT(offset < RTC_PORTS && size == 1);
    spin_lock(&r->lock);
    if (offset == RTC_PORT_INDEX) {
        /* Firmware sets bit 7 on every access. It gates NMI on the board, not in the chip, and the guest's NMI
         * comes from no board line here: the model drops it. */
        r->index = value & (u8)~RTC_INDEX_NMI_OFF;
    } else {
        data_write(r, (u8)value);
    }
    spin_unlock(&r->lock);
}

/* The next periodic tick, update end or alarm that would raise IRQ 8; none while IRQF is already up. */
u64 rtc_next_deadline(struct rtc *r)
{
    spin_lock(&r->lock);
    u64 now = dev_now(&r->clock), tick = UINT64_MAX;
    advance(r, now);
    irq_update(r);
    u8 b = r->reg[RTC_B];
    if (running(r) && !irqf(r)) {
        u64 p = periodic_ticks(r);
        if ((b & RTC_B_PIE) && p)
            tick = (ticks_at(r, now) / p + 1) * p;
        if (!(b & RTC_B_SET) && (b & RTC_B_UIE))
            tick = MIN(tick, r->next_update);
        if (!(b & RTC_B_SET) && (b & RTC_B_AIE)) {
            i64 t = time_get(r), a = next_alarm(r, t);
            if (a != INT64_MAX)
                tick = MIN(tick, r->next_update + (u64)(a - t - 1) * TICK_HZ);
        }
    }
    u64 d = tick == UINT64_MAX ? DEV_NO_DEADLINE : tick_ns(r, tick);
    spin_unlock(&r->lock);
    return d;
}
