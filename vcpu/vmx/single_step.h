/* SPDX-License-Identifier: BSD-2-Clause */
/* The single-step trap a guest with RFLAGS.TF is owed after an instruction the hypervisor emulated. */
#ifndef VCPU_VMX_SINGLE_STEP_H
#define VCPU_VMX_SINGLE_STEP_H

#include "kernel/types.h"
#include "kernel/x86_regs.h"
#include "vcpu/vmx/vmx_defs.h"

struct single_step {
    u64 pending_dbg;        /* the guest's pending debug exceptions field */
    u32 interruptibility;   /* the guest's interruptibility state */
};

/*
 * The guest state after the hypervisor emulated an instruction (RIP moved past it) that began with RFLAGS.TF
 * set. The exit came before the instruction completed, so hardware has no trap pending for it (SDM Vol. 3C
 * 28.3.4); BS in the pending debug exceptions makes VM entry deliver the #DB the instruction owes, before
 * the next guest instruction (27.7.3). Its STI or MOV-SS shadow is over: left set, it would hold that #DB
 * back one more instruction, and VM entry checks BS against it (27.3.1.5). With IA32_DEBUGCTL.BTF, TF traps
 * only on branches, and the instructions the hypervisor emulates are not branches: nothing is owed.
 */
static inline struct single_step single_step_after_emulation(u64 debugctl, u64 pending_dbg, u32 interruptibility)
{
    if (debugctl & DEBUGCTL_BTF)
        return (struct single_step){ pending_dbg, interruptibility };
    return (struct single_step){ pending_dbg | PENDING_DBG_BS,
                                 interruptibility & ~(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS) };
}

/* Applies single_step_after_emulation to the current VMCS (vcpu/vmx/single_step.c): the rare path of
 * vmcs_skip_guest_instruction, out of line. */
void vmcs_single_step_owed(void);

#endif
