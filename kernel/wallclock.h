/* SPDX-License-Identifier: BSD-2-Clause */
/* Wall-clock time for device models: the host's RTC read once at boot, advanced by the TSC. */
#ifndef KERNEL_WALLCLOCK_H
#define KERNEL_WALLCLOCK_H

#include "kernel/types.h"

/* Reads the physical CMOS RTC (after time_init). Prints the time it found. */
void wallclock_init(void);

/* Nanoseconds since the Unix epoch; never goes backwards, on any CPU. ctx is unused (struct dev_clock). */
u64 wallclock_now_ns(void *ctx);

#endif
