/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the emulated ALU arithmetic: results and status flags checked against the SDM's definitions. */
#include "kernel/x86_regs.h"
#include "unit.h"
#include "vcpu/insn_alu.h"

#define KEEP (RFLAGS_RESERVED1 | RFLAGS_IF)     /* bits the operation must leave alone */

static u64 flags_of(enum insn_alu alu, u64 a, u64 b, unsigned size, u64 *result)
{
    u64 rflags = KEEP | RFLAGS_STATUS;          /* every status flag set before: each must be recomputed */
    *result = insn_alu_apply(alu, a, b, size, &rflags);
    CHECK_EQ(rflags & ~RFLAGS_STATUS, KEEP);
    return rflags & RFLAGS_STATUS;
}

TEST(insn_alu_or_and_test)
{
    u64 r;
    CHECK_EQ(flags_of(ALU_OR, 0x1ff, 0x100, 4, &r), RFLAGS_PF);     /* 0x1ff: low byte 0xff, 8 ones */
    CHECK_EQ(r, 0x1ff);
    CHECK_EQ(flags_of(ALU_AND, 0xfffffffff0ULL, 0x0f, 4, &r), RFLAGS_ZF | RFLAGS_PF);
    CHECK_EQ(r, 0);
    CHECK_EQ(flags_of(ALU_TEST, 0x80, 0xff, 1, &r), RFLAGS_SF);     /* 0x80: one bit, odd parity */
    CHECK_EQ(r, 0x80);
    CHECK_EQ(flags_of(ALU_OR, 0x8000000000000000ULL, 1, 8, &r), RFLAGS_SF);
    CHECK_EQ(r, 0x8000000000000001ULL);
    CHECK_EQ(flags_of(ALU_AND, 0x12345678, 0xffff0000, 2, &r), RFLAGS_ZF | RFLAGS_PF);   /* only 16 bits count */
    CHECK(insn_alu_writes(ALU_OR) && insn_alu_writes(ALU_AND));
    CHECK(!insn_alu_writes(ALU_CMP) && !insn_alu_writes(ALU_TEST));
}

TEST(insn_alu_cmp_flags_as_sub)
{
    u64 r;
    CHECK_EQ(flags_of(ALU_CMP, 5, 5, 4, &r), RFLAGS_ZF | RFLAGS_PF);
    CHECK_EQ(r, 0);
    /* 0 - 1: borrow, all ones (even parity), negative, borrow out of bit 3. */
    CHECK_EQ(flags_of(ALU_CMP, 0, 1, 4, &r), RFLAGS_CF | RFLAGS_SF | RFLAGS_PF | RFLAGS_AF);
    CHECK_EQ(r, 0xffffffff);
    /* 0x80 - 1 = 0x7f at 8 bits: signed overflow (-128 - 1), no borrow, AF from 0 - 1 in the low nibble. */
    CHECK_EQ(flags_of(ALU_CMP, 0x80, 1, 1, &r), RFLAGS_OF | RFLAGS_AF);
    CHECK_EQ(r, 0x7f);
    /* 0x7fff - 0xffff at 16 bits: 32767 - (-1) overflows; borrow as unsigned. */
    CHECK_EQ(flags_of(ALU_CMP, 0x7fff, 0xffff, 2, &r), RFLAGS_OF | RFLAGS_CF | RFLAGS_SF | RFLAGS_PF);
    CHECK_EQ(r, 0x8000);
    /* 0x10 - 1 = 0x0f: the borrow out of bit 3 alone, and four ones (even parity). */
    CHECK_EQ(flags_of(ALU_CMP, 0x10, 0x01, 8, &r), RFLAGS_AF | RFLAGS_PF);
    CHECK_EQ(r, 0x0f);
}
