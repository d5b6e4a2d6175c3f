/* SPDX-License-Identifier: BSD-2-Clause */
/* The exits the exit stub hands to C without the run loop: I/O, MSR access, hypercalls and XSETBV. */
#include "vcpu/exit_fast.h"
#include "kernel/percpu.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"
#include "vcpu/preemption_timer.h"
#include "vcpu/vm.h"
#include "vcpu/vmcs.h"
#include "vcpu/vmx_asm.h"

/*
 * The handlers may run here because they read and write only the guest registers a C call may clobber (RAX,
 * RCX, RDX, RSI, RDI, R8-R11), which are all the stub restores on resume (vcpu/vmx_entry.S). Adding a
 * handler means checking that, and adding its reason to FAST_C_REASONS.
 */
static exit_handler *const fast_handlers[EXIT_REASON_COUNT] = {
    [EXIT_REASON_VMCALL] = exit_vmcall,
    [EXIT_REASON_IO_INSTRUCTION] = exit_io,
    [EXIT_REASON_RDMSR] = exit_rdmsr,
    [EXIT_REASON_WRMSR] = exit_wrmsr,
    [EXIT_REASON_XSETBV] = exit_xsetbv,
};
_Static_assert(FAST_C_REASONS == (BIT(EXIT_REASON_VMCALL) | BIT(EXIT_REASON_IO_INSTRUCTION) | BIT(EXIT_REASON_RDMSR) |
                                  BIT(EXIT_REASON_WRMSR) | BIT(EXIT_REASON_XSETBV)),
               "FAST_C_REASONS lists the reasons of fast_handlers");

/*
 * Whether the run loop has work before the next entry: whatever other code flagged with vcpu_attention (the VM
 * stops, an INIT, a moved device deadline or INT from the PIC on vCPU 0), an event to deliver (an exception a
 * handler raised, a hypercall's interrupt) or an NMI that came while the handler ran.
 */
static bool run_loop_needed(struct vcpu *v)
{
    return __atomic_load_n(&v->attention, __ATOMIC_ACQUIRE) || !events_empty(&v->events) || v->cpu->nmi_pending;
}

int vcpu_fast_exit(struct vcpu *v)
{
    u32 reason = v->exit_reason;    /* the stub sends only basic reasons in FAST_C_REASONS: no flag bits */
    v->exits[reason]++;
    bool advanced = fast_handlers[reason](v) == VMEXIT_ADVANCE;
    if (advanced)
        vmcs_skip_guest_instruction();
    bool loop = run_loop_needed(v);
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
