/* SPDX-License-Identifier: BSD-2-Clause */
/* TSC ticks to nanoseconds by one multiplication: the scale is nanoseconds per tick in 32.32 fixed point. */
#ifndef KERNEL_TSC_NS_H
#define KERNEL_TSC_NS_H

#include "kernel/types.h"

#define TSC_NS_SHIFT 32

/*
 * The scale for a TSC of hz ticks per second (hz >= 1). 10^9 << 32 fits in 64 bits, so no 128-bit division
 * is needed. Truncation makes time run slow by less than 2^-32 ns a tick: 0.1 ms a day at 5 GHz, less below.
 */
static inline u64 tsc_ns_scale(u64 hz)
{
    return (1000000000ULL << TSC_NS_SHIFT) / hz;
}

/* ticks * scale >> 32 with a 128-bit product: exact to the scale's precision for any tick count. */
static inline u64 tsc_ticks_to_ns(u64 ticks, u64 scale)
{
    return (u64)(((unsigned __int128)ticks * scale) >> TSC_NS_SHIFT);
}

/*
 * The inverse for deadlines: the fewest ticks at which tsc_ticks_to_ns reads at least ns (UINT64_MAX if none
 * fits). Rounding up matters: a timer armed for fewer ticks ends a moment before the deadline, when the clock
 * still reads earlier and the device has nothing to do yet, and costs a second exit right after.
 */
static inline u64 tsc_ns_to_ticks_ceil(u64 ns, u64 scale)
{
    unsigned __int128 n = ((unsigned __int128)ns << TSC_NS_SHIFT) + scale - 1;
    u64 hi = (u64)(n >> 64), lo = (u64)n, q, r;
    if (hi >= scale)
        return UINT64_MAX;                  /* the quotient needs more than 64 bits */
    /* DIV: RDX:RAX / scale, which fits as checked (the hypervisor has no 128-bit division routine) */
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(scale) : "cc");
    (void)r;
    return q;
}

#endif
