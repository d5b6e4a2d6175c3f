/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest-visible interface: CPUID leaves 0x40000000+, hypercall numbers and results. Guests include this. */
#ifndef VCPU_HYPERVISOR_ABI_H
#define VCPU_HYPERVISOR_ABI_H

/* CPUID 0x40000000: EAX = highest leaf, EBX:ECX:EDX = "MiniVisorVTx".
 * CPUID 0x40000001: EAX = ABI version, EBX = number of vCPUs (the boot vCPU and the APs in wait-for-SIPI).
 * CPUID 0x40000002: where the hypervisor sits: EAX = guest-physical start of its block (below 4 GiB, reserved in
 *                   the guest's memory map, never mapped), EBX = its size in bytes. */
#define HV_CPUID_BASE           0x40000000
#define HV_CPUID_FEATURES       0x40000001
#define HV_CPUID_MEMORY         0x40000002
#define HV_SIGNATURE_EBX        0x696E694D      /* "Mini" */
#define HV_SIGNATURE_ECX        0x6F736956      /* "Viso" */
#define HV_SIGNATURE_EDX        0x78545672      /* "rVTx" */
#define HV_ABI_VERSION          1

/*
 * VMCALL: number in RAX; arguments in RDI, RSI, RDX, R10, R8, R9; result in RAX (negative = error). Pointers
 * are guest-physical addresses. Only CPL 0 may call; other registers are preserved.
 */
#define HC_CONSOLE_WRITE        0   /* (gpa, len): print len bytes (at most 4096) -> len */
#define HC_EXIT                 1   /* (code): end the run with the guest's exit code 0-119 -> does not return */
#define HC_EXIT_STATS           2   /* (gpa, size): copy struct hv_exit_stats (truncated to size) -> bytes */
#define HC_RAISE_INTERRUPT      3   /* (vector 32-255): raise an external interrupt on this vCPU -> 0; raised
                                       vectors are pending once each, like an IRR, and come highest first */

#ifdef __ASSEMBLY__
#define HC_EPERM                (-1)
#define HC_EFAULT               (-14)
#define HC_EINVAL               (-22)
#define HC_ENOSYS               (-38)
#else
#define HC_EPERM                (-1LL)
#define HC_EFAULT               (-14LL)
#define HC_EINVAL               (-22LL)
#define HC_ENOSYS               (-38LL)
#endif

#define HV_EXIT_REASONS         72

/* HC_EXIT_STATS: this vCPU's exits so far, by basic exit reason (SDM Vol. 3C Appendix C). */
#define HV_STATS_TOTAL          0       /* byte offsets, for guests in assembly */
#define HV_STATS_REASON(n)      (8 + 8 * (n))
#ifndef __ASSEMBLY__
struct hv_exit_stats {
    unsigned long long total;
    unsigned long long by_reason[HV_EXIT_REASONS];
};
#endif

#endif
