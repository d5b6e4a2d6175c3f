/* SPDX-License-Identifier: BSD-2-Clause */
/* The general registers by the SDM's index, and register-width arithmetic for emulated writes (pure). */
#ifndef VCPU_GPR_H
#define VCPU_GPR_H

#include "kernel/types.h"

/* General registers by the SDM's index: 0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP, 5 RBP, 6 RSI, 7 RDI, 8-15 R8-R15
 * (SDM Vol. 2A 2.1.5, Table 2-2; REX.R/X/B supply bit 3, 2.2.1.2). */
enum gpr { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15, GPR_COUNT };

/*
 * The value a register holds after an instruction writes `size` bytes of `value` into it (SDM Vol. 1 3.4.1.1):
 * a 32-bit write zero-extends to 64 bits; 8- and 16-bit writes leave the upper bits as they were.
 */
static inline u64 gpr_merge(u64 old, u64 value, unsigned size)
{
    switch (size) {
    case 1: return (old & ~0xFFULL) | (value & 0xFF);
    case 2: return (old & ~0xFFFFULL) | (value & 0xFFFF);
    case 4: return value & 0xFFFFFFFFULL;
    default: return value;
    }
}

#endif
