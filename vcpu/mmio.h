/* SPDX-License-Identifier: BSD-2-Clause */
/* The MMIO dispatch hook: an EPT violation in a range a device claimed becomes an emulated access. */
#ifndef VCPU_MMIO_H
#define VCPU_MMIO_H

#include "vcpu/exit_decode.h"
#include "vcpu/vcpu.h"

/*
 * Offers an EPT violation to the MMIO devices of the vCPU's VM. Returns true with *action set when one handled
 * it. No device claims MMIO yet (the emulated devices are port-I/O); this is where one will.
 */
bool mmio_dispatch(struct vcpu *v, const struct ept_violation *e, enum vmexit_action *action);

#endif
