/* SPDX-License-Identifier: BSD-2-Clause */
/* Register-width arithmetic for emulated writes (pure). */
#ifndef VCPU_GPR_H
#define VCPU_GPR_H

#include "kernel/types.h"

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
