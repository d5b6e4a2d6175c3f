/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a vCPU's interrupts come from: its local APIC (vm/apic.c), which also takes the 8259A pair's ExtINT. */
#ifndef VCPU_IRQ_SOURCE_H
#define VCPU_IRQ_SOURCE_H

#include "kernel/types.h"

/* The events beside vectors that a source hands its vCPU, each once (signals). */
enum irq_signal {
    IRQ_SIGNAL_NMI = BIT(0),
    IRQ_SIGNAL_INIT = BIT(1),    /* the source has reset itself for it; the vCPU enters the INIT state */
    IRQ_SIGNAL_SIPI = BIT(2),    /* *sipi_vector is the start page; only a vCPU waiting for SIPI takes it */
};

/*
 * The run loop asks `pending` before every entry (a hint) and calls `ack`, the INTA cycle, only at the moment it
 * injects the vector ack returns. It asks `signals` before every entry too (cheap when there is none). A source
 * whose state changes while the vCPU runs guest code says so with vcpu_kick(v, VCPU_REQ_INTERRUPT). A vCPU
 * without a source has `pending` NULL.
 */
struct irq_source {
    bool (*pending)(void *ctx);
    u8 (*ack)(void *ctx);
    u32 (*signals)(void *ctx, u8 *sipi_vector);
    void *ctx;
};

#endif
