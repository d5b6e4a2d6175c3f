/* SPDX-License-Identifier: BSD-2-Clause */
/* Instructions the guest's CPUID says it lacks (VMX, MONITOR/MWAIT): invalid opcodes (#UD). */
#include "kernel/x86_regs.h"
#include "vcpu/exits.h"

/* The guest sees no VMX (CPUID.1:ECX[5] = 0) and no MONITOR/MWAIT (CPUID.1:ECX[3] = 0). */
enum vmexit_action exit_invalid_opcode(struct vcpu *v)
{
    vcpu_inject_exception(v, VECTOR_UD, false, 0);
    return VMEXIT_RESUME;
}
