/* SPDX-License-Identifier: BSD-2-Clause */
/* CPUID: the host's answers with VMX hidden and the hypervisor bit set, plus the hypervisor leaves. */
#include "kernel/smp.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"
#include "vcpu/hypervisor_abi.h"

enum vmexit_action exit_cpuid(struct vcpu *v)
{
    u32 leaf = (u32)v->gpr[RAX], sub = (u32)v->gpr[RCX];
    struct cpuid r = { 0, 0, 0, 0 };

    if (leaf == HV_CPUID_BASE) {
        r = (struct cpuid){ HV_CPUID_FEATURES, HV_SIGNATURE_EBX, HV_SIGNATURE_ECX, HV_SIGNATURE_EDX };
    } else if (leaf == HV_CPUID_FEATURES) {
        r.eax = HV_ABI_VERSION;
        r.ebx = smp_cpu_count();        /* vCPUs in the VM: one per physical CPU */
    } else if ((leaf & 0xFFFFFF00) != HV_CPUID_BASE) {
        r = cpuid(leaf, sub);
        if (leaf == 1) {
            r.ecx &= ~CPUID_1_ECX_VMX;          /* no nested VMX: VMX instructions get #UD */
            r.ecx |= CPUID_1_ECX_HYPERVISOR;
        }
    }
    /* CPUID writes the low 32 bits and clears the high ones (SDM Vol. 2A "CPUID"). */
    v->gpr[RAX] = r.eax;
    v->gpr[RBX] = r.ebx;
    v->gpr[RCX] = r.ecx;
    v->gpr[RDX] = r.edx;
    return VMEXIT_ADVANCE;
}
