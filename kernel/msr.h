/* SPDX-License-Identifier: BSD-2-Clause */
/* Architectural MSR numbers and their bits (SDM Vol. 4 Table 2-2), for the host, vcpu/ and the test guests. */
#ifndef KERNEL_MSR_H
#define KERNEL_MSR_H

/*
 * Not here: the VMX capability MSRs (0x480-0x491) are VMX vocabulary (vcpu/vmx/vmx_defs.h), the x2APIC
 * registers (0x800-0x8FF) local APIC vocabulary (kernel/apic_regs.h).
 */
#include "kernel/bits.h"

#define MSR_IA32_TIME_STAMP_COUNTER     0x010       /* RDTSC's counter; a write sets it */

#define MSR_IA32_APIC_BASE              0x01B       /* SDM Vol. 3A 11.4.4 */
#define   APIC_BASE_BSP                 BIT(8)      /* r- this is the boot processor */
#define   APIC_BASE_EXTD                BIT(10)     /* rw x2APIC mode; set only while EN is (11.12.5) */
#define   APIC_BASE_EN                  BIT(11)     /* rw the local APIC is enabled */
#define   APIC_BASE_ADDR                0xFFFFFF000 /* rw the xAPIC page, bits MAXPHYADDR-1:12 */

#define MSR_IA32_FEATURE_CONTROL        0x03A       /* SDM Vol. 3C 24.7 */
#define   FEATURE_CONTROL_LOCKED        BIT(0)      /* no more writes until reset */
#define   FEATURE_CONTROL_VMX_IN_SMX    BIT(1)
#define   FEATURE_CONTROL_VMX_OUTSIDE_SMX BIT(2)

#define MSR_IA32_TSC_ADJUST             0x03B       /* moves with writes to the TSC (SDM Vol. 3B 18.17.3) */

#define MSR_IA32_MCG_CAP                0x179       /* machine-check capabilities (SDM Vol. 3B 17.3.1.1) */
#define   MCG_CAP_CMCI_P                BIT(10)     /* corrected machine-check interrupts: the LVT CMCI entry */

#define MSR_IA32_DEBUGCTL               0x1D9       /* SDM Vol. 3B 18.4.1 */
#define   DEBUGCTL_LBR                  BIT(0)      /* last-branch record */
#define   DEBUGCTL_BTF                  BIT(1)      /* RFLAGS.TF traps on branches only (18.4.3) */

#define MSR_IA32_PAT                    0x277       /* page attribute table (SDM Vol. 3A 12.12) */
#define MSR_IA32_TSC_DEADLINE           0x6E0       /* local APIC timer in TSC-deadline mode (SDM Vol. 3A 11.5.4.1) */

/* ---- The extended feature enables and segment bases (0xC0000080-) ---- */
#define MSR_IA32_EFER                   0xC0000080  /* SDM Vol. 3A 2.2.1 */
#define   EFER_LME                      BIT(8)      /* rw IA-32e mode enable */
#define   EFER_LMA                      BIT(10)     /* r- IA-32e mode active: LME and CR0.PG */
#define MSR_IA32_FS_BASE                0xC0000100
#define MSR_IA32_GS_BASE                0xC0000101

#endif
