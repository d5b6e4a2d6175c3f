/* SPDX-License-Identifier: BSD-2-Clause */
/* The machine's I/O APICs (the MADT's): the hypervisor's alone, every pin masked at boot, programmed only for the
 * passed-through pins a guest unmasks (vm/ioapic.c). */
#ifndef KERNEL_IOAPIC_H
#define KERNEL_IOAPIC_H

#include "kernel/acpi_tables.h"
#include "kernel/types.h"

/* Reads each I/O APIC's pin count (version register) and masks all its pins. acpi may be NULL (none). */
void hw_ioapic_init(const struct acpi_info *acpi);

/* I/O APIC n (MADT order): its pin count, 0 if it is not there or did not answer. */
unsigned hw_ioapic_pins(unsigned n);

/* Writes pin's redirection entry (devices/ioapic.h IOAPIC_RTE_* bits): masked first, then the high half, then the
 * low one, so that the pin never sends a half-written entry. */
void hw_ioapic_write_rte(unsigned n, unsigned pin, u64 rte);

#endif
