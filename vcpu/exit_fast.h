/* SPDX-License-Identifier: BSD-2-Clause */
/* The exits the exit stub (vcpu/vmx_entry.S) completes in C without the run loop. */
#ifndef VCPU_EXIT_FAST_H
#define VCPU_EXIT_FAST_H

#include "vcpu/vcpu.h"

/*
 * An exit whose reason is in FAST_C_REASONS, while the run loop allows fast exits (vcpu/run.c), with every
 * guest register saved. Handles it as the run loop would (count, handler, RIP) and returns FAST_RESUME (the
 * stub resumes the guest) or FAST_HANDLED (the run loop prepares the next entry). Codes in vcpu/vmx_asm.h.
 */
int vcpu_fast_exit(struct vcpu *v);

#endif
