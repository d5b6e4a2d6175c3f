/* SPDX-License-Identifier: BSD-2-Clause */
/* VMX control words and CR0/CR4 values computed from the capability MSRs (SDM Vol. 3C Appendix A). */
#ifndef VCPU_VMX_VMX_CONTROLS_H
#define VCPU_VMX_VMX_CONTROLS_H

#include "kernel/types.h"
#include "kernel/x86_regs.h"
#include "vcpu/vmx/vmx_defs.h"


/*
 * The capability MSR that governs `word`: the TRUE variant when IA32_VMX_BASIC[55] says it exists, so that
 * default1 controls we do not want (CR3-load exiting, ...) may be 0 (A.2). Secondary controls have no TRUE MSR.
 */
u32 vmx_ctl_cap_msr(enum vmx_ctl_word word, u64 basic);

/*
 * Optional MSRs exist only when the CPU says so; reading an absent one faults (A.3.3, A.10, A.11):
 * IA32_VMX_PROCBASED_CTLS2 needs "activate secondary controls" allowed-1, IA32_VMX_EPT_VPID_CAP needs "enable
 * EPT" or "enable VPID" allowed-1, IA32_VMX_VMFUNC needs "enable VM functions" allowed-1.
 */
static inline bool vmx_has_secondary_ctls(u64 proc_cap) { return vmx_ctl_allows(proc_cap, PROC_ACTIVATE_SECONDARY); }
static inline bool vmx_has_ept_vpid_cap(u64 proc2_cap)
{
    return vmx_ctl_allows(proc2_cap, PROC2_ENABLE_EPT) || vmx_ctl_allows(proc2_cap, PROC2_ENABLE_VPID);
}
static inline bool vmx_has_vmfunc_cap(u64 proc2_cap) { return vmx_ctl_allows(proc2_cap, PROC2_ENABLE_VMFUNC); }

/*
 * One control word from its capability MSR value: (required | optional-if-allowed | must_be_1) & may_be_1.
 * Returns false, with *missing = the required bits the CPU does not allow (plus any must-be-1 bit that a
 * malformed MSR does not allow either), when the word cannot be what we need; *value is still written.
 */
__attribute__((warn_unused_result))
bool vmx_ctl_compute(u64 cap, u32 required, u32 optional, u32 *value, u32 *missing);

/*
 * Writes "unrestricted guest, enable EPT" (bits named as the SDM does, unnamed ones as "bit N") for the
 * bits in `mask`; returns the length the full text needs, like snprintf. Pure, for the failure message.
 */
size_t vmx_ctl_describe(enum vmx_ctl_word word, u32 mask, char *buf, size_t size);

/* IA32_VMX_CRn_FIXED0/1 (A.7, A.8): a bit set in fixed0 must be 1; a bit clear in fixed1 must be 0. */
struct vmx_cr_fixed {
    u64 fixed0, fixed1;
};

/* `cr` with every fixed bit forced to its required value. */
static inline u64 vmx_cr_fix(u64 cr, struct vmx_cr_fixed f) { return (cr | f.fixed0) & f.fixed1; }

/* The bits of `cr` that break the fixed-bit rules (0 = acceptable). */
static inline u64 vmx_cr_bad_bits(u64 cr, struct vmx_cr_fixed f) { return (f.fixed0 & ~cr) | (cr & ~f.fixed1); }

/*
 * The CR0 fixed bits for guest state: with "unrestricted guest", PE and PG may be 0 whatever CR0_FIXED0 says
 * (27.3.1.1, checks on guest control registers). PG=1 still needs PE=1; the caller checks that (exit_cr.c
 * injects #GP, as MOV to CR0 does).
 */
struct vmx_cr_fixed vmx_cr0_fixed_for_guest(struct vmx_cr_fixed f, bool unrestricted);

#endif
