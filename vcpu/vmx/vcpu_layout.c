/* SPDX-License-Identifier: BSD-2-Clause */
/* Compile-time checks that vcpu/vmx/vmx_asm.h agrees with struct vcpu, struct percpu and the VMX definitions. */
#include "kernel/percpu.h"
#include "kernel/x86_regs.h"
#include "vcpu/hypervisor_abi.h"
#include "vcpu/vcpu.h"
#include "vcpu/vmx/vmx_asm.h"

#define SAME_OFFSET(type, member, value) \
    _Static_assert(__builtin_offsetof(type, member) == (value), #type "." #member " moved: update vcpu/vmx/vmx_asm.h")

_Static_assert(__builtin_offsetof(struct vcpu, gpr) == 0, "gpr[] must come first");
SAME_OFFSET(struct vcpu, host_rsp, VCPU_HOST_RSP);
SAME_OFFSET(struct vcpu, launched, VCPU_LAUNCHED);
SAME_OFFSET(struct vcpu, fast_exits, VCPU_FAST_EXITS);
SAME_OFFSET(struct vcpu, exit_reason, VCPU_EXIT_REASON);
SAME_OFFSET(struct vcpu, exits, VCPU_EXITS);
SAME_OFFSET(struct percpu, nmi_pending, PERCPU_NMI_PENDING);
_Static_assert(sizeof(((struct vcpu *)0)->launched) == 1 && sizeof(((struct vcpu *)0)->fast_exits) == 1, "bytes");
_Static_assert(FAST_EXITS_C < 256 && FAST_EXITS_CPUID < 256 && FAST_EXITS_C != FAST_EXITS_CPUID, "fast_exits bits");
_Static_assert(sizeof(((struct percpu *)0)->nmi_pending) == 1, "nmi_pending is a byte");
_Static_assert(VMCS_HOST_RSP == HOST_RSP && VMCS_GUEST_RIP == GUEST_RIP && VMCS_GUEST_RFLAGS == GUEST_RFLAGS,
               "VMCS encodings");
_Static_assert(VMCS_EXIT_REASON == VM_EXIT_REASON && VMCS_EXIT_INSN_LEN == VM_EXIT_INSTRUCTION_LEN, "VMCS encodings");
_Static_assert(REASON_CPUID == EXIT_REASON_CPUID && REASON_IO == EXIT_REASON_IO_INSTRUCTION, "exit reasons");
_Static_assert(CPUID_HV_RANGE == HV_CPUID_BASE && (HV_CPUID_FEATURES & 0xFFFFFF00) == CPUID_HV_RANGE, "CPUID");
