/* SPDX-License-Identifier: BSD-2-Clause */
/* Architectural register bits and exception vectors (SDM Vol. 3A 2.5, 6.3), shared by the kernel, vcpu/ and
 * assembly. EFER's bits are MSR vocabulary (kernel/msr.h), included here for the paging-mode code. */
#ifndef KERNEL_X86_REGS_H
#define KERNEL_X86_REGS_H

#include "kernel/bits.h"
#include "kernel/msr.h"

#define CR0_PE          BIT(0)
#define CR0_ET          BIT(4)
#define CR0_NE          BIT(5)
#define CR0_WP          BIT(16)
#define CR0_NW          BIT(29)
#define CR0_CD          BIT(30)
#define CR0_PG          BIT(31)

#define CR4_PSE         BIT(4)
#define CR4_PAE         BIT(5)
#define CR4_PGE         BIT(7)
#define CR4_LA57        BIT(12)
#define CR4_VMXE        BIT(13)
#define CR4_PCIDE       BIT(17)
#define CR4_OSXSAVE     BIT(18)
#define CR4_SMEP        BIT(20)

/* RFLAGS (SDM Vol. 1 3.4.3): the status flags, then the system flags. */
#define RFLAGS_CF       BIT(0)
#define RFLAGS_RESERVED1 BIT(1)
#define RFLAGS_PF       BIT(2)
#define RFLAGS_AF       BIT(4)
#define RFLAGS_ZF       BIT(6)
#define RFLAGS_SF       BIT(7)
#define RFLAGS_OF       BIT(11)
#define RFLAGS_STATUS   (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)
#define RFLAGS_TF       BIT(8)
#define RFLAGS_IF       BIT(9)
#define RFLAGS_DF       BIT(10)
#define RFLAGS_RF       BIT(16)

#define VECTOR_NMI      2
#define VECTOR_UD       6
#define VECTOR_DF       8
#define VECTOR_GP       13
#define VECTOR_PF       14
#define VECTOR_VE       20      /* virtualization exception */
#define VECTOR_CP       21      /* control-protection exception */

#endif
