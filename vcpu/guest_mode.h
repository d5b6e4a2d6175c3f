/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's current mode from its VMCS state: CPL, 64-bit code, the default address size. */
#ifndef VCPU_GUEST_MODE_H
#define VCPU_GUEST_MODE_H

#include "kernel/x86_regs.h"
#include "kernel/x86_segment.h"
#include "vcpu/vmx/vmcs.h"

/* CPL: the guest's SS.DPL always equals it (SDM Vol. 3C 24.4.1). */
static inline unsigned guest_cpl(void)
{
    return (vmcs_read32(GUEST_SS_AR) & AR_DPL_MASK) >> AR_DPL_SHIFT;
}

/* 64-bit mode: IA-32e mode with CS.L set; compatibility mode has CS.L clear (SDM Vol. 3A 5.2.1). */
static inline bool guest_in_64bit_code(void)
{
    return (vmcs_read64(GUEST_IA32_EFER) & EFER_LMA) && (vmcs_read32(GUEST_CS_AR) & AR_L);
}

/* The default address size in bytes, 8, 4 or 2: from CS.L and CS.D (SDM Vol. 3A 3.4.5, Vol. 1 3.6.1). */
static inline unsigned guest_default_address_size(void)
{
    if (guest_in_64bit_code())
        return 8;
    return vmcs_read32(GUEST_CS_AR) & AR_DB ? 4 : 2;
}

#endif
