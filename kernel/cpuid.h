/* SPDX-License-Identifier: BSD-2-Clause */
/* CPUID leaves and the feature bits the hypervisor reads or changes (SDM Vol. 2A "CPUID"), for C and assembly. */
#ifndef KERNEL_CPUID_H
#define KERNEL_CPUID_H

#include "kernel/bits.h"

#define CPUID_LEAF_FEATURES         0x1
#define   CPUID_1_ECX_MONITOR       BIT(3)      /* MONITOR/MWAIT */
#define   CPUID_1_ECX_VMX           BIT(5)
#define   CPUID_1_ECX_X2APIC        BIT(21)
#define   CPUID_1_ECX_TSC_DEADLINE  BIT(24)     /* the local APIC timer's TSC-deadline mode */
#define   CPUID_1_ECX_XSAVE         BIT(26)
#define   CPUID_1_ECX_OSXSAVE       BIT(27)     /* mirrors CR4.OSXSAVE */
#define   CPUID_1_ECX_HYPERVISOR    BIT(31)     /* reserved on hardware: set by hypervisors for their guests */
#define   CPUID_1_EDX_MCA           BIT(14)     /* machine-check architecture: IA32_MCG_CAP exists */
#define CPUID_LEAF_MONITOR          0x5         /* MONITOR/MWAIT's line sizes and C-state sub-states */
#define CPUID_LEAF_EXT_FEATURES     0x7
#define   CPUID_7_EBX_TSC_ADJUST    BIT(1)      /* IA32_TSC_ADJUST exists */
#define   CPUID_7_ECX_WAITPKG       BIT(5)      /* UMONITOR, UMWAIT, TPAUSE */
#define CPUID_LEAF_XSAVE            0xD         /* subleaf 0: XCR0 bits supported in EDX:EAX */
#define   CPUID_D_1_EAX_XSAVES      BIT(3)      /* subleaf 1: XSAVES/XRSTORS and IA32_XSS */
#define CPUID_LEAF_TSC              0x15        /* TSC/crystal ratio EBX/EAX, crystal Hz in ECX */
#define CPUID_LEAF_FREQUENCY        0x16        /* base frequency in MHz, EAX */
#define CPUID_LEAF_ADDRESS_SIZES    0x80000008  /* EAX 7:0: physical address bits (MAXPHYADDR) */

#endif
