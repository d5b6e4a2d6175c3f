/* SPDX-License-Identifier: BSD-2-Clause */
/* The 8254 PIT as OSes use it: the TSC calibrated through channel 2 and port 0x61 (Linux's pit_calibrate_tsc),
 * then channel 0's periodic IRQ 0 through the 8259A, its period checked against that TSC. */
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/vectors.h"

#define PIT_CH0         0x40
#define PIT_CH2         0x42
#define PIT_MODE        0x43
#define   PIT_SEL_CH0   0x00
#define   PIT_SEL_CH2   0x80
#define   PIT_LSB_MSB   0x30
#define   PIT_MODE0     0x00    /* interrupt on terminal count: OUT rises when the count runs out */
#define   PIT_MODE2     0x04    /* rate generator */
#define PORT_B          0x61
#define   PORT_B_GATE2  0x01
#define   PORT_B_SPEAKER 0x02
#define   PORT_B_OUT2   0x20
#define PIC1            0x20
#define PIT_HZ          1193182
#define CAL_MS          50
#define CAL_COUNT       (PIT_HZ * CAL_MS / 1000)    /* 59659: fits the 16-bit counter */
#define RATE_HZ         100     /* 1000 Hz would take every cycle under Bochs (README, platform notes) */
#define RATE_COUNT      ((PIT_HZ + RATE_HZ / 2) / RATE_HZ)  /* 1193 */
#define TICKS           16
#define WAIT_LIMIT      50000000UL

unsigned long tsc_khz;
static volatile unsigned ticks;
static volatile unsigned long long first_tick, last_tick;

/* n / d for a quotient that fits 32 bits: the 32-bit guest has no 64-bit division routine. */
static u32 div_u64_u32(unsigned long long n, u32 d)
{
    u32 q, r;
    __asm__("divl %4" : "=a"(q), "=d"(r) : "a"((u32)n), "d"((u32)(n >> 32)), "rm"(d));
    (void)r;
    return q;
}

void pit_interrupt(void)
{
    unsigned long long now = rdtsc();
    if (ticks == 0)
        first_tick = now;
    if (ticks == TICKS)
        last_tick = now;
    ticks++;
}

/*
 * Channel 2 in mode 0 counts CAL_MS down with its gate on; OUT2 rises at the end (Linux's pit_calibrate_tsc).
 * Every port access takes a VM exit, so each time is read on both sides of its access. Two readings of the end:
 * - as Linux's pit_calibrate_tsc: the rise of OUT2, polled at port 0x61, taken midway between the last poll that
 *   missed it and the one that saw it. Its resolution is one poll (an exit, some 310 TSC ticks under Bochs, 0.15%
 *   of 50 ms), so it is off by up to half a poll, 0.08%, with the phase of the count against the polls: under
 *   Bochs 3997-4002 kHz for a 4000 kHz TSC over a dozen counts near 59659, 3997 at 59659 itself.
 * - by the count: mode 0 counts on past the terminal count from 0xFFFF, so a count latched just after OUT2 rose
 *   says exactly how many clocks have passed (Linux's quick_pit_calibrate reads the count too). Both ends are
 *   port writes: within 0.1% of the TSC's rate, 3999-4000 kHz under Bochs.
 */
static void tsc_khz_by_channel2(unsigned long *by_count, unsigned long *by_out2, unsigned long *poll_ticks)
{
    outb(PORT_B, (u8)((inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE2));
    outb(PIT_MODE, PIT_SEL_CH2 | PIT_LSB_MSB | PIT_MODE0);
    outb(PIT_CH2, CAL_COUNT & 0xFF);
    unsigned long long before = rdtsc();
    outb(PIT_CH2, CAL_COUNT >> 8);                     /* counting starts: the count is complete */
    unsigned long long after = rdtsc(), start = (before + after) / 2, missed = start, seen;
    for (unsigned long polls = 0;; polls++) {
        if (polls > WAIT_LIMIT)
            finish(91, "PIT: channel 2's OUT never rose at port 0x61");
        before = rdtsc();
        u8 b = inb(PORT_B);
        after = rdtsc();
        seen = (before + after) / 2;
        if (b & PORT_B_OUT2)
            break;
        missed = seen;
    }
    before = rdtsc();
    outb(PIT_MODE, PIT_SEL_CH2);                        /* counter latch command */
    after = rdtsc();
    u16 past = (u16)(0x10000 - (inb(PIT_CH2) | inb(PIT_CH2) << 8));
    outb(PORT_B, (u8)(inb(PORT_B) & ~PORT_B_GATE2));
    *by_count = div_u64_u32(((before + after) / 2 - start) * PIT_HZ, (CAL_COUNT + past) * 1000u);
    *by_out2 = div_u64_u32((missed + seen) / 2 - start, CAL_MS);
    *poll_ticks = (unsigned long)(seen - missed);
}

void pit_checks(void)
{
    unsigned long khz, by_out2, poll;
    tsc_khz_by_channel2(&khz, &by_out2, &poll);
    tsc_khz = khz;
    print_num("selftest: pit: channel 2 calibrates the TSC at ", khz, " kHz by its count");
    print_num("; by OUT2 at port 0x61 polled as Linux does, ", by_out2, " kHz");
    print_num(" (one poll: ", poll, " TSC ticks)\n");

    outb(PIT_MODE, PIT_SEL_CH0 | PIT_LSB_MSB | PIT_MODE2);
    outb(PIT_CH0, RATE_COUNT & 0xFF);
    outb(PIT_CH0, RATE_COUNT >> 8);
    ticks = 0;
    outb(PIC1 + 1, (u8)(inb(PIC1 + 1) & ~1));          /* IRQ 0 open */
    unsigned long long start = rdtsc(), limit = (unsigned long long)khz * 1000;   /* 1 s (interrupts are on) */
    while (ticks <= TICKS)
        if (rdtsc() - start > limit)
            finish(92, "PIT: channel 0's periodic interrupts (IRQ 0) did not come within 1 s");
    outb(PIC1 + 1, (u8)(inb(PIC1 + 1) | 1));
    outb(PIT_MODE, PIT_SEL_CH0 | PIT_LSB_MSB | PIT_MODE0);   /* a one-shot that never ends: channel 0 quiet */
    outb(PIT_CH0, 0);
    outb(PIT_CH0, 0);
    pit_period_check(93, "the 8259A");
    print("selftest: pit: 16 periodic interrupts at 100 Hz through the 8259A (IRQ 0), on time by that TSC\n");
}

void pit_ticks_reset(void)
{
    ticks = 0;
}

unsigned long long pit_ticks_span(void)
{
    return last_tick - first_tick;
}

unsigned pit_ticks(void)
{
    return ticks;
}

void pit_period_check(u8 code, const char *path)
{
    /* 16 periods of RATE_COUNT PIT clocks, in TSC kHz: within 2% (the interrupts' latency varies a little). */
    unsigned long long want = div_u64_u32((unsigned long long)tsc_khz * TICKS * RATE_COUNT * 1000, PIT_HZ);
    unsigned long long got = last_tick - first_tick;
    if (got < want - want / 50 || got > want + want / 50) {
        print("selftest: pit: through ");
        print(path);
        print_num(", 16 periods took ", (unsigned long)got, " TSC ticks");
        print_num(", expected ", (unsigned long)want, "\n");
        finish(code, "PIT: channel 0's period is off");
    }
}
