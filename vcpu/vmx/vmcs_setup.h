/* SPDX-License-Identifier: BSD-2-Clause */
/* A vCPU's VMCS: controls from the capability MSRs, host state, and the guest's start state. */
#ifndef VCPU_VMX_VMCS_SETUP_H
#define VCPU_VMX_VMCS_SETUP_H

#include "vcpu/vcpu.h"

/* How the guest starts (SDM Vol. 3A 9.1.1 for the reset state real mode resembles). */
enum guest_mode { GUEST_REAL, GUEST_PROTECTED32, GUEST_LONG64 };

struct guest_start {
    enum guest_mode mode;
    u16 cs;             /* real mode: the CS selector (base = cs << 4) */
    u64 rip, rsp;
    u64 cr3;            /* long mode: the guest's page tables */
    u64 gdt_base;       /* protected and long mode: a GDT the loader wrote (limit 0: none, the selectors */
    u16 gdt_limit;      /*   below are the hypervisor's and no descriptor backs them) */
    u16 code_sel, data_sel;     /* 0: GDT_CODE, GDT_DATA */
    u64 gpr[GPR_COUNT]; /* initial general registers (RSP from rsp) */
};

/* Allocates, clears and loads the vCPU's VMCS on this CPU and fills controls and host state. */
bool vmcs_setup(struct vcpu *v);

/* Writes the guest-state area for a start in `s->mode`. The VMCS must be current on this CPU. */
void vmcs_set_guest_start(struct vcpu *v, const struct guest_start *s);

/* The INIT state (SDM Vol. 3A Table 10-1), waiting for a SIPI (wait-for-SIPI activity state). */
void vmcs_set_guest_init(struct vcpu *v);

/* The INIT register state, halted: how firmware leaves an application processor until the OS's INIT. */
void vmcs_set_guest_parked(struct vcpu *v);

/* Real mode at vector << 12, as a SIPI starts an application processor (SDM Vol. 3A 9.4.4.1). */
void vmcs_set_guest_sipi(struct vcpu *v, u8 vector);

#endif
