/* SPDX-License-Identifier: BSD-2-Clause */
/* The exits the exit stub hands to C without the run loop: MSR access, hypercalls and XSETBV. */
#include "vcpu/exit_fast.h"
#include "vcpu/exits.h"

/*
 * The handlers may run here because they read and write only the guest registers a C call may clobber (RAX,
 * RCX, RDX, RSI, RDI, R8-R11), which are all the stub restores on resume (vcpu/vmx/vmx_entry.S). Adding a
 * handler means checking that, and adding its reason to FAST_C_REASONS. Port exits have their own path
 * (vcpu_fast_io).
 */
static exit_handler *const fast_handlers[EXIT_REASON_COUNT] = {
    [EXIT_REASON_VMCALL] = exit_vmcall,
    [EXIT_REASON_RDMSR] = exit_rdmsr,
    [EXIT_REASON_WRMSR] = exit_wrmsr,
    [EXIT_REASON_XSETBV] = exit_xsetbv,
};
_Static_assert(FAST_C_REASONS == (BIT(EXIT_REASON_VMCALL) | BIT(EXIT_REASON_RDMSR) | BIT(EXIT_REASON_WRMSR) |
                                  BIT(EXIT_REASON_XSETBV)),
               "FAST_C_REASONS lists the reasons of fast_handlers");

int vcpu_fast_exit(struct vcpu *v)
{
    u32 reason = v->exit_reason;    /* the stub sends only basic reasons in FAST_C_REASONS: no flag bits */
    v->exits[reason]++;
    bool advanced = fast_handlers[reason](v) == VMEXIT_ADVANCE;
    if (advanced)
        vmcs_skip_guest_instruction();
    return fast_exit_finish(v, advanced);
}
