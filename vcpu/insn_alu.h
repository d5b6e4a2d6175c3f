/* SPDX-License-Identifier: BSD-2-Clause */
/* The arithmetic of the emulated ALU instructions (OR, AND, CMP, TEST): the result and the status flags. */
#ifndef VCPU_INSN_ALU_H
#define VCPU_INSN_ALU_H

#include "kernel/types.h"
#include "vcpu/insn_decode.h"

/* OR and AND write their result to the first operand; CMP and TEST only set flags. */
static inline bool insn_alu_writes(enum insn_alu alu)
{
    return alu == ALU_OR || alu == ALU_AND;
}

/*
 * `first` op `second` at `size` bytes (1, 2, 4, 8): returns the result (CMP: first - second) in the low `size`
 * bytes, and replaces the status flags (RFLAGS_STATUS) in *rflags as the instruction does; other bits are kept.
 */
u64 insn_alu_apply(enum insn_alu alu, u64 first, u64 second, unsigned size, u64 *rflags);

#endif
