/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading the VMX-preemption timer from an absolute TSC deadline. */
#ifndef VCPU_PREEMPTION_TIMER_H
#define VCPU_PREEMPTION_TIMER_H

#include "kernel/types.h"
#include "vcpu/vmcs.h"
#include "vcpu/vmx_cpu.h"

/*
 * Loads the timer to expire at TSC value `deadline` (at once if it is past `now`). The timer counts only while
 * the guest runs (SDM Vol. 3C 26.5.1), so every entry that follows time in the hypervisor loads it again.
 */
static inline void preemption_timer_load(u64 deadline, u64 now)
{
    u64 ticks = (deadline > now ? deadline - now : 0) >> vmx_misc_preemption_timer_shift(vmx_caps.misc);
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, (u32)MIN(ticks, 0xFFFFFFFFULL));
}

#endif
