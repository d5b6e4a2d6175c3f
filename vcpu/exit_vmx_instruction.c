/* SPDX-License-Identifier: BSD-2-Clause */
/* VMX instructions in the guest: it sees no VMX, so they are invalid opcodes (#UD). */
#include "kernel/x86_regs.h"
#include "vcpu/exits.h"

/* The guest sees no VMX (CPUID.1:ECX[5] = 0). */
enum vmexit_action exit_vmx_instruction(struct vcpu *v)
{
    vcpu_inject_exception(v, VECTOR_UD, false, 0);
    return VMEXIT_RESUME;
}
