/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a vCPU's external interrupts come from: the 8259A pair on the boot vCPU today, its local APIC tomorrow. */
#ifndef VCPU_IRQ_SOURCE_H
#define VCPU_IRQ_SOURCE_H

#include "kernel/types.h"

/*
 * The run loop asks `pending` before every entry (a hint, read without locks) and calls `ack`, the INTA cycle,
 * only at the moment it injects the vector ack returns. A source whose line rises while the vCPU runs guest
 * code says so with vcpu_kick(v, VCPU_REQ_INTERRUPT). A vCPU without a source has `pending` NULL.
 */
struct irq_source {
    bool (*pending)(void *ctx);
    u8 (*ack)(void *ctx);
    void *ctx;
};

#endif
