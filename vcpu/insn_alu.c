/* SPDX-License-Identifier: BSD-2-Clause */
/* The arithmetic of the emulated ALU instructions: OR, AND, TEST and CMP with the status flags they set. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/insn_alu.h"
#include "kernel/x86_regs.h"

#define AF_CARRY_BIT BIT(4)     /* AF: the carry or borrow out of bit 3 (SDM Vol. 1 3.4.3.1) */

/* PF: set when the result's low byte has an even number of 1 bits (Vol. 1 3.4.3.1). */
static bool parity_even(u64 value)
{
    return !__builtin_parity((unsigned)(value & 0xFF));
}

u64 insn_alu_apply(enum insn_alu alu, u64 first, u64 second, unsigned size, u64 *rflags)
{
    unsigned bits = 8 * size;
    u64 mask = bits >= 64 ? ~0ULL : (1ULL << bits) - 1, sign = 1ULL << (bits - 1);
    u64 a = first & mask, b = second & mask, r, flags = 0;

    switch (alu) {
    case ALU_OR:
        r = a | b;
        break;
    case ALU_AND:
    case ALU_TEST:
        r = a & b;
        break;
    default:
        /* CMP sets the flags as SUB does: CF the borrow, OF a signed overflow, AF the borrow out of bit 3. */
        r = (a - b) & mask;
        if (a < b)
            flags |= RFLAGS_CF;
        if ((a ^ b) & (a ^ r) & sign)
            flags |= RFLAGS_OF;
        if ((a ^ b ^ r) & AF_CARRY_BIT)
            flags |= RFLAGS_AF;
        break;
    }
    /* OR, AND, TEST clear OF and CF; the SDM leaves AF undefined, so it is cleared (Vol. 2 OR, AND, TEST). */
    if (r == 0)
        flags |= RFLAGS_ZF;
    if (r & sign)
        flags |= RFLAGS_SF;
    if (parity_even(r))
        flags |= RFLAGS_PF;
    *rflags = (*rflags & ~RFLAGS_STATUS) | flags;
    return r;
}
