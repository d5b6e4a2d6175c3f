/* SPDX-License-Identifier: BSD-2-Clause */
/* Guest linear addresses through the guest's own page tables, for what the hypervisor reads or writes for it. */
#ifndef VCPU_GUEST_LINEAR_H
#define VCPU_GUEST_LINEAR_H

#include "vcpu/guest_walk.h"
#include "vcpu/vcpu.h"

/* The guest's paging state from its VMCS (CR0, CR3, CR4, EFER, the PDPTEs, CPL 3 or not). */
struct guest_paging guest_paging_now(void);

/*
 * The guest-physical address of one linear byte, as the guest's access would find it. VMEXIT_ADVANCE with *gpa
 * when it translates; a page fault is injected into the guest (CR2, error code) and VMEXIT_RESUME returned,
 * so the instruction runs again after the guest's #PF handler; a paging structure outside guest RAM stops the
 * VM with `reason` (VMEXIT_STOP).
 */
enum vmexit_action guest_translate(struct vcpu *v, const struct guest_paging *p, u64 linear, bool write, u64 *gpa,
                                   const char *reason);

/* guest_translate through a memo of the last translation (struct walk_memo, vcpu/guest_walk.h): the same
 * outcome, without a full walk while the memo holds. */
enum vmexit_action guest_translate_memo(struct vcpu *v, struct walk_memo *memo, const struct guest_paging *p,
                                        u64 linear, bool write, u64 *gpa, const char *reason);

#endif
