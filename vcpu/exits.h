/* SPDX-License-Identifier: BSD-2-Clause */
/* Exit handlers. Contract: a handler reads the exit through the VMCS or the saved GPRs, does the work, and
 * returns what to do: VMEXIT_ADVANCE only for an instruction it actually emulated, VMEXIT_STOP after vcpu_stop.
 * The ones marked "fast" also run from the exit stub (vcpu/exit_fast.c), which restores only the registers a C
 * call may clobber: they, and all they call, may write no GPR but RAX, RCX, RDX, RSI, RDI and R8-R11. */
#ifndef VCPU_EXITS_H
#define VCPU_EXITS_H

#include "vcpu/vcpu.h"

typedef enum vmexit_action exit_handler(struct vcpu *v);

exit_handler exit_io;                   /* vcpu/exit_io.c (its fast path is vcpu_fast_io) */
exit_handler exit_cr_access;            /* vcpu/exit_cr.c */
exit_handler exit_rdmsr, exit_wrmsr;    /* vcpu/exit_msr.c; fast */
struct vm;
void msr_intercepts_init(struct vm *vm); /* vcpu/exit_msr.c: which MSRs exit */
exit_handler exit_vmcall;               /* vcpu/hypercall.c; fast */
exit_handler exit_cpuid;                /* vcpu/exit_cpuid.c */
exit_handler exit_hlt, exit_interrupt_window, exit_nmi_window, exit_external_interrupt, exit_exception_nmi;  /* vcpu/exit_events.c */
exit_handler exit_init, exit_sipi, exit_triple_fault, exit_preemption_timer;                                      /* vcpu/exit_events.c */
exit_handler exit_invalid_opcode;      /* vcpu/exit_invalid_opcode.c */
exit_handler exit_xsetbv;               /* vcpu/exit_xsetbv.c; fast */
exit_handler exit_invd;                 /* vcpu/exit_invd.c */
exit_handler exit_ept_violation, exit_ept_misconfig;   /* vcpu/exit_ept.c */

#endif
