/* SPDX-License-Identifier: BSD-2-Clause */
/* Compile-time checks that vcpu/vmx_asm.h agrees with struct vcpu and the VMCS encodings. */
#include "vcpu/vcpu.h"
#include "vcpu/vmx_asm.h"

_Static_assert(__builtin_offsetof(struct vcpu, gpr) == 0, "gpr[] must come first");
_Static_assert(__builtin_offsetof(struct vcpu, host_rsp) == VCPU_HOST_RSP, "VCPU_HOST_RSP");
_Static_assert(__builtin_offsetof(struct vcpu, launched) == VCPU_LAUNCHED, "VCPU_LAUNCHED");
_Static_assert(VMCS_HOST_RSP == HOST_RSP, "VMCS_HOST_RSP");
