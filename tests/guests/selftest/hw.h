/* SPDX-License-Identifier: BSD-2-Clause */
/* Port I/O, hypercalls and the console of the self-test guest (32-bit, freestanding). */
#ifndef SELFTEST_HW_H
#define SELFTEST_HW_H

#include "kernel/types.h"
#include "vcpu/hypervisor_abi.h"

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port)
{
    u8 v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
/* Waits for an interrupt with interrupts on: "sti; hlt" cannot miss one that comes between the two. */
static inline void wait_for_interrupt(void) { __asm__ volatile("sti; hlt; cli" ::: "memory"); }
static inline unsigned long long rdtsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (unsigned long long)hi << 32 | lo;
}

static inline long hypercall(unsigned long nr, unsigned long a0, unsigned long a1)
{
    long r;
    __asm__ volatile("vmcall" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1) : "memory");
    return r;
}

/* The console: the emulated 16550A, interrupt-driven once uart_start() ran, polled before. */
void uart_start(void);
void print(const char *s);
void print_num(const char *before, unsigned long v, const char *after);
void print_flush(void);
void uart_interrupt(void);
/* Receive interrupts on or off; received bytes, or -1 when none is waiting. */
void uart_receive(bool on);
int uart_getc(void);
/* FIFOs off or on (waits for the transmitter); a byte by polling LSR as a boot loader does, or -1 after
 * `tries` reads of LSR found none. */
void uart_fifos(bool on);
int uart_poll_getc(unsigned long tries);

/* The PIT checks (pit.c): the TSC calibrated through channel 2, then channel 0's periodic IRQ 0. */
void pit_checks(void);
void pit_interrupt(void);
/* IRQ 0s counted by pit_interrupt since the reset; 17 of them, 16 periods at 100 Hz checked against the TSC
 * (within 2%, else the run ends with code). */
void pit_ticks_reset(void);
unsigned pit_ticks(void);
void pit_period_check(u8 code, const char *path);

/* The ACPI table with this signature (firmware.c), from the RSDT the BIOS area's RSDP names; NULL if none. */
const u8 *acpi_table(const char *sig);

/* The HPET checks (hpet.c, "timers" on the command line): capabilities, the counter's rate, one-shot, level status,
 * periodic at 50 Hz through legacy replacement on GSI 2; hpet_interrupt(irq) acknowledges its level status. */
void hpet_checks(void);
void hpet_interrupt(unsigned irq);
/* The ACPI PM timer (pmtimer.c): the TSC calibrated against it, passed through. */
void pmtimer_check(void);
/* The I/O APIC (ioapic.c): pin gsi to vector IRQ_BASE + irq, fixed, to this CPU, active high; masked or not. The
 * 8259 pair masked and interrupts ended at the local APIC from then on. */
void ioapic_route(unsigned gsi, unsigned irq, bool level, bool masked);
void ioapic_take_over(void);
unsigned long long pit_ticks_span(void);

/* Starts the application processors (smp.c). */
void smp_start(void);
/* The local APIC, x2APIC or xAPIC (smp.c): this CPU's ID, and an IPI to one CPU (ICR low dword as written). */
u32 apic_id(void);
void send_ipi_to(u32 apic_id, u32 icr);
/* What a CPU other than the first runs once it is online (smp.c calls it): the NMI storm's sender. */
void events_ap(void);

/* The I/O APIC checks (ioapic.c): the UART, RTC and PIT through the guest's I/O APIC, the 8259 pair masked.
 * Once they start, trap() counts every ISA IRQ and ends it at the local APIC. */
void ioapic_checks(void);
void ioapic_rtc_interrupt(void);
void apic_eoi(void);
extern volatile bool apic_routing;
extern volatile unsigned irq_count[16];
extern volatile unsigned rtc_no_event;

/* The local APIC checks (lapic.c): its timer in each mode, IPIs of each kind between CPUs, x2APIC on every CPU.
 * With lapic_mode set, application processors run lapic_ap() once online instead of events_ap(). */
extern volatile bool lapic_mode;
extern unsigned long tsc_khz;
void lapic_checks(void);
void lapic_ap(void);
void lapic_vector(u32 vector);
void idt_load(void);

/* Points an IDT gate at a handler (main.c). */
void idt_set(unsigned vector, u32 handler);

/* The events checks (events.c): an exception finds room while many interrupts wait; NMIs coalesce. */
void events_exception_with_interrupts_waiting(void);
void events_nmi_storm(void);
void events_vector(u32 vector);
void events_nmi(void);

/* Stops with a verdict through the debug-exit port: 0 passed, anything else failed. */
__attribute__((noreturn)) void finish(u8 code, const char *why);

#endif
