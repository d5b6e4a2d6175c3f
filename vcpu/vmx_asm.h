/* SPDX-License-Identifier: BSD-2-Clause */
/* Constants vcpu/vmx_entry.S shares with C; vcpu/vcpu_layout.c checks them at compile time. */
#ifndef VCPU_VMX_ASM_H
#define VCPU_VMX_ASM_H

#define VCPU_HOST_RSP   128     /* offsetof(struct vcpu, host_rsp) */
#define VCPU_LAUNCHED   136     /* offsetof(struct vcpu, launched) */
#define VMCS_HOST_RSP   0x6C14  /* HOST_RSP encoding */

#endif
