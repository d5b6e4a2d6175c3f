/* SPDX-License-Identifier: BSD-2-Clause */
/* VMX per CPU: the capability probe, VMXON on every CPU, and what a CPU in VMX operation does as it stops. */
#ifndef VCPU_VMX_VMX_CPU_H
#define VCPU_VMX_VMX_CPU_H

#include "kernel/types.h"
#include "vcpu/vmx/vmx_controls.h"
#include "vcpu/vmx/vmx_defs.h"

/* What the boot CPU's capability MSRs allow; every CPU is checked against the same needs. */
struct vmx_caps {
    u64 basic, misc, ept_vpid;
    u64 ctl[VMX_CTL_WORDS];         /* capability MSR per control word (the TRUE ones where they exist) */
    struct vmx_cr_fixed cr0, cr4;
    bool vpid, ept_2m, ept_1g;
    bool preemption_timer;          /* device timers need it; without it they advance only on exits */
};

extern struct vmx_caps vmx_caps;

/*
 * Probes VMX, EPT and unrestricted guest on every CPU and enters VMX root operation on each. On success
 * prints "vmx: N of N CPUs in VMX operation"; when something is missing prints "vmx: unavailable: <reason>"
 * naming the CPUID bit or MSR, and returns false. Registers the stop hook (kernel/cpu_hooks.h): CPUs stay in
 * VMX operation to the end of the run, but for a reboot.
 */
bool vmx_init_all(void);

#endif
