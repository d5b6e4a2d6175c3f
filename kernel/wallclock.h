/* SPDX-License-Identifier: BSD-2-Clause */
/* Wall-clock time for device models: the host's RTC read once at boot, advanced by the TSC. */
#ifndef KERNEL_WALLCLOCK_H
#define KERNEL_WALLCLOCK_H

#include "kernel/types.h"

/* Reads the physical CMOS RTC (after time_init). Prints the time it found. */
void wallclock_init(void);

/* Nanoseconds since the Unix epoch; never goes backwards, on any CPU. ctx is unused (struct dev_clock). */
u64 wallclock_now_ns(void *ctx);

/* The first TSC value (of the calling CPU) at which wallclock_now_ns reads at least ns: a device deadline as the
 * VMX-preemption timer's. One already reached gives a value in the past. */
u64 wallclock_tsc_at(u64 ns);

#endif
