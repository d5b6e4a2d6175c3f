/* SPDX-License-Identifier: BSD-2-Clause */
/* Constants vcpu/vmx_entry.S shares with C; vcpu/vcpu_layout.c checks them at compile time. */
#ifndef VCPU_VMX_ASM_H
#define VCPU_VMX_ASM_H

/* struct vcpu */
#define VCPU_HOST_RSP       128     /* host_rsp */
#define VCPU_LAUNCHED       136     /* launched */
#define VCPU_FAST_EXITS     137     /* fast_exits */
#define VCPU_EXIT_REASON    140     /* exit_reason */
#define VCPU_EXITS          144     /* exits[] */

/* struct percpu, reached through GS */
#define PERCPU_NMI_PENDING  19      /* nmi_pending */

/* VMCS field encodings */
#define VMCS_HOST_RSP       0x6C14
#define VMCS_GUEST_RIP      0x681E
#define VMCS_EXIT_REASON    0x4402
#define VMCS_EXIT_INSN_LEN  0x440C

/* Basic exit reasons and CPUID leaves the stub handles itself */
#define REASON_CPUID        10
#define CPUID_LEAF_FEATURES 1           /* adjusted by exit_cpuid: VMX, OSXSAVE, hypervisor bits */
#define CPUID_HV_RANGE      0x40000000  /* 0x400000xx: the hypervisor's own leaves */

#endif
