/* SPDX-License-Identifier: BSD-2-Clause */
/* TSC calibration: CPUID leaf 0x15 (crystal ratio), leaf 0x16 (base MHz), else PIT channel 2 for 10 ms. */
#include "kernel/cpuid.h"
#include "kernel/time.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

#define PIT_HZ              1193182
#define PIT_CHANNEL2        0x42
#define PIT_COMMAND         0x43
#define   PIT_CH2_ONESHOT   0xB0    /* channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count) */
#define PORT_B              0x61
#define   PORT_B_GATE2      BIT(0)
#define   PORT_B_SPEAKER    BIT(1)
#define   PORT_B_OUT2       BIT(5)
#define CALIBRATE_MS        10
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

static u64 from_pit(void)
{
    u16 count = PIT_HZ * CALIBRATE_MS / 1000;

    outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2);
    outb(PIT_COMMAND, PIT_CH2_ONESHOT);
    outb(PIT_CHANNEL2, count & 0xFF);
    outb(PIT_CHANNEL2, count >> 8);
    u64 start = rdtsc();
    /* Bounded: a machine without a PIT must not hang here (10^11 cycles is far beyond 10 ms). */
    while (!(inb(PORT_B) & PORT_B_OUT2))
        if (rdtsc() - start > 100000000000ULL)
            return 0;
    return (rdtsc() - start) * 1000 / CALIBRATE_MS;
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
    pr_info("time: TSC %llu.%03llu MHz (from %s)", (unsigned long long)hz / 1000000,
            (unsigned long long)hz / 1000 % 1000, how);
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
