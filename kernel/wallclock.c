/* SPDX-License-Identifier: BSD-2-Clause */
/* The host RTC is read once (the hypervisor never writes it); afterwards time is the TSC since that read. */
#include "devices/rtc_time.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/tsc_ns.h"
#include "kernel/wallclock.h"
#include "kernel/x86.h"

#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define CMOS_NMI_OFF    0x80    /* keep NMIs masked at the chip while we touch it, as firmware does */
#define REG_SEC 0x00
#define REG_MIN 0x02
#define REG_HOUR 0x04
#define REG_MDAY 0x07
#define REG_MON 0x08
#define REG_YEAR 0x09
#define REG_A 0x0A
#define REG_B 0x0B
#define REG_CENTURY 0x32
#define A_UIP BIT(7)
#define B_24H BIT(1)
#define B_BINARY BIT(2)
#define NSEC_PER_SEC 1000000000ULL

static u64 base_ns, base_tsc, ns_scale;
static u64 last_ns;

static u8 cmos(u8 reg)
{
    outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
    return inb(CMOS_DATA);
}

/* Reads the time registers outside an update cycle, twice until two reads agree (as Linux does). */
static bool read_rtc(struct rtc_tm *tm)
{
    u8 a[7], b[7];
    for (int tries = 0; tries < 10; tries++) {
        for (int spin = 0; spin < 100000 && (cmos(REG_A) & A_UIP); spin++)
            cpu_relax_io();
        u8 regs[] = { REG_SEC, REG_MIN, REG_HOUR, REG_MDAY, REG_MON, REG_YEAR, REG_CENTURY };
        for (int i = 0; i < 7; i++)
            a[i] = cmos(regs[i]);
        for (int i = 0; i < 7; i++)
            b[i] = cmos(regs[i]);
        bool same = true;
        for (int i = 0; i < 7; i++)
            same &= a[i] == b[i];
        if (!same)
            continue;
        u8 mode = cmos(REG_B);
        bool bin = mode & B_BINARY;
        unsigned century = rtc_field_decode(a[6], bin);
        tm->sec = (int)rtc_field_decode(a[0], bin);
        tm->min = (int)rtc_field_decode(a[1], bin);
        tm->hour = (int)rtc_hour_decode(a[2], bin, mode & B_24H);
        tm->mday = (int)rtc_field_decode(a[3], bin);
        tm->mon = (int)rtc_field_decode(a[4], bin);
        /* The century byte is a convention, not a register: trust it only when it is plausible. */
        tm->year = (century >= 19 && century <= 30 ? century * 100 : 2000) + rtc_field_decode(a[5], bin);
        return rtc_tm_valid(tm);
    }
    return false;
}

void wallclock_init(void)
{
    struct rtc_tm tm;
    base_tsc = rdtsc();
    ns_scale = tsc_ns_scale(tsc_hz());
    if (!read_rtc(&tm)) {
        pr_warn("time: the host RTC gave no valid time; guests start at 2000-01-01 00:00:00");
        tm = (struct rtc_tm){ 2000, 1, 1, 0, 0, 0 };
    }
    base_ns = (u64)rtc_tm_to_secs(&tm) * NSEC_PER_SEC;
    last_ns = base_ns;
    pr_info("time: host RTC reads %04lld-%02d-%02d %02d:%02d:%02d", (long long)tm.year, tm.mon, tm.mday, tm.hour,
            tm.min, tm.sec);
}

u64 wallclock_now_ns(void *ctx)
{
    (void)ctx;
    u64 tsc = rdtsc();
    u64 delta = tsc > base_tsc ? tsc - base_tsc : 0;    /* another CPU's TSC may lag the boot CPU's */
    u64 now = base_ns + tsc_ticks_to_ns(delta, ns_scale);
    /* TSCs of different CPUs may differ by a little: never hand out a time before one already given. */
    u64 seen = __atomic_load_n(&last_ns, __ATOMIC_RELAXED);
    while (now > seen && !__atomic_compare_exchange_n(&last_ns, &seen, now, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    return now > seen ? now : seen;
}

u64 wallclock_tsc_at(u64 ns)
{
    if (ns <= base_ns)
        return base_tsc;
    u64 ticks = tsc_ns_to_ticks_ceil(ns - base_ns, ns_scale);
    return ticks < UINT64_MAX - base_tsc ? base_tsc + ticks : UINT64_MAX - 1;   /* below VTIMER_NONE */
}
