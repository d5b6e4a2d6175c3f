/* SPDX-License-Identifier: BSD-2-Clause */
/* Time from the TSC: its frequency, calibrated once at boot, and busy-wait delays. */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include "kernel/types.h"

/* Calibrates the TSC (CPUID 0x15/0x16 where they answer, else the PIT) and prints the result. */
void time_init(void);
u64 tsc_hz(void);
u64 tsc_deadline_us(u64 us);    /* the TSC value us microseconds from now */
void delay_us(u64 us);

#endif
