/* SPDX-License-Identifier: BSD-2-Clause */
/* Each vCPU's local APIC (devices/lapic.h) wired to its vCPU: interrupt source, timer, xAPIC page, MSRs, IPIs. */
#ifndef VM_APIC_H
#define VM_APIC_H

#include "devices/ioapic.h"
#include "devices/lapic.h"
#include "devices/mmiobus.h"
#include "kernel/msr.h"
#include "vcpu/vcpu.h"
#include "vcpu/vtimer.h"

struct vm;
struct vcpu;

#define APIC_MOVED_PAGES 4      /* distinct pages one vCPU may move its xAPIC page to, beside the default one */

/* One vCPU's local APIC and what the board keeps beside it. */
struct vcpu_apic {
    struct vlapic lapic;
    struct vtimer timer;        /* on its vCPU's timer list: the APIC timer */
    struct vcpu *vcpu;
    bool lint0;                 /* the boot vCPU: the 8259's INT as last put on LINT0 */
    u32 level_passthrough[8];   /* level-triggered passed-through vectors in the physical ISR until the guest's EOI */
    /* Where the guest moved its xAPIC page (IA32_APIC_BASE), away from XAPIC_DEFAULT_BASE: */
    bool xapic_moved;           /* the default page reads as nothing for this vCPU (all ones, writes dropped) */
    struct mmiobus moved_page;  /* one region, the page at its base; empty while at the default or not in xAPIC mode */
    u64 trapped[APIC_MOVED_PAGES];  /* the pages it took out of the EPT, for good (the owner appends) */
    u32 trapped_count;
};

/* Registers the xAPIC page on the MMIO bus and intercepts the local APIC's MSRs. Before any vCPU exists. */
bool apic_init(struct vm *vm);
/* Gives v its local APIC, as firmware leaves it, as its interrupt source and its APIC timer; false when out of memory. */
bool apic_attach_vcpu(struct vm *vm, struct vcpu *v);

/* The MSRs the guest's local APIC answers: x2APIC registers, IA32_APIC_BASE, IA32_TSC_DEADLINE (inline: every
 * intercepted RDMSR and WRMSR asks). */
static inline bool apic_msr(u32 msr)
{
    return (msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST) || msr == MSR_IA32_APIC_BASE ||
           msr == MSR_IA32_TSC_DEADLINE;
}

/* RDMSR/WRMSR of such an MSR: VMEXIT_ADVANCE (rdmsr: *value), or the #GP or stop the access earned. */
enum vmexit_action apic_rdmsr(struct vcpu *v, u32 msr, u64 *value);
enum vmexit_action apic_wrmsr(struct vcpu *v, u32 msr, u64 value);

/* MOV from/to CR8 in 64-bit mode: TPR[7:4]. */
u8 apic_cr8_read(struct vcpu *v);
void apic_cr8_write(struct vcpu *v, u8 value);

/* The guest wrote its TSC: it moved by delta. */
void apic_tsc_moved(struct vcpu *v, s64 delta);

/* An I/O APIC's message (devices/ioapic.h) through the router into the local APICs it names. */
void apic_ioapic_message(struct vm *vm, const struct ioapic_msg *m);

/* The physical APIC ID of the CPU running the first vCPU an I/O APIC destination names (8 bits, physical or
 * logical), else the boot vCPU's: where a passed-through pin's interrupts are sent. */
u32 apic_physical_dest(struct vm *vm, u8 dest, bool logical);

/*
 * The xAPIC page after a move (SDM Vol. 3A 11.4.5): the bus an MMIO access of v at gpa goes to, its own moved
 * page's or the VM's; and whether gpa is a page some vCPU moved its xAPIC page to (trapped for every vCPU: for
 * the others it reads as nothing, where hardware would show the memory behind it).
 */
const struct mmiobus *apic_mmio_bus(struct vcpu *v, u64 gpa);
bool apic_moved_page(struct vm *vm, u64 gpa);

/* A passed-through interrupt, acknowledged on exit on v's CPU (in the physical ISR): into v's local APIC. */
void apic_external_interrupt(struct vcpu *v, u8 vector);

#endif
