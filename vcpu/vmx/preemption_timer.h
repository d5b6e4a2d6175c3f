/* SPDX-License-Identifier: BSD-2-Clause */
/* Loading the VMX-preemption timer from an absolute TSC deadline. */
#ifndef VCPU_VMX_PREEMPTION_TIMER_H
#define VCPU_VMX_PREEMPTION_TIMER_H

#include "kernel/time.h"
#include "kernel/types.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_cpu.h"

/* Loads the timer to expire after `tsc_ticks` TSC ticks of guest execution. */
static inline void preemption_timer_load_tsc(u64 tsc_ticks)
{
    u64 ticks = tsc_ticks >> vmx_misc_preemption_timer_shift(vmx_caps.misc);   /* it counts at TSC >> shift */
    vmcs_write32(VMX_PREEMPTION_TIMER_VALUE, (u32)MIN(ticks, 0xFFFFFFFFULL));
}

/*
 * Loads the timer to expire at TSC value `deadline` (at once if it is past `now`). The timer counts only while
 * the guest runs (SDM Vol. 3C 26.5.1), so every entry that follows time in the hypervisor loads it again.
 */
static inline void preemption_timer_load(u64 deadline, u64 now)
{
    preemption_timer_load_tsc(deadline > now ? deadline - now : 0);
}

/*
 * The stop watch: with no deadline pending, the timer still ends guest execution after STOP_WATCH_MS of it
 * without a VM exit. Each entry loads it afresh, so a guest that exits now and then never sees it. It bounds
 * how long a vCPU that nothing else can reach (its TPR holding the wake IPI, NMIs blocked) takes to notice
 * that its VM is stopping.
 */
#define STOP_WATCH_MS 100

static inline void preemption_timer_load_watch(void)
{
    preemption_timer_load_tsc(tsc_hz() / (1000 / STOP_WATCH_MS));
}

#endif
