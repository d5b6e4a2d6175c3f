/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's I/O APICs (devices/ioapic.h), one per MADT entry, wired to the board's lines, the local APICs and,
 * for the pins no model drives, the machine's own pins. */
#ifndef VM_IOAPIC_H
#define VM_IOAPIC_H

#include "devices/ioapic.h"
#include "kernel/acpi_tables.h"

struct vm;
struct board;

#define BOARD_MAX_IOAPICS 8
#define ISA_IRQS 16

/*
 * Host vectors of passed-through pins: GSI n arrives on PASSTHROUGH_VECTOR_FIRST + n, for the first
 * PASSTHROUGH_PINS GSIs (0xD0-0xEF: below the hypervisor's wake vector 0xF0 and spurious 0xFF). A pin past them is
 * never passed through (its interrupts do not reach the guest; one warning).
 */
#define PASSTHROUGH_VECTOR_FIRST 0xD0
#define PASSTHROUGH_PINS         32

/* One guest I/O APIC and what the board keeps beside it. */
struct board_ioapic {
    struct ioapic io;
    struct vm *vm;
    u32 address, gsi_base;
    u8 index;                           /* the machine's I/O APIC at the same address (MADT order) */
    u32 model[IOAPIC_MAX_PINS / 32 + 1];    /* pins a device model drives: never passed through */
    u32 held[IOAPIC_MAX_PINS / 32 + 1];     /* level pins masked physically until the guest's EOI (remote IRR) */
    u64 phys[IOAPIC_MAX_PINS];          /* the physical entry as last programmed (under the board's lock) */
};

/* The ISA lines' routing from the MADT: GSI and electrical polarity of IRQ 0-15 (interrupt source overrides). */
struct isa_routing {
    u32 gsi[ISA_IRQS];
    u16 active_low;                     /* bit n: IRQ n is asserted low (override polarity 11) */
};

/* Creates one I/O APIC per MADT entry at its address, ID and GSI base, with the machine's pin counts, on the
 * MMIO bus; reads the overrides. Before any vCPU runs. */
bool board_ioapic_init(struct vm *vm);

/* An ISA line of the board (IRQ 0-15) changed: to the I/O APIC pin its GSI is. Lock order: device -> I/O APIC. */
void board_ioapic_isa_irq(struct board *b, unsigned irq, bool asserted);

/* A pin by its GSI (if a guest I/O APIC has it), asserted or not, its electrical level per polarity; the caller
 * (vm/board_lines.c) combines the pin's drivers. Lock order as above. */
void board_ioapic_gsi(struct board *b, u32 gsi, bool asserted, bool active_low);

/* A local APIC's EOI of a level-triggered vector: every guest I/O APIC's remote IRR; passed-through level pins held
 * for it are unmasked physically (the device interrupts again if it still asserts). */
void board_ioapic_eoi(struct vm *vm, u8 vector);

/* The external-interrupt exit: true if vector is a passed-through pin's host vector (then the physical APIC has had
 * its EOI and the guest's pin was raised); false for any other vector. */
bool board_ioapic_interrupt(struct vm *vm, u8 vector);

#endif
