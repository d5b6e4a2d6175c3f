/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The self-test guest's I/O APIC checks: the UART's IRQ 4, the RTC's IRQ 8 and the PIT's IRQ 0 (GSI 2, the MADT's
 * override on a PC) through the guest's I/O APIC with the 8259 pair masked, as Linux routes them; edge and level.
 */
#include "kernel/apic_regs.h"
#include "kernel/msr.h"
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/ioapic_regs.h"
#include "tests/guests/selftest/vectors.h"

#define REG_VER         0x01
#define GSI_PIT         2               /* ISA IRQ 0 (MADT interrupt source override) */
#define GSI_UART        4
#define GSI_RTC         8
#define IRQ_PIT         0
#define IRQ_UART        4
#define IRQ_RTC         8
#define CMOS_INDEX      0x70
#define CMOS_DATA       0x71
#define RTC_A           0x0A
#define RTC_B           0x0B
#define   RTC_PIE       0x40
#define RTC_C           0x0C
#define TICKS           16
#define PIT_MODE        0x43
#define PIT_CH0         0x40
#define PIT_CH0_RATE    0x34            /* counter 0, LSB then MSB, mode 2 */
#define PIT_CH0_ONESHOT 0x30            /* mode 0: with a count of 0, quiet for 55 ms at a time */
#define PIT_100HZ       11932

volatile bool apic_routing;             /* main.c's trap(): EOI to the local APIC, not the 8259 pair */
volatile unsigned irq_count[16];        /* interrupts taken per ISA IRQ (main.c's trap()) */
volatile unsigned rtc_no_event;         /* RTC interrupts that found no flag in register C: a storm */
static volatile unsigned rtc_irr_seen;  /* RTC interrupts whose entry showed remote IRR in the handler */

/* Pin gsi to vector IRQ_BASE + irq, fixed, physical destination this CPU, active high; masked or not. */
void ioapic_route(unsigned gsi, unsigned irq, bool level, bool masked)
{
    ioapic_write(REDTBL(gsi), RTE_MASKED);
    ioapic_write(REDTBL(gsi) + 1, apic_id() << 24);
    ioapic_write(REDTBL(gsi), (IRQ_BASE + irq) | (level ? RTE_LEVEL : 0) | (masked ? RTE_MASKED : 0));
}

static u64 rdmsr(u32 msr)
{
    u32 lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (u64)hi << 32 | lo;
}

void apic_eoi(void)
{
    if (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD)
        __asm__ volatile("wrmsr" :: "c"(MSR_X2APIC_EOI), "a"(0), "d"(0));
    else
        *(volatile u32 *)(XAPIC_DEFAULT_BASE + APIC_EOI) = 0;
}

/* In the RTC's handler, before its EOI: a level entry holds remote IRR until then. */
void ioapic_rtc_interrupt(void)
{
    if (ioapic_read(REDTBL(GSI_RTC)) & RTE_REMOTE_IRR)
        rtc_irr_seen++;
}

static void cmos_write(u8 reg, u8 v)
{
    cli();
    outb(CMOS_INDEX, reg);
    outb(CMOS_DATA, v);
    sti();
}

static u8 cmos_read(u8 reg)
{
    cli();
    outb(CMOS_INDEX, reg);
    u8 v = inb(CMOS_DATA);
    sti();
    return v;
}

/* TICKS RTC periodic interrupts at 256 Hz through GSI 8, in edge or level mode. */
static void rtc_check(bool level)
{
    ioapic_route(GSI_RTC, IRQ_RTC, level, false);
    cmos_write(RTC_A, (cmos_read(RTC_A) & 0xF0) | 0x08);
    irq_count[IRQ_RTC] = rtc_no_event = rtc_irr_seen = 0;
    cmos_read(RTC_C);
    cmos_write(RTC_B, cmos_read(RTC_B) | RTC_PIE);
    for (unsigned spins = 0; irq_count[IRQ_RTC] < TICKS; spins++) {
        if (spins > 1000)
            finish(101, "RTC interrupts do not come through the I/O APIC");
        wait_for_interrupt();
    }
    sti();
    cmos_write(RTC_B, cmos_read(RTC_B) & ~RTC_PIE);
    cmos_read(RTC_C);
    ioapic_write(REDTBL(GSI_RTC), ioapic_read(REDTBL(GSI_RTC)) | RTE_MASKED);
    if (rtc_no_event)
        finish(102, "an RTC interrupt through the I/O APIC came without an event (no EOI, or a storm)");
    if (level && rtc_irr_seen != irq_count[IRQ_RTC])
        finish(103, "a level RTC interrupt did not hold remote IRR until its EOI");
    if (ioapic_read(REDTBL(GSI_RTC)) & RTE_REMOTE_IRR)
        finish(104, "remote IRR stayed set after the EOI");
}

/* The console's THR-empty interrupts through GSI 4: text goes out only if they come. */
static void uart_check(bool level)
{
    print_flush();
    cli();
    ioapic_route(GSI_UART, IRQ_UART, level, false);
    irq_count[IRQ_UART] = 0;
    sti();
    print(level ? "selftest: ioapic: this line goes out on UART interrupts through GSI 4, level-triggered\n"
                : "selftest: ioapic: this line goes out on UART interrupts through GSI 4, edge-triggered\n");
    print_flush();
    if (!irq_count[IRQ_UART])
        finish(105, "no UART interrupt came through the I/O APIC");
}

void ioapic_take_over(void)
{
    print_flush();
    cli();
    outb(0x21, 0xFF);                   /* the 8259 pair masked, as Linux does once the I/O APIC routes */
    outb(0xA1, 0xFF);
    apic_routing = true;
    sti();
}

void ioapic_checks(void)
{
    u32 ver = ioapic_read(REG_VER), pins = ((ver >> 16) & 0xFF) + 1;
    if (pins < 24)
        finish(100, "the I/O APIC has fewer than 24 pins");
    ioapic_take_over();
    uart_check(false);
    uart_check(true);
    rtc_check(false);
    print_num("selftest: ioapic: ", TICKS, " RTC interrupts through GSI 8, edge-triggered\n");
    rtc_check(true);
    print_num("selftest: ioapic: ", TICKS, " RTC interrupts through GSI 8, level-triggered: remote IRR until "
                                            "each EOI, one interrupt per event\n");
    /* The PIT at 100 Hz on GSI 2, not on pin 0 (the 8259's INTR on a PC). */
    ioapic_route(0, IRQ_PIT, false, true);
    ioapic_route(GSI_PIT, IRQ_PIT, false, false);
    outb(PIT_MODE, PIT_CH0_RATE);
    outb(PIT_CH0, PIT_100HZ & 0xFF);
    outb(PIT_CH0, PIT_100HZ >> 8);
    pit_ticks_reset();
    for (unsigned spins = 0; pit_ticks() <= TICKS; spins++) {
        if (spins > 1000)
            finish(106, "PIT interrupts do not come through GSI 2");
        wait_for_interrupt();
        sti();
    }
    ioapic_write(REDTBL(GSI_PIT), RTE_MASKED);
    outb(PIT_MODE, PIT_CH0_ONESHOT);
    outb(PIT_CH0, 0);
    outb(PIT_CH0, 0);
    pit_period_check(107, "GSI 2");
    print_num("selftest: ioapic: ", TICKS, " PIT periods at 100 Hz through GSI 2 (IRQ 0's override), on time by the TSC\n");
    print_num("selftest: ioapic: ", pins, " pins; the UART, RTC and PIT interrupt through it, 8259 pair masked\n");
    passthrough_checks();
}
