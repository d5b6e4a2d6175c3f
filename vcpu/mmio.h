/* SPDX-License-Identifier: BSD-2-Clause */
/* MMIO trap-and-emulate: the faulting instruction fetched, decoded and run against the VM's MMIO bus. */
#ifndef VCPU_MMIO_H
#define VCPU_MMIO_H

#include "vcpu/vcpu.h"

/*
 * An EPT violation at gpa, in a page a device registered (vm_mmio_page), by the instruction at the guest's RIP:
 * fetches and decodes it, runs its access on the bus, writes its register and moves RIP past it (VMEXIT_RESUME).
 * A #PF while fetching is the guest's (injected, VMEXIT_RESUME); an instruction the decoder does not know, or an
 * access that straddles a device's edge, stops the VM with a report naming the bytes (VMEXIT_STOP).
 */
enum vmexit_action mmio_emulate(struct vcpu *v, u64 gpa);

/* exit_ept_violation calls it for loads and stores in a device page, never during event delivery
 * (IDT-vectoring information valid), which it does not re-inject. */

#endif
