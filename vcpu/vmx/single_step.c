/* SPDX-License-Identifier: BSD-2-Clause */
/* Delivering the single-step trap owed after an emulated instruction, through the current VMCS. */
#include "vcpu/vmx/single_step.h"
#include "vcpu/vmx/vmcs.h"

/* Cold: only guests that single-step come here. Each field is written only when it changes. */
__attribute__((cold, noinline)) void vmcs_single_step_owed(void)
{
    u64 pending = vmcs_read_natural(GUEST_PENDING_DBG_EXCEPTIONS);
    u32 shadow = vmcs_read32(GUEST_INTERRUPTIBILITY);
    struct single_step s = single_step_after_emulation(vmcs_read64(GUEST_IA32_DEBUGCTL), pending, shadow);
    if (s.pending_dbg != pending)
        vmcs_write_natural(GUEST_PENDING_DBG_EXCEPTIONS, s.pending_dbg);
    if (s.interruptibility != shadow)
        vmcs_write32(GUEST_INTERRUPTIBILITY, s.interruptibility);
}
