/* SPDX-License-Identifier: BSD-2-Clause */
/* RDMSR/WRMSR of intercepted MSRs. The MSR bitmap passes everything else to the hardware; MSRs outside the
 * bitmap's ranges always exit and, unknown, get the #GP the architecture gives an unimplemented MSR. */
#include "kernel/cpuid.h"
#include "kernel/apic_regs.h"
#include "kernel/msr.h"
#include "kernel/printk.h"
#include "kernel/x86_regs.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"
#include "vcpu/ipi.h"
#include "vm/vm.h"
#include "vcpu/vmx/vmcs.h"
#include "vcpu/vmx/vmx_defs.h"

#define APIC_BASE_MODE (APIC_BASE_EXTD | APIC_BASE_EN)   /* the local APIC's mode, which the guest may not change */

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
    vm_intercept_msr(vm, MSR_X2APIC_ICR, false, true);         /* INIT goes through vcpu/ipi.c */
    vm_intercept_msr(vm, MSR_IA32_APIC_BASE, false, true);     /* the APIC mode is shared: see exit_wrmsr */
    vm_intercept_msr(vm, MSR_IA32_TIME_STAMP_COUNTER, false, true);    /* the hypervisor's clock: see set_tsc_offset */
    vm_intercept_msr(vm, MSR_IA32_TSC_ADJUST, true, true);
}

/*
 * The TSC drives the hypervisor's clock and device deadlines, so the guest's writes move only its own view:
 * TSC offsetting (SDM Vol. 3C 26.3), with IA32_TSC_ADJUST kept per vCPU (SDM Vol. 3B 18.17.3).
 */
static void set_tsc_offset(struct vcpu *v, u64 offset)
{
    v->tsc_offset = offset;
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

enum vmexit_action exit_rdmsr(struct vcpu *v)
{
    u32 msr = (u32)v->gpr[RCX];
    u64 value;

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
    if (msr == MSR_X2APIC_ICR && ipi_icr_write(v, value))
        return VMEXIT_ADVANCE;
    if (msr == MSR_IA32_TIME_STAMP_COUNTER) {
        set_tsc_offset(v, value - rdtsc());
        return VMEXIT_ADVANCE;
    }
    if (msr == MSR_IA32_TSC_ADJUST && (cpuid(CPUID_LEAF_EXT_FEATURES, 0).ebx & CPUID_7_EBX_TSC_ADJUST)) {
        set_tsc_offset(v, v->tsc_offset + (value - v->tsc_adjust));    /* the TSC moves with the adjustment */
        v->tsc_adjust = value;
        return VMEXIT_ADVANCE;
    }
    if (msr == MSR_IA32_APIC_BASE) {
        /* The hypervisor sends its own IPIs through this local APIC: its mode and enable bit stay as they
         * are (a change is refused as the hardware refuses an illegal transition); the rest goes through. */
        u64 current = rdmsr(MSR_IA32_APIC_BASE);
        u64 phys_bits = cpu_phys_addr_bits();
        u64 allowed = APIC_BASE_BSP | APIC_BASE_MODE | ((BIT(phys_bits) - 1) & ~0xFFFULL);
        if (value & ~allowed)
            return gp(v, "wrmsr (reserved bits)", msr);     /* as the hardware answers, not a fault in ours */
        if ((value ^ current) & APIC_BASE_MODE) {
            pr_warn("msr: cpu%u: the guest may not change the local APIC's mode (IA32_APIC_BASE %#llx to %#llx): #GP",
                    v->index, (unsigned long long)current, (unsigned long long)value);
            return gp(v, "wrmsr", msr);
        }
        wrmsr(MSR_IA32_APIC_BASE, value);
        return VMEXIT_ADVANCE;
    }
    /* IA32_FEATURE_CONTROL is locked, the VMX capability MSRs are read-only, the rest unknown: all #GP. */
    return gp(v, is_vmx_capability(msr) ? "wrmsr (read-only)" : "wrmsr", msr);
}
