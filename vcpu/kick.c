/* SPDX-License-Identifier: BSD-2-Clause */
/* vcpu_kick: requests to a vCPU's run loop, and the IPIs that bring it out of the guest to read them. */
#include "kernel/lapic.h"
#include "kernel/percpu.h"
#include "vcpu/vcpu.h"

void vcpu_kick(struct vcpu *v, u32 requests)
{
    /* Release: the state the request is about is visible to the run loop that takes the bit. */
    __atomic_fetch_or(&v->requests, requests, __ATOMIC_RELEASE);
    if (v->cpu == this_cpu())
        return;             /* the run loop looks before this CPU next enters the guest */
    lapic_send_ipi(v->cpu->apic_id, ICR_FIXED | VECTOR_WAKE_IPI);
    if (requests & VCPU_REQ_STOP) {
        /*
         * A vCPU in wait-for-SIPI ignores the wake IPI: a SIPI ends that state (only a physical INIT from the
         * machine's I/O APIC puts one there now). The guest's TPR is its own local APIC's (vm/apic.c) and holds
         * nothing back from the physical one, but the NMI stays as a second way out (exit_exception_nmi sees the
         * VM stopping). Each is ignored in the states it does not apply to; a vCPU halted with interrupts off
         * notices on its halt watch (vcpu/run.c).
         */
        lapic_send_ipi(v->cpu->apic_id, ICR_STARTUP);
        lapic_send_ipi(v->cpu->apic_id, ICR_NMI);
    }
}
