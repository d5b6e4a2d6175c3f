/* SPDX-License-Identifier: BSD-2-Clause */
/* CPUID: the host's answers with VMX, MONITOR/MWAIT and what the VMCS does not enable hidden, the hypervisor bit
 * set, plus the hypervisor leaves. */
#include "kernel/cpuid.h"
#include "kernel/smp.h"
#include "kernel/x86_regs.h"
#include "kernel/x86.h"
#include "vcpu/exits.h"
#include "vcpu/hypervisor_abi.h"
#include "vcpu/vmx/vmcs.h"
#include "vm/vm.h"


enum vmexit_action exit_cpuid(struct vcpu *v)
{
    u32 leaf = (u32)v->gpr[RAX], sub = (u32)v->gpr[RCX];
    struct cpuid r = { 0, 0, 0, 0 };

    if (leaf == HV_CPUID_BASE) {
        r = (struct cpuid){ HV_CPUID_MEMORY, HV_SIGNATURE_EBX, HV_SIGNATURE_ECX, HV_SIGNATURE_EDX };
    } else if (leaf == HV_CPUID_FEATURES) {
        r.eax = HV_ABI_VERSION;
        r.ebx = smp_cpu_count();        /* vCPUs in the VM: one per physical CPU */
    } else if (leaf == HV_CPUID_MEMORY) {
        r.eax = (u32)v->vm->hv.start;   /* the block lies below 4 GiB (kernel/memlayout.h) */
        r.ebx = (u32)(v->vm->hv.end - v->vm->hv.start);
    } else if ((leaf & 0xFFFFFF00) != HV_CPUID_BASE) {
        r = cpuid(leaf, sub);
        if (leaf == 1) {
            /* No nested VMX, no MONITOR/MWAIT: their instructions get #UD (exit_invalid_opcode). A guest
             * that idles with MWAIT wakes only by the monitored line's write, which Bochs does not deliver
             * across CPUs reliably, and which keeps a physical CPU in a C-state the hypervisor did not pick;
             * it idles with HLT instead, as under KVM by default. */
            r.ecx &= ~(CPUID_1_ECX_VMX | CPUID_1_ECX_MONITOR | CPUID_1_ECX_OSXSAVE);
            r.ecx |= CPUID_1_ECX_HYPERVISOR;
            /* OSXSAVE mirrors the guest's CR4 (a bit it owns, so the VMCS holds it), not the host's. */
            if (vmcs_read_natural(GUEST_CR4) & CR4_OSXSAVE)
                r.ecx |= CPUID_1_ECX_OSXSAVE;
        } else if (leaf == CPUID_LEAF_MONITOR) {
            r = (struct cpuid){ 0, 0, 0, 0 };       /* no MONITOR/MWAIT, no parameters for them */
        } else if (leaf == CPUID_LEAF_EXT_FEATURES && sub == 0) {
            /* Without "enable user wait and pause" (not set: vcpu/vmx/vmcs_setup.c) they are #UD in VMX
             * non-root operation (SDM Vol. 3C 26.3), where a guest whose CPUID shows them would die. */
            r.ecx &= ~CPUID_7_ECX_WAITPKG;
        } else if (leaf == CPUID_LEAF_XSAVE && sub == 1) {
            /* The same for XSAVES/XRSTORS without "enable XSAVES/XRSTORS" (Linux uses them wherever CPUID says). */
            r.eax &= ~CPUID_D_1_EAX_XSAVES;
        }
    }
    /* CPUID writes the low 32 bits and clears the high ones (SDM Vol. 2A "CPUID"). */
    v->gpr[RAX] = r.eax;
    v->gpr[RBX] = r.ebx;
    v->gpr[RCX] = r.ecx;
    v->gpr[RDX] = r.edx;
    return VMEXIT_ADVANCE;
}
