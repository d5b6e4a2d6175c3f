/* SPDX-License-Identifier: BSD-2-Clause */
/* Constants vcpu/vmx/vmx_entry.S shares with C; vcpu/vmx/vcpu_layout.c checks them at compile time. */
#ifndef VCPU_VMX_VMX_ASM_H
#define VCPU_VMX_VMX_ASM_H

#ifdef __ASSEMBLER__
#define ASM_U64(x)          x
#else
#define ASM_U64(x)          x##ULL
#endif

/* struct vcpu */
#define VCPU_HOST_RSP       128     /* host_rsp */
#define VCPU_LAUNCHED       136     /* launched */
#define VCPU_FAST_EXITS     137     /* fast_exits: */
#define FAST_EXITS_C        1       /*   FAST_C_REASONS through vcpu_fast_exit */
#define FAST_EXITS_CPUID    2       /*   CPUID in the stub (only while the preemption timer holds no deadline) */
#define VCPU_EXIT_REASON    140     /* exit_reason */
#define VCPU_EXITS          144     /* exits[] */

/* struct percpu, reached through GS */
#define PERCPU_NMI_PENDING  19      /* nmi_pending */

/* VMCS field encodings */
#define VMCS_HOST_RSP       0x6C14
#define VMCS_GUEST_RIP      0x681E
#define VMCS_GUEST_RFLAGS   0x6820
#define VMCS_EXIT_REASON    0x4402
#define VMCS_EXIT_INSN_LEN  0x440C

/* The exit reasons the stub sends on their own paths: CPUID (answered in the stub), I/O (vcpu_fast_io) */
#define REASON_CPUID        10
#define REASON_IO           30
/* The exit reasons (bit n: basic reason n) vcpu_fast_exit handles: VMCALL, RDMSR, WRMSR, XSETBV */
#define FAST_C_REASONS      ((ASM_U64(1) << 18) | (ASM_U64(1) << 31) | (ASM_U64(1) << 32) | (ASM_U64(1) << 55))
#define CPUID_HV_RANGE      0x40000000  /* 0x400000xx: the hypervisor's own leaves */
#define CPUID_HV_RANGE_LAST 0xFF        /*   leaf - CPUID_HV_RANGE at most this */

/* What vmx_enter returns: an exit for the run loop, a failed entry instruction, or an exit already handled */
#define ENTER_EXIT          0
#define ENTER_FAIL_INVALID  1       /* VMfailInvalid (CF = 1) */
#define ENTER_FAIL_VALID    2       /* VMfailValid (ZF = 1): the error number is in the VMCS */
#define ENTER_EXIT_HANDLED  3       /* the fast path handled the exit; the run loop prepares the next entry */

/* What vcpu_fast_exit and vcpu_fast_io return to the stub (vcpu/exit_fast.h) */
#define FAST_DECLINED       ENTER_EXIT
#define FAST_HANDLED        ENTER_EXIT_HANDLED
#define FAST_RESUME         4

#endif
