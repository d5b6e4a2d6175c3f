/* SPDX-License-Identifier: BSD-2-Clause */
/* Exit qualification, instruction and interruption information to plain structs. Two exits read qualification
 * bits themselves: exit_io.c, for speed, takes IN/OUT straight from them (IO_QUAL_* and exit_io_size in
 * exit_decode.h) and comes here only for INS/OUTS; exit_sipi (exit_events.c) takes the vector, the low byte. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/exit_decode.h"

static u32 bits(u64 v, unsigned hi, unsigned lo)
{
    return (u32)((v >> lo) & ((1ULL << (hi - lo + 1)) - 1));
}

/* I/O qualification: size-1 in 2:0, IN in 3, string in 4, REP in 5, immediate in 6, port in 31:16. */
bool exit_decode_io(u64 qualification, u32 info, bool has_info, struct io_exit *out)
{
    /* Instruction information for INS/OUTS: address size in 9:7 (0 = 16, 1 = 32, 2 = 64 bit), segment in 17:15. */
    static const u8 addr_sizes[8] = { [0] = 2, [1] = 4, [2] = 8 };

    *out = (struct io_exit){
        .port = (u16)bits(qualification, 31, 16),
        .size = (u8)exit_io_size(qualification),
        .in = bits(qualification, 3, 3),
        .string = bits(qualification, 4, 4),
        .rep = bits(qualification, 5, 5),
        .immediate = bits(qualification, 6, 6),
        .segment = SEG_ES,
    };
    /* Without instruction information the segment is the default: ES for INS (fixed), DS for OUTS. */
    if (!out->in)
        out->segment = SEG_DS;
    if (!out->size)
        return false;
    if (!out->string || !has_info)
        return true;

    out->addr_known = true;
    out->addr_size = addr_sizes[bits(info, 9, 7)];
    if (!out->in)
        out->segment = (enum seg_reg)bits(info, 17, 15);
    return out->addr_size && out->segment <= SEG_GS;
}

/* CR qualification: CR in 3:0, access type in 5:4, LMSW operand type in 6, GPR in 11:8, LMSW data in 31:16. */
struct cr_exit exit_decode_cr(u64 qualification)
{
    struct cr_exit cr = {
        .cr = (u8)bits(qualification, 3, 0),
        .access = (enum cr_access)bits(qualification, 5, 4),
    };

    if (cr.access == CR_MOV_TO || cr.access == CR_MOV_FROM)
        cr.gpr = (u8)bits(qualification, 11, 8);
    if (cr.access == CR_LMSW) {
        cr.lmsw_memory = bits(qualification, 6, 6);
        cr.lmsw_data = (u16)bits(qualification, 31, 16);
    }
    return cr;
}

struct intr_info exit_decode_intr_info(u32 raw)
{
    return (struct intr_info){
        .vector = (u8)(raw & INTR_INFO_VECTOR_MASK),
        .type = (enum intr_type)((raw & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT),
        .error_code_valid = raw & INTR_INFO_ERROR_CODE_VALID,
        .nmi_unblocking = raw & INTR_INFO_NMI_UNBLOCKING,
        .valid = raw & INTR_INFO_VALID,
    };
}

u32 intr_info_encode(u8 vector, enum intr_type type, bool error_code_valid)
{
    u32 type_bits = ((u32)type << INTR_INFO_TYPE_SHIFT) & INTR_INFO_TYPE_MASK;

    return (u32)(INTR_INFO_VALID | type_bits | (error_code_valid ? INTR_INFO_ERROR_CODE_VALID : 0) | vector);
}
