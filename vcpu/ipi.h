/* SPDX-License-Identifier: BSD-2-Clause */
/* Interprocessor interrupts the guest sends through its x2APIC ICR. */
#ifndef VCPU_IPI_H
#define VCPU_IPI_H

#include "vcpu/vcpu.h"

/* Handles a guest WRMSR of the x2APIC ICR: INIT in software, the rest on the hardware. Returns false when
 * the write must fault (#GP): x2APIC off, or reserved bits set. */
bool ipi_icr_write(struct vcpu *v, u64 icr);

#endif
