/* SPDX-License-Identifier: BSD-2-Clause */
/* Local APIC registers (SDM Vol. 3A 11.4.1, Table 11-1), their x2APIC MSRs (11.12.1.2) and the ICR's fields
 * (11.6.1), for the host's driver, the guest's IPIs and the test guests. */
#ifndef KERNEL_APIC_REGS_H
#define KERNEL_APIC_REGS_H

#include "kernel/bits.h"

#define XAPIC_DEFAULT_BASE      0xFEE00000  /* where firmware leaves the xAPIC page (IA32_APIC_BASE) */

/* ---- Register offsets in the xAPIC page (Table 11-1); each register is 32 bits at a 16-byte aligned offset ---- */
#define APIC_ID                 0x020       /* rw: bits 31:24 in xAPIC mode, all 32 bits (r-) in x2APIC mode */
#define   XAPIC_ID_SHIFT        24
#define APIC_VERSION            0x030       /* r- */
#define   APIC_VERSION_MASK     0xFF        /* 0x1X: an integrated APIC */
#define   APIC_VERSION_MAXLVT_SHIFT 16      /* 23:16 the highest LVT entry (entries - 1) */
#define   APIC_VERSION_EOI_SUPPRESS BIT(24) /* EOI-broadcast suppression can be enabled in the SVR */
#define APIC_TPR                0x080       /* rw task priority: 0 lets every vector through, 0xF0 none */
#define APIC_APR                0x090       /* r- arbitration priority (xAPIC only) */
#define APIC_PPR                0x0A0       /* r- processor priority: max(TPR, class of the highest ISR vector) */
#define APIC_EOI                0x0B0       /* -w end of interrupt */
#define APIC_RRD                0x0C0       /* r- remote read (xAPIC only, obsolete) */
#define APIC_LDR                0x0D0       /* rw logical destination, 31:24 (xAPIC); r- derived (x2APIC) */
#define   XAPIC_LDR_SHIFT       24
#define APIC_DFR                0x0E0       /* rw destination format, 31:28 (xAPIC only); 27:0 read as ones */
#define   DFR_MODEL_MASK        0xF0000000
#define   DFR_FLAT              0xF0000000
#define   DFR_CLUSTER           0x00000000
#define APIC_SVR                0x0F0       /* rw spurious-interrupt vector */
#define   SVR_VECTOR_MASK       0xFF        /* the vector of a spurious interrupt */
#define   SVR_ENABLE            BIT(8)      /* APIC software enable */
#define   SVR_FOCUS_DISABLE     BIT(9)      /* no focus processor checking in lowest-priority delivery */
#define   SVR_EOI_SUPPRESS      BIT(12)     /* EOI-broadcast suppression (only if the version says so) */
#define APIC_ISR                0x100       /* r- in service, 8 x 32 bits at 0x100, 0x110, ... 0x170 */
#define APIC_TMR                0x180       /* r- trigger mode (1 level), 8 x 32 bits */
#define APIC_IRR                0x200       /* r- requests, 8 x 32 bits */
#define APIC_ESR                0x280       /* rw error status: a write latches the errors since the last one (11.5.3) */
#define   ESR_SEND_CHECKSUM     BIT(0)      /* 0-3: P6/Pentium APIC bus errors, never set here */
#define   ESR_RECV_CHECKSUM     BIT(1)
#define   ESR_SEND_ACCEPT       BIT(2)
#define   ESR_RECV_ACCEPT       BIT(3)
#define   ESR_REDIRECTABLE_IPI  BIT(4)      /* a lowest-priority IPI the APIC cannot send */
#define   ESR_SEND_ILLEGAL_VECTOR BIT(5)    /* an IPI with vector 0-15 */
#define   ESR_RECV_ILLEGAL_VECTOR BIT(6)    /* an interrupt received or raised locally with vector 0-15 */
#define   ESR_ILLEGAL_REGISTER  BIT(7)      /* an access to an unimplemented register (xAPIC only) */
#define APIC_LVT_CMCI           0x2F0       /* rw corrected machine-check interrupt (LVT entry 6) */
#define APIC_ICR_LOW            0x300       /* rw interrupt command, bits 31:0 (the fields below); a write sends */
#define APIC_ICR_HIGH           0x310       /* rw xAPIC destination in bits 31:24 */
#define   XAPIC_ICR_DEST_SHIFT  24
#define APIC_LVT_TIMER          0x320       /* rw LVT entry 0 */
#define APIC_LVT_THERMAL        0x330       /* rw LVT entry 1 */
#define APIC_LVT_PERF           0x340       /* rw LVT entry 2, performance-monitoring counters */
#define APIC_LVT_LINT0          0x350       /* rw LVT entry 3 */
#define APIC_LVT_LINT1          0x360       /* rw LVT entry 4 */
#define APIC_LVT_ERROR          0x370       /* rw LVT entry 5 */
#define APIC_TIMER_INITIAL      0x380       /* rw initial count: a write (re)starts the timer, 0 stops it */
#define APIC_TIMER_CURRENT      0x390       /* r- current count */
#define APIC_TIMER_DIVIDE       0x3E0       /* rw divide configuration, bits 0, 1, 3 (11.5.4) */
#define   TIMER_DIVIDE_MASK     0x0B        /* 0000 /2, 0001 /4, 0010 /8, 0011 /16, 1000 /32 ... 1011 /1 */
#define APIC_SELF_IPI           0x3F0       /* -w x2APIC only: a fixed, edge self-IPI of vector 7:0 */

/* ---- Local vector table entries (Figure 11-8) ---- */
#define LVT_VECTOR_MASK         0xFF
#define LVT_DELIVERY_MASK       (7 << 8)    /* thermal, perf, CMCI, LINT0/1: */
#define   LVT_FIXED             (0 << 8)
#define   LVT_SMI               (2 << 8)
#define   LVT_NMI               (4 << 8)
#define   LVT_INIT              (5 << 8)
#define   LVT_EXTINT            (7 << 8)    /* LINT0: the 8259's INTR, vector from its INTA cycle (virtual wire) */
#define LVT_PENDING             BIT(12)     /* r- delivery status: send pending */
#define LVT_POLARITY_LOW        BIT(13)     /* LINT0/1: the pin is active low */
#define LVT_REMOTE_IRR          BIT(14)     /* r- LINT0/1 fixed level: accepted, waiting for EOI */
#define LVT_LEVEL               BIT(15)     /* LINT0/1 fixed: level-triggered */
#define LVT_MASKED              BIT(16)
#define LVT_TIMER_MODE_MASK     (3 << 17)   /* timer: */
#define   LVT_TIMER_ONESHOT     (0 << 17)
#define   LVT_TIMER_PERIODIC    (1 << 17)
#define   LVT_TIMER_TSC_DEADLINE (2 << 17)  /* only if CPUID.1:ECX[24]; 11 is reserved */

/* ---- x2APIC: register at offset X is MSR 0x800 + X / 16; the ICR is one 64-bit MSR ---- */
#define MSR_X2APIC_FIRST        0x800
#define MSR_X2APIC_LAST         0x8FF
#define X2APIC_MSR(offset)      (MSR_X2APIC_FIRST + (offset) / 16)
#define MSR_X2APIC_ID           X2APIC_MSR(APIC_ID)         /* 0x802 */
#define MSR_X2APIC_TPR          X2APIC_MSR(APIC_TPR)        /* 0x808 */
#define MSR_X2APIC_EOI          X2APIC_MSR(APIC_EOI)        /* 0x80B */
#define MSR_X2APIC_ICR          X2APIC_MSR(APIC_ICR_LOW)    /* 0x830: destination in bits 63:32 */
#define MSR_X2APIC_SELF_IPI     X2APIC_MSR(APIC_SELF_IPI)   /* 0x83F */
#define   X2APIC_ICR_DEST_SHIFT 32

/* ---- ICR fields (bits 31:0, both modes) ---- */
#define ICR_VECTOR_MASK         0xFF
#define ICR_DELIVERY_MASK       (7 << 8)    /* delivery mode: */
#define   ICR_FIXED             (0 << 8)
#define   ICR_LOWEST            (1 << 8)    /* lowest priority among the destinations */
#define   ICR_SMI               (2 << 8)
#define   ICR_NMI               (4 << 8)
#define   ICR_INIT              (5 << 8)
#define   ICR_STARTUP           (6 << 8)    /* SIPI: the vector is the start page */
#define ICR_LOGICAL             BIT(11)     /* destination mode: logical, else physical */
#define ICR_PENDING             BIT(12)     /* r- delivery status (xAPIC only; reserved in x2APIC mode) */
#define ICR_LEVEL_ASSERT        BIT(14)     /* level: assert (an INIT without it is the old de-assert) */
#define ICR_TRIGGER_LEVEL       BIT(15)
#define ICR_SHORTHAND_SHIFT     18
#define ICR_SHORTHAND_MASK      (3 << 18)   /* destination shorthand: */
#define   ICR_NO_SHORTHAND      (0 << 18)   /* the destination field */
#define   ICR_SELF              (1 << 18)
#define   ICR_ALL               (2 << 18)   /* all including self */
#define   ICR_ALL_BUT_SELF      (3 << 18)
/* Bits a WRMSR of the x2APIC ICR must leave clear, or #GP (11.12.9): delivery status, 13, 17:16, 31:20. */
#define ICR_X2APIC_RESERVED     (BIT(12) | BIT(13) | BIT(16) | BIT(17) | 0xFFF00000)

#endif
