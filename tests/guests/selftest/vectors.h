/* SPDX-License-Identifier: BSD-2-Clause */
/* The self-test guest's interrupt vectors, shared by its C code and its IDT stubs. */
#ifndef SELFTEST_VECTORS_H
#define SELFTEST_VECTORS_H

#define VECTOR_NMI          2
#define VECTOR_GP           13
#define IRQ_BASE            0x20    /* the 8259A pair: IRQ 0-15 at 0x20-0x2F */
#define EVENT_VECTOR_FIRST  0x30    /* vectors the events check raises by hypercall */
#define EVENT_VECTORS       32      /* twice as many as the hypervisor's old event queue held */
#define APIC_VECTOR_FIRST   (EVENT_VECTOR_FIRST + EVENT_VECTORS)    /* 0x50: the local APIC checks (lapic.c) */
#define APIC_VECTORS        16
#define STUBS               (APIC_VECTOR_FIRST + APIC_VECTORS)

#endif
