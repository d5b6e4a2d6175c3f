/* SPDX-License-Identifier: BSD-2-Clause */
/* RDMSR/WRMSR of intercepted MSRs. The MSR bitmap passes everything else to the hardware; MSRs outside the
 * bitmap's ranges always exit and, unknown, get the #GP the architecture gives an unimplemented MSR. */
#include "kernel/cpuid.h"
#include "kernel/msr.h"
#include "kernel/printk.h"
#include "kernel/x86_regs.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"
#include "vm/apic.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_defs.h"

/* IA32_FEATURE_CONTROL as the guest sees it: locked, VMX not enabled (it has no VMX). */
#define GUEST_FEATURE_CONTROL FEATURE_CONTROL_LOCKED

static bool is_vmx_capability(u32 msr)
{
    return msr >= MSR_IA32_VMX_BASIC && msr <= MSR_IA32_VMX_VMFUNC;
}

void msr_intercepts_init(struct vm *vm)
{
    vm_intercept_msr(vm, MSR_IA32_FEATURE_CONTROL, true, true);
    for (u32 msr = MSR_IA32_VMX_BASIC; msr <= MSR_IA32_VMX_VMFUNC; msr++)
        vm_intercept_msr(vm, msr, true, true);
    vm_intercept_msr(vm, MSR_IA32_TIME_STAMP_COUNTER, false, true);    /* the hypervisor's clock: see set_tsc_offset */
    vm_intercept_msr(vm, MSR_IA32_TSC_ADJUST, true, true);
}

/*
 * The TSC drives the hypervisor's clock and device deadlines, so the guest's writes move only its own view:
 * TSC offsetting (SDM Vol. 3C 26.3), with IA32_TSC_ADJUST kept per vCPU (SDM Vol. 3B 18.17.3). The local APIC's
 * count-down timer keeps its pace; its TSC deadline now compares against the new TSC.
 */
static void set_tsc_offset(struct vcpu *v, u64 offset)
{
    s64 delta = (s64)(offset - v->tsc_offset);
    __atomic_store_n(&v->tsc_offset, offset, __ATOMIC_RELAXED);
    apic_tsc_moved(v, delta);
    vmcs_write64(TSC_OFFSET, offset);
    if (!(v->proc_controls & PROC_USE_TSC_OFFSETTING)) {
        v->proc_controls |= PROC_USE_TSC_OFFSETTING;
        vmcs_write32(PRIMARY_PROC_CONTROLS, v->proc_controls);
    }
}

static enum vmexit_action gp(struct vcpu *v, const char *op, u32 msr)
{
    pr_debug("msr: %s 0x%x by the guest: #GP", op, msr);
    vcpu_inject_exception(v, VECTOR_GP, true, 0);
    return VMEXIT_RESUME;
}

/* Out of line: its result goes through memory, which would cost every other RDMSR a stack frame. */
static __attribute__((noinline)) enum vmexit_action apic_read(struct vcpu *v, u32 msr)
{
    u64 value;
    enum vmexit_action a = apic_rdmsr(v, msr, &value);
    if (a == VMEXIT_ADVANCE) {
        v->gpr[RAX] = (u32)value;
        v->gpr[RDX] = value >> 32;
    }
    return a;
}

enum vmexit_action exit_rdmsr(struct vcpu *v)
{
    u32 msr = (u32)v->gpr[RCX];
    u64 value;

    if (apic_msr(msr))
        return apic_read(v, msr);
    if (msr == MSR_IA32_FEATURE_CONTROL)
        value = GUEST_FEATURE_CONTROL;
    else if (msr == MSR_IA32_TSC_ADJUST && (cpuid(CPUID_LEAF_EXT_FEATURES, 0).ebx & CPUID_7_EBX_TSC_ADJUST))
        value = v->tsc_adjust;
    else
        return gp(v, "rdmsr", msr);     /* VMX capabilities (no VMX) and every unknown MSR */
    v->gpr[RAX] = (u32)value;
    v->gpr[RDX] = value >> 32;
    return VMEXIT_ADVANCE;
}

enum vmexit_action exit_wrmsr(struct vcpu *v)
{
    u32 msr = (u32)v->gpr[RCX];
    u64 value = (v->gpr[RDX] << 32) | (u32)v->gpr[RAX];
    if (apic_msr(msr))
        return apic_wrmsr(v, msr, value);      /* the guest's own local APIC (vm/apic.c) */
    if (msr == MSR_IA32_TIME_STAMP_COUNTER) {
        set_tsc_offset(v, value - rdtsc());
        return VMEXIT_ADVANCE;
    }
    if (msr == MSR_IA32_TSC_ADJUST && (cpuid(CPUID_LEAF_EXT_FEATURES, 0).ebx & CPUID_7_EBX_TSC_ADJUST)) {
        set_tsc_offset(v, v->tsc_offset + (value - v->tsc_adjust));    /* the TSC moves with the adjustment */
        v->tsc_adjust = value;
        return VMEXIT_ADVANCE;
    }
    /* IA32_FEATURE_CONTROL is locked, the VMX capability MSRs are read-only, the rest unknown: all #GP. */
    return gp(v, is_vmx_capability(msr) ? "wrmsr (read-only)" : "wrmsr", msr);
}
