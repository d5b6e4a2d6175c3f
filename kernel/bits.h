/* SPDX-License-Identifier: BSD-2-Clause */
/* BIT(n) for the vocabulary headers that assembly includes too: the assembler has no ULL suffix. */
#ifndef KERNEL_BITS_H
#define KERNEL_BITS_H

#ifdef __ASSEMBLY__
#define BIT(n)          (1 << (n))
#else
#include "kernel/types.h"
#endif

#endif
