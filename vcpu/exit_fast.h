/* SPDX-License-Identifier: BSD-2-Clause */
/* The exits the exit stub (vcpu/vmx/vmx_entry.S) completes in C without the run loop. */
#ifndef VCPU_EXIT_FAST_H
#define VCPU_EXIT_FAST_H

#include "kernel/percpu.h"
#include "kernel/x86.h"
#include "vcpu/vmx/preemption_timer.h"
#include "vcpu/vcpu.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_asm.h"

/*
 * An exit whose reason is in FAST_C_REASONS, while the run loop allows fast exits (vcpu/run.c), with every
 * guest register saved. Handles it as the run loop would (count, handler, RIP) and returns FAST_RESUME (the
 * stub resumes the guest) or FAST_HANDLED (the run loop prepares the next entry). Codes in vcpu/vmx/vmx_asm.h.
 */
int vcpu_fast_exit(struct vcpu *v);

/*
 * A port exit under the same conditions (vcpu/exit_io.c), with the registers a C call may clobber and RBP
 * saved. A byte IN/OUT to a port in the bus's ISA map (0-0x3FF) is handled as vcpu_fast_exit handles its
 * exits; anything else returns FAST_DECLINED untouched, for the run loop.
 */
int vcpu_fast_io(struct vcpu *v);

/*
 * Whether the run loop has work before the next entry: a request (vcpu_kick: the VM stops, an INIT, a poked
 * timer, a new interrupt from the source; or an event a handler raised: an exception, a hypercall's interrupt)
 * or an NMI that came while the handler ran.
 */
static inline bool fast_exit_run_loop_needed(struct vcpu *v)
{
    /* v runs on this CPU (vCPUs are pinned): its NMI flag is this CPU's. One test for both. */
    return (__atomic_load_n(&v->requests, __ATOMIC_ACQUIRE) | this_cpu_nmi_pending()) != 0;
}

/* The end of a fast exit whose instruction was emulated (`advanced`: RIP moved past it) or not: resume the
 * guest, or hand over to the run loop. */
static inline int fast_exit_finish(struct vcpu *v, bool advanced)
{
    bool loop = fast_exit_run_loop_needed(v);
    if (!loop && v->timer_on) {
        /* The timer stood still while we ran: load it again from its deadline, or let the loop take it. */
        u64 now = rdtsc();
        loop = now >= v->timer_deadline;
        if (!loop)
            preemption_timer_load(v->timer_deadline, now);
    }
    if (!loop)
        return FAST_RESUME;     /* the next exit saves a fresh interruptibility state: rip_advanced stays false */
    v->rip_advanced = advanced; /* for the loop: an STI/MOV-SS shadow of the skipped instruction is over */
    return FAST_HANDLED;
}

#endif
