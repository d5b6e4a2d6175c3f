/* SPDX-License-Identifier: BSD-2-Clause */
/* VM-exit information decoded once, at the VMX boundary, into plain structs (SDM Vol. 3C 25.9, 28.2). */
#ifndef VCPU_EXIT_DECODE_H
#define VCPU_EXIT_DECODE_H

#include "kernel/types.h"
#include "vcpu/vmx/vmx_defs.h"

/* The exit-reason field (25.9.1). */
struct exit_reason {
    u16 basic;              /* enum vmx_exit_reason */
    bool entry_failure;     /* VM entry failed: basic is 33, 34 or 41, and the guest never ran */
    bool from_vmx_root;
    bool pending_mtf;
    bool enclave;
};

static inline struct exit_reason exit_decode_reason(u32 raw)
{
    return (struct exit_reason){
        .basic = (u16)(raw & EXIT_REASON_BASIC_MASK),
        .entry_failure = raw & EXIT_REASON_ENTRY_FAILURE,
        .from_vmx_root = raw & EXIT_REASON_FROM_VMX_ROOT,
        .pending_mtf = raw & EXIT_REASON_PENDING_MTF,
        .enclave = raw & EXIT_REASON_ENCLAVE,
    };
}

/* Segment registers as the VM-exit instruction-information field numbers them. */
enum seg_reg { SEG_ES = 0, SEG_CS = 1, SEG_SS = 2, SEG_DS = 3, SEG_FS = 4, SEG_GS = 5 };

/* An IN, OUT, INS or OUTS (28.2.1, "Exit Qualification for I/O Instructions"). */
struct io_exit {
    u16 port;
    u8 size;                /* 1, 2 or 4 bytes */
    bool in;                /* IN/INS; otherwise OUT/OUTS */
    bool string;            /* INS/OUTS */
    bool rep;
    bool immediate;         /* port from an immediate operand, else DX */
    /* String forms, from the VM-exit instruction-information field when the CPU reports it: */
    bool addr_known;        /* IA32_VMX_BASIC[54]; otherwise derive the address size from the guest's mode */
    u8 addr_size;           /* 2, 4 or 8: which of SI/ESI/RSI, DI/EDI/RDI and CX/ECX/RCX the instruction uses */
    enum seg_reg segment;   /* of the source for OUTS; always ES for INS, which cannot be overridden */
};

/* I/O qualification bits (SDM Vol. 3C Table 28-5) exit_io tests for IN/OUT without the full decode. */
#define IO_QUAL_SIZE    0x7ULL      /* 0: one byte */
#define IO_QUAL_IN      BIT(3)
#define IO_QUAL_STRING  BIT(4)
#define IO_QUAL_PORT_SHIFT 16

/* The access size from bits 2:0 of an I/O qualification: 0, 1, 3 mean 1, 2, 4 bytes; 0 for the undefined codes. */
static inline unsigned exit_io_size(u64 qualification)
{
    return (0x4021u >> (4 * (qualification & 7))) & 0xF;
}

/*
 * `info` is VM_EXIT_INSTRUCTION_INFO, read for string forms only; `has_info` is vmx_basic_has_ins_outs_info().
 * Returns false for an encoding the SDM marks "not used" (access size 2, address size 3+, segment 6+).
 */
__attribute__((warn_unused_result))
bool exit_decode_io(u64 qualification, u32 info, bool has_info, struct io_exit *out);

/* A MOV to/from CR, CLTS or LMSW (28.2.1, "Exit Qualification for Control-Register Accesses"). */
enum cr_access { CR_MOV_TO = 0, CR_MOV_FROM = 1, CR_CLTS = 2, CR_LMSW = 3 };

struct cr_exit {
    u8 cr;                  /* 0, 3, 4 or 8 */
    enum cr_access access;
    u8 gpr;                 /* MOV CR only: 0 RAX ... 15 R15 (4 = RSP lives in the VMCS, not the saved GPRs) */
    bool lmsw_memory;       /* LMSW only: memory operand; the address is in GUEST_LINEAR_ADDRESS */
    u16 lmsw_data;          /* LMSW only: the source operand */
};

struct cr_exit exit_decode_cr(u64 qualification);

/* An EPT violation (28.2.1, "Exit Qualification for EPT Violations"). */
struct ept_violation {
    u64 gpa;                /* GUEST_PHYSICAL_ADDRESS */
    u64 gla;                /* GUEST_LINEAR_ADDRESS when gla_valid, else 0 */
    bool read, write, fetch;                /* the access that faulted */
    bool readable, writable, executable;    /* what the EPT allowed at that address */
    bool gla_valid;
    bool gla_translated;    /* gla_valid and the access was to gla's translation, not to a guest page table */
    bool nmi_unblocking;    /* the access was by an IRET that unblocked NMIs: re-block them before resuming */
};

/*
 * EPT-violation qualification: access R/W/X in 2:0, the entry's permissions R/W/X in 5:3, linear address valid in
 * 7, translation (not paging-structure) access in 8 when 7 is set, NMI unblocking by IRET in 12. Inline: the MMIO
 * path uses a few of the fields, and the compiler drops the others.
 */
static inline struct ept_violation exit_decode_ept_violation(u64 qualification, u64 gpa, u64 gla)
{
    bool gla_valid = qualification >> 7 & 1;

    return (struct ept_violation){
        .gpa = gpa,
        .gla = gla_valid ? gla : 0,
        .read = qualification & 1,
        .write = qualification >> 1 & 1,
        .fetch = qualification >> 2 & 1,
        .readable = qualification >> 3 & 1,
        .writable = qualification >> 4 & 1,
        .executable = qualification >> 5 & 1,
        .gla_valid = gla_valid,
        .gla_translated = gla_valid && (qualification >> 8 & 1),
        .nmi_unblocking = qualification >> 12 & 1,
    };
}

/* The VM-exit and IDT-vectoring interruption-information fields (25.9.2, 25.9.3, 28.2.2, 28.2.4). */
struct intr_info {
    u8 vector;
    enum intr_type type;
    bool error_code_valid;
    bool nmi_unblocking;    /* VM-exit interruption information only */
    bool valid;
};

struct intr_info exit_decode_intr_info(u32 raw);

/* The VM-entry interruption-information field for injecting an event (25.8.3); always valid. */
u32 intr_info_encode(u8 vector, enum intr_type type, bool error_code_valid);

#endif
