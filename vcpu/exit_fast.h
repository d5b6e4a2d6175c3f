/* SPDX-License-Identifier: BSD-2-Clause */
/* The exits the exit stub (vcpu/vmx_entry.S) completes without the run loop. */
#ifndef VCPU_EXIT_FAST_H
#define VCPU_EXIT_FAST_H

#include "vcpu/vcpu.h"

/*
 * A port-I/O exit, while the run loop allows fast exits (vcpu/run.c). Returns FAST_RESUME (handled, the stub
 * resumes the guest), FAST_HANDLED (handled, the run loop prepares the next entry) or FAST_DECLINED (nothing
 * done: the run loop handles the exit). Codes in vcpu/vmx_asm.h.
 */
int vcpu_fast_io(struct vcpu *v);

#endif
