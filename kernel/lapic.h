/* SPDX-License-Identifier: BSD-2-Clause */
/* The local APIC, in x2APIC mode (MSRs) when the CPU has it, else xAPIC (MMIO): IDs, IPIs, EOI. */
#ifndef KERNEL_LAPIC_H
#define KERNEL_LAPIC_H

#include "kernel/apic_regs.h"         /* the ICR fields lapic_send_ipi takes */
#include "kernel/types.h"

#define VECTOR_WAKE_IPI   0xF0    /* wakes a CPU from its idle HLT; the handler only sends EOI */
#define VECTOR_SPURIOUS   0xFF

/* Chooses the mode on the boot CPU (x2APIC if CPUID.1:ECX[21]) and enables this CPU's APIC. */
void lapic_init(void);
bool lapic_x2apic(void);
u32 lapic_id(void);
/* Sends an IPI; in xAPIC mode waits for the delivery status to clear. Returns false if it never did. */
bool lapic_send_ipi(u32 apic_id, u32 icr);
void lapic_eoi(void);
/* Whether the TMR says vector is level-triggered: an interrupt in service then waits for its EOI at the source. */
bool lapic_level_triggered(u8 vector);

#endif
