/* SPDX-License-Identifier: BSD-2-Clause */
/* Failure reports: the VM-stop line and dump, and the VMCS dump by field name. */
#ifndef VCPU_REPORT_H
#define VCPU_REPORT_H

#include "vcpu/vcpu.h"

/*
 * Stops the vCPU's VM for guest misbehaviour: prints the machine-readable line
 * "vm-stop: reason=<name> cpu=<n> rip=<hex> <extra>" and then the guest registers and the VMCS fields that
 * matter. Returns VMEXIT_STOP for the handler to return.
 */
enum vmexit_action vcpu_stop(struct vcpu *v, const char *reason, const char *extra_fmt, ...) PRINTF(3, 4);

/*
 * The guest triple-faulted (vector >= 0: raising that vector on top of a pending #DF): ends the run as a reset,
 * "guest: reset via triple fault" with status EXIT_GUEST_RESET, and dumps the guest's registers. Returns
 * VMEXIT_STOP.
 */
enum vmexit_action vcpu_triple_fault(struct vcpu *v, int vector);

/* Prints every readable field of the current VMCS, one "name = value" line each. */
void vmcs_dump_all(void);

#endif
