/* SPDX-License-Identifier: BSD-2-Clause */
/* Local APIC registers (SDM Vol. 3A 11.4.1, Table 11-1), their x2APIC MSRs (11.12.1.2) and the ICR's fields
 * (11.6.1), for the host's driver, the guest's IPIs and the test guests. */
#ifndef KERNEL_APIC_REGS_H
#define KERNEL_APIC_REGS_H

#include "kernel/bits.h"

#define XAPIC_DEFAULT_BASE      0xFEE00000  /* where firmware leaves the xAPIC page (IA32_APIC_BASE) */

/* ---- Register offsets in the xAPIC page ---- */
#define APIC_ID                 0x020       /* rw: bits 31:24 in xAPIC mode, all 32 bits in x2APIC mode */
#define   XAPIC_ID_SHIFT        24
#define APIC_TPR                0x080       /* rw task priority: 0 lets every vector through, 0xF0 none */
#define APIC_EOI                0x0B0       /* -w end of interrupt */
#define APIC_SVR                0x0F0       /* rw spurious-interrupt vector */
#define   SVR_ENABLE            BIT(8)      /* APIC software enable */
#define APIC_ICR_LOW            0x300       /* rw interrupt command, bits 31:0 (the fields below) */
#define APIC_ICR_HIGH           0x310       /* rw xAPIC destination in bits 31:24 */
#define   XAPIC_ICR_DEST_SHIFT  24

/* ---- x2APIC: register at offset X is MSR 0x800 + X / 16; the ICR is one 64-bit MSR ---- */
#define MSR_X2APIC_FIRST        0x800
#define MSR_X2APIC_LAST         0x8FF
#define X2APIC_MSR(offset)      (MSR_X2APIC_FIRST + (offset) / 16)
#define MSR_X2APIC_ID           X2APIC_MSR(APIC_ID)         /* 0x802 */
#define MSR_X2APIC_TPR          X2APIC_MSR(APIC_TPR)        /* 0x808 */
#define MSR_X2APIC_EOI          X2APIC_MSR(APIC_EOI)        /* 0x80B */
#define MSR_X2APIC_ICR          X2APIC_MSR(APIC_ICR_LOW)    /* 0x830: destination in bits 63:32 */
#define   X2APIC_ICR_DEST_SHIFT 32

/* ---- ICR fields (bits 31:0, both modes) ---- */
#define ICR_VECTOR_MASK         0xFF
#define ICR_DELIVERY_MASK       (7 << 8)    /* delivery mode: */
#define   ICR_FIXED             (0 << 8)
#define   ICR_NMI               (4 << 8)
#define   ICR_INIT              (5 << 8)
#define   ICR_STARTUP           (6 << 8)    /* SIPI: the vector is the start page */
#define ICR_LOGICAL             BIT(11)     /* destination mode: logical, else physical */
#define ICR_PENDING             BIT(12)     /* r- delivery status (xAPIC only; reserved in x2APIC mode) */
#define ICR_LEVEL_ASSERT        BIT(14)     /* level: assert (an INIT without it is the old de-assert) */
#define ICR_TRIGGER_LEVEL       BIT(15)
#define ICR_SHORTHAND_MASK      (3 << 18)   /* destination shorthand: */
#define   ICR_NO_SHORTHAND      (0 << 18)   /* the destination field */
#define   ICR_SELF              (1 << 18)
#define   ICR_ALL               (2 << 18)   /* all including self */
#define   ICR_ALL_BUT_SELF      (3 << 18)
/* Bits a WRMSR of the x2APIC ICR must leave clear, or #GP (11.12.9): delivery status, 13, 17:16, 31:20. */
#define ICR_X2APIC_RESERVED     (BIT(12) | BIT(13) | BIT(16) | BIT(17) | 0xFFF00000)

#endif
