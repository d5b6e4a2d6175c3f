/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The self-test guest's HPET checks ("timers"), as Linux's hpet.c programs it: the ACPI HPET table's base, the
 * capabilities, the main counter's rate against the TSC, a one-shot comparator through the I/O APIC, a level
 * timer's status bit (set with its interrupt disabled, write 1 to clear), and legacy replacement: timer 0
 * periodic at 50 Hz on GSI 2 with the PIT's 100 Hz cut off, timer 1 on GSI 8 with the RTC's 256 Hz cut off, the
 * PIT back once it is off.
 */
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/vectors.h"

#define HPET_BASE_ADDRESS   44          /* in the ACPI HPET table: the base's Generic Address Structure address */
#define CAP                 0x000
#define   CAP_64BIT         (1u << 13)
#define   CAP_LEG_RT        (1u << 15)
#define PERIOD              0x004       /* the capabilities' high dword: fs per count */
#define CONF                0x010
#define   CONF_ENABLE       1u
#define   CONF_LEG_RT       2u
#define STATUS              0x020
#define COUNTER             0x0F0
#define TN_CONF(n)          (0x100 + 0x20 * (n))
#define TN_ROUTE_CAP(n)     (0x104 + 0x20 * (n))
#define TN_CMP(n)           (0x108 + 0x20 * (n))
#define   TN_LEVEL          (1u << 1)
#define   TN_INT_ENB        (1u << 2)
#define   TN_PERIODIC       (1u << 3)
#define   TN_VAL_SET        (1u << 6)
#define   TN_32BIT          (1u << 8)
#define   TN_ROUTE(gsi)     ((gsi) << 9)
#define GSI_PIT             2
#define GSI_RTC             8
#define IRQ_PIT             0
#define IRQ_RTC             8
#define GSI_UART            4
#define IRQ_UART            4
#define PIT_MODE            0x43
#define PIT_CH0             0x40
#define PIT_100HZ           11932
#define HZ_10MHZ_KHZ        10000
#define PERIOD_50HZ         200000      /* counts of 100 ns */
#define TICKS               16

#define CMOS_INDEX          0x70
#define CMOS_DATA           0x71
#define RTC_A               0x0A
#define   RTC_256HZ         0x08
#define RTC_B               0x0B
#define   RTC_PIE           0x40
#define RTC_C               0x0C

static u32 base;
static volatile unsigned level_acks;
static volatile unsigned long long irq_tsc[16];

static u32 rd(u32 off)
{
    return *(volatile u32 *)(base + off);
}

static void wr(u32 off, u32 v)
{
    *(volatile u32 *)(base + off) = v;
}

/* n / d for a quotient that fits 32 bits (no 64-bit division routine in this guest). */
static u32 div64(unsigned long long n, u32 d)
{
    u32 q, r;
    __asm__("divl %4" : "=a"(q), "=d"(r) : "a"((u32)n), "d"((u32)(n >> 32)), "rm"(d));
    (void)r;
    return q;
}

/* From the handler (main.c's trap()), before the EOI: a level timer's status is acknowledged, as Linux does. */
void hpet_interrupt(unsigned irq)
{
    if (!base)
        return;
    irq_tsc[irq & 15] = rdtsc();
    u32 sta = rd(STATUS);
    if (sta) {
        wr(STATUS, sta);
        level_acks++;
    }
}

/* Interrupts off between index and data: the RTC handler reads register C. */
static u8 cmos_read(u8 reg)
{
    cli();
    outb(CMOS_INDEX, reg);
    u8 v = inb(CMOS_DATA);
    sti();
    return v;
}

static void cmos_write(u8 reg, u8 v)
{
    cli();
    outb(CMOS_INDEX, reg);
    outb(CMOS_DATA, v);
    sti();
}

static unsigned long long ms(unsigned n)
{
    return (unsigned long long)tsc_khz * n;
}

static void spin_ms(unsigned n)
{
    unsigned long long t = rdtsc();
    while (rdtsc() - t < ms(n))
        ;
}

/* Waits (interrupts on) until irq_count[irq] reaches n, at most `limit` ms. */
static bool wait_irqs(unsigned irq, unsigned n, unsigned limit)
{
    unsigned long long t = rdtsc();
    while (irq_count[irq] < n)
        if (rdtsc() - t > ms(limit))
            return false;
    return true;
}

static void capabilities(void)
{
    u32 cap = rd(CAP), period = rd(PERIOD), routes = rd(TN_ROUTE_CAP(2));
    if ((cap >> 16) != 0x8086 || ((cap >> 8) & 0x1F) != 2 || !(cap & CAP_64BIT) || !(cap & CAP_LEG_RT) ||
        period != 100000000 || !(routes & (1u << GSI_PIT)) || !(routes & (1u << GSI_RTC)))
        finish(111, "HPET: the capabilities are not an Intel HPET with 3 timers, 64 bits, legacy replacement, 10 MHz");
    print_num("selftest: hpet: Intel, 3 timers, 64-bit counter, legacy replacement capable, period ", period,
              " fs, routes to GSI 2 and 8\n");
}

/* Halted, the counter keeps what is written (both halves); enabled, it counts 10 MHz by the TSC (500 ms). */
static void counter_rate(void)
{
    wr(CONF, 0);
    wr(COUNTER, 0xFFFFFFF0);
    wr(COUNTER + 4, 1);
    spin_ms(1);
    if (rd(COUNTER) != 0xFFFFFFF0 || rd(COUNTER + 4) != 1)
        finish(112, "HPET: a halted counter does not keep what is written");
    wr(COUNTER, 0);
    wr(COUNTER + 4, 0);
    wr(CONF, CONF_ENABLE);
    unsigned long long a = rdtsc();
    u32 c0 = rd(COUNTER);
    unsigned long long t0 = (a + rdtsc()) / 2;
    spin_ms(500);
    a = rdtsc();
    u32 c1 = rd(COUNTER);
    unsigned long long t1 = (a + rdtsc()) / 2;
    u32 khz = div64((unsigned long long)(c1 - c0) * tsc_khz, (u32)(t1 - t0));
    if (khz < HZ_10MHZ_KHZ - 10 || khz > HZ_10MHZ_KHZ + 10) {
        print_num("selftest: hpet: the counter ran at ", khz, " kHz\n");
        finish(113, "HPET: the main counter does not run at 10 MHz by the TSC (0.1%)");
    }
    print_num("selftest: hpet: the main counter runs at ", khz, " kHz by the TSC (halted, it keeps what is written)\n");
}

/* Timer 2, 64-bit one-shot, edge, routed to GSI 8: one interrupt, 20 ms after it was set. */
static void one_shot(void)
{
    ioapic_route(GSI_RTC, IRQ_RTC, false, false);
    irq_count[IRQ_RTC] = 0;
    wr(TN_CONF(2), TN_INT_ENB | TN_ROUTE(GSI_RTC));
    unsigned long long set = rdtsc();
    wr(TN_CMP(2), rd(COUNTER) + 200000);
    wr(TN_CMP(2) + 4, 0);
    if (!wait_irqs(IRQ_RTC, 1, 100))
        finish(114, "HPET: a one-shot comparator's interrupt did not come through GSI 8");
    unsigned long long took = irq_tsc[IRQ_RTC] - set;
    spin_ms(50);
    if (irq_count[IRQ_RTC] != 1)
        finish(115, "HPET: a one-shot comparator interrupted more than once");
    if (took < ms(20) - ms(20) / 100 || took > ms(20) + ms(20) / 10) {
        print_num("selftest: hpet: the one-shot took ", (unsigned long)took, " TSC ticks\n");
        finish(116, "HPET: a one-shot comparator's interrupt is not on time (20 ms)");
    }
    wr(TN_CONF(2), 0);
    print("selftest: hpet: a one-shot comparator (timer 2, 64-bit, edge) interrupts once through GSI 8, 20 ms after it was set\n");
}

/* Timer 2 level: its status bit is set at the match with the interrupt disabled, and clears when written 1; with
 * the interrupt enabled, the line holds until the handler clears it, then one interrupt per match. */
static void level_status(void)
{
    wr(TN_CONF(2), TN_LEVEL | TN_ROUTE(GSI_RTC));
    wr(TN_CMP(2), rd(COUNTER) + 10000);
    spin_ms(3);
    if (rd(STATUS) != 1u << 2)
        finish(117, "HPET: a level timer's status bit is not set at its match");
    wr(STATUS, 1u << 1);
    if (rd(STATUS) != 1u << 2)
        finish(118, "HPET: writing 0 to a status bit cleared it");
    wr(STATUS, 1u << 2);
    if (rd(STATUS))
        finish(118, "HPET: writing 1 to a status bit did not clear it");
    ioapic_route(GSI_RTC, IRQ_RTC, true, false);
    irq_count[IRQ_RTC] = level_acks = 0;
    wr(TN_CONF(2), TN_LEVEL | TN_INT_ENB | TN_ROUTE(GSI_RTC));
    wr(TN_CMP(2), rd(COUNTER) + 10000);
    if (!wait_irqs(IRQ_RTC, 1, 100))
        finish(119, "HPET: a level timer's interrupt did not come through GSI 8");
    spin_ms(10);
    if (irq_count[IRQ_RTC] != 1 || level_acks != 1 || rd(STATUS))
        finish(119, "HPET: a level timer interrupted again after its status was cleared");
    wr(TN_CONF(2), 0);
    ioapic_route(GSI_RTC, IRQ_RTC, false, true);
    print("selftest: hpet: a level timer's status bit: set at the match with its interrupt off, cleared by writing 1; "
          "on, one interrupt through GSI 8 until then\n");
}

/* Legacy replacement: the PIT at 100 Hz, timer 0 at 50 Hz as Linux's hpet_set_periodic programs it, on GSI 2. */
static void legacy_replacement(void)
{
    ioapic_route(GSI_PIT, IRQ_PIT, false, false);
    ioapic_route(GSI_RTC, IRQ_RTC, false, false);
    outb(PIT_MODE, 0x34);
    outb(PIT_CH0, PIT_100HZ & 0xFF);
    outb(PIT_CH0, PIT_100HZ >> 8);
    wr(CONF, CONF_ENABLE | CONF_LEG_RT);
    cmos_write(RTC_A, (cmos_read(RTC_A) & 0xF0) | RTC_256HZ);   /* the RTC at 256 Hz: cut off as well */
    cmos_read(RTC_C);
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_PIE);
    irq_count[IRQ_RTC] = 0;
    wr(TN_CONF(1), TN_INT_ENB);                         /* legacy: IRQ 8 whatever the route */
    wr(TN_CMP(1), rd(COUNTER) + 50000);
    wr(TN_CMP(1) + 4, 0);
    u32 now = rd(COUNTER);
    wr(TN_CONF(0), TN_INT_ENB | TN_PERIODIC | TN_VAL_SET | TN_32BIT);
    wr(TN_CMP(0), now + PERIOD_50HZ);
    wr(TN_CMP(0), PERIOD_50HZ);
    pit_ticks_reset();
    unsigned long long t = rdtsc();
    while (pit_ticks() <= TICKS)
        if (rdtsc() - t > ms(1000))
            finish(120, "HPET: timer 0's periodic interrupts did not come through GSI 2 in legacy replacement");
    wr(TN_CONF(0), 0);
    unsigned long long want = ms(20 * TICKS), got = pit_ticks_span();
    if (got < want - want / 100 || got > want + want / 100) {
        print_num("selftest: hpet: 16 periods took ", (unsigned long)got, " TSC ticks");
        print_num(", expected ", (unsigned long)want, "\n");
        finish(121, "HPET: timer 0's period is not 20 ms (or the PIT still drives GSI 2)");
    }
    if (irq_count[IRQ_RTC] != 1)
        finish(122, "HPET: timer 1 did not interrupt once through GSI 8 in legacy replacement (or the RTC did too)");
    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_PIE);
    cmos_read(RTC_C);
    wr(CONF, CONF_ENABLE);                              /* the PIT's IRQ 0 again */
    pit_ticks_reset();
    t = rdtsc();
    while (pit_ticks() <= TICKS)
        if (rdtsc() - t > ms(1000))
            finish(123, "HPET: the PIT's interrupts did not come back on GSI 2 after legacy replacement");
    pit_period_check(124, "GSI 2 after the HPET's legacy replacement");
    ioapic_route(GSI_PIT, IRQ_PIT, false, true);
    ioapic_route(GSI_RTC, IRQ_RTC, false, true);
    outb(PIT_MODE, 0x30);
    outb(PIT_CH0, 0);
    outb(PIT_CH0, 0);
    print("selftest: hpet: legacy replacement: timer 0 at 50 Hz on GSI 2 (on time, the PIT's 100 Hz cut off), "
          "timer 1 on GSI 8 (the RTC's cut off); then the PIT again\n");
}

void hpet_checks(void)
{
    const u8 *t = acpi_table("HPET");
    if (!t)
        finish(110, "HPET: no ACPI HPET table");
    base = *(const u32 *)(t + HPET_BASE_ADDRESS);
    capabilities();
    counter_rate();
    ioapic_take_over();
    ioapic_route(GSI_UART, IRQ_UART, false, false);     /* the console's interrupts */
    one_shot();
    level_status();
    legacy_replacement();
}
