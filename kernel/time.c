/* SPDX-License-Identifier: BSD-2-Clause */
/* TSC calibration: CPUID leaf 0x15 (crystal ratio), leaf 0x16 (base MHz), else PIT channel 2 for 50 ms. */
#include "kernel/cpuid.h"
#include "kernel/time.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

#define PIT_HZ_NUM          3579545ULL      /* the PIT's input clock: 3579545 / 3 Hz = 1.193182 MHz */
#define PIT_HZ_DEN          3ULL
#define PIT_CHANNEL2        0x42
#define PIT_COMMAND         0x43
#define   PIT_CH2_ONESHOT   0xB0    /* channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count) */
#define   PIT_CH2_LATCH     0x80    /* channel 2, counter latch command */
#define PORT_B              0x61
#define   PORT_B_GATE2      BIT(0)
#define   PORT_B_SPEAKER    BIT(1)
#define CALIBRATE_CLOCKS    59659   /* 50 ms of PIT input clocks: below the 16-bit counter's 65536 */
#define CALIBRATE_LIMIT     100000000000ULL /* TSC ticks: a machine without a PIT must not hang here */
#define FALLBACK_HZ         1000000000ULL   /* used only if no method works; said so in the log */

static u64 hz;

static u64 from_cpuid(const char **how)
{
    u32 max = cpuid(0, 0).eax;
    if (max >= 0x15) {
        struct cpuid r = cpuid(CPUID_LEAF_TSC, 0);    /* TSC = crystal (ECX Hz) * EBX / EAX */
        if (r.eax && r.ebx && r.ecx) {
            *how = "CPUID 0x15";
            return (u64)r.ecx * r.ebx / r.eax;
        }
    }
    if (max >= 0x16) {
        u32 mhz = cpuid(CPUID_LEAF_FREQUENCY, 0).eax & 0xFFFF;
        if (mhz) {
            *how = "CPUID 0x16";
            return (u64)mhz * 1000000;
        }
    }
    return 0;
}

/* Latches channel 2's count; *tsc is when, taken midway between TSC reads on either side of the latch command. */
static u16 pit_count2(u64 *tsc)
{
    u64 before = rdtsc();
    outb(PIT_COMMAND, PIT_CH2_LATCH);
    u64 after = rdtsc();
    u8 lo = inb(PIT_CHANNEL2);
    *tsc = before + (after - before) / 2;
    return (u16)(lo | inb(PIT_CHANNEL2) << 8);
}

/*
 * Channel 2 counts down from 65536 in mode 0 (gate on, speaker off). Its count is latched once at the start and
 * again until CALIBRATE_CLOCKS input clocks have passed; TSC Hz = TSC ticks * 1.193182 MHz / clocks, the clocks
 * counted exactly (a latched count, not OUT2's rise, which comes a load clock late and a poll late, and not a
 * count rounded from 10 ms: the old way read Bochs's 4 MHz TSC as 4.001 MHz, and every guest clock ran 0.025%
 * slow by it). Each end is known to one input clock and half a latch command.
 */
static u64 from_pit(void)
{
    u64 t0, t;
    outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
    outb(PIT_COMMAND, PIT_CH2_ONESHOT);
    outb(PIT_CHANNEL2, 0);
    outb(PIT_CHANNEL2, 0);
    u16 c0 = pit_count2(&t0), clocks;
    while ((clocks = (u16)(c0 - pit_count2(&t))) < CALIBRATE_CLOCKS)
        if (t - t0 > CALIBRATE_LIMIT)
            return 0;
    return (t - t0) * PIT_HZ_NUM / (PIT_HZ_DEN * clocks);
}

void time_init(void)
{
    const char *how = "PIT";
    hz = from_cpuid(&how);
    if (!hz)
        hz = from_pit();
    if (!hz) {
        hz = FALLBACK_HZ;
        pr_warn("time: neither CPUID nor the PIT gave the TSC frequency; assuming %llu MHz",
                (unsigned long long)hz / 1000000);
        return;
    }
    unsigned long long khz = (hz + 500) / 1000;        /* to the nearest kHz: 3999969 Hz reads 4.000 MHz */
    pr_info("time: TSC %llu.%03llu MHz (from %s)", khz / 1000, khz % 1000, how);
}

u64 tsc_hz(void)
{
    return hz;
}

u64 tsc_deadline_us(u64 us)
{
    return rdtsc() + hz / 1000000 * us + hz % 1000000 * us / 1000000;
}

void delay_us(u64 us)
{
    u64 end = tsc_deadline_us(us);
    while (rdtsc() < end)
        __asm__ volatile("pause");
}
