/* SPDX-License-Identifier: BSD-2-Clause */
/* The ACPI PM timer (the FADT's PM_TMR_BLK), passed through: the TSC calibrated against its 3.579545 MHz over
 * 100 ms, as Linux's pmtmr calibration does. Its reads take no VM exit, so the rate is Bochs's TSC to a count. */
#include "tests/guests/selftest/hw.h"

#define FADT_PM_TMR_BLK 76
#define PM_TIMER_HZ     3579545
#define PM_MASK         0xFFFFFF        /* 24 bits at least (TMR_VAL_EXT may make it 32) */

static inline u32 inl(u16 port)
{
    u32 v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

void pmtimer_check(void)
{
    const u8 *fadt = acpi_table("FACP");
    u16 port = fadt ? (u16)*(const u32 *)(fadt + FADT_PM_TMR_BLK) : 0;
    if (!port)
        finish(130, "PM timer: no FADT PM_TMR_BLK");
    u32 p0 = inl(port) & PM_MASK, p;
    unsigned long long t0 = rdtsc(), t;
    do {
        p = inl(port) & PM_MASK;
        t = rdtsc();
    } while (((p - p0) & PM_MASK) < PM_TIMER_HZ / 10);
    u32 counts = (p - p0) & PM_MASK, q, r;
    unsigned long long n = (t - t0) * PM_TIMER_HZ;      /* TSC kHz = ticks * 3579545 / (counts * 1000) */
    __asm__("divl %4" : "=a"(q), "=d"(r) : "a"((u32)n), "d"((u32)(n >> 32)), "rm"(counts * 1000));
    (void)r;
    print_num("selftest: pmtimer: the ACPI PM timer at port ", port, "");
    print_num(" calibrates the TSC at ", q, " kHz\n");
}
