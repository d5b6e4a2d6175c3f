/* SPDX-License-Identifier: BSD-2-Clause */
/* Segment access rights as the VMCS holds them (SDM Vol. 3C 24.4.1, Table 24-2), shared by VMCS setup and exits. */
#ifndef KERNEL_X86_SEGMENT_H
#define KERNEL_X86_SEGMENT_H

#include "kernel/types.h"

/*
 * The format is the descriptor's: bits 7:0 are descriptor bits 47:40 (type, S, DPL, P), bits 15:12 are
 * descriptor bits 55:52 (AVL, L, D/B, G) (SDM Vol. 3A 3.4.5); bit 16 is VMX's own "segment unusable".
 */
#define AR_TYPE_ACCESSED    BIT(0)          /* code and data segments */
#define AR_TYPE_RW          BIT(1)          /* data: writable; code: readable */
#define AR_TYPE_CODE        BIT(3)
#define AR_TYPE_LDT         0x2             /* system segment types (S = 0), SDM Vol. 3A Table 3-2 */
#define AR_TYPE_TSS_BUSY    0xB             /* 32/64-bit busy TSS */
#define AR_S                BIT(4)          /* code or data, not a system segment */
#define AR_DPL_SHIFT        5
#define AR_DPL_MASK         (3U << AR_DPL_SHIFT)
#define AR_P                BIT(7)
#define AR_AVL              BIT(12)
#define AR_L                BIT(13)         /* CS only: 64-bit code */
#define AR_DB               BIT(14)         /* CS: 32-bit default operand and address size; SS: 32-bit stack */
#define AR_G                BIT(15)
#define AR_UNUSABLE         BIT(16)

#endif
