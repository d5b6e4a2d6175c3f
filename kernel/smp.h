/* SPDX-License-Identifier: BSD-2-Clause */
/* SMP: start every CPU the MADT lists, run functions on them, stop them all. */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include "kernel/acpi_tables.h"
#include "kernel/multiboot.h"
#include "kernel/percpu.h"

#define HV_MAX_CPUS ACPI_MAX_CPUS

/* Starts the application processors (INIT-SIPI-SIPI, one at a time) and prints "smp: N of M CPUs online". */
void smp_init(const struct acpi_info *acpi, const struct boot_info *bi);

u32 smp_cpu_count(void);
struct percpu *smp_cpu(u32 index);

/* Runs fn(arg) on every online CPU, the calling one included, and waits until all have returned. */
void smp_call_all(void (*fn)(void *arg), void *arg);

/* Runs fn(arg) on CPU `index` and waits until it has returned. */
void smp_call_on(u32 index, void (*fn)(void *arg), void *arg);

/* Starts fn(arg) on CPU `index` (not this one) and returns at once; false if that CPU is busy with a call. */
bool smp_post(u32 index, void (*fn)(void *arg), void *arg);

/* Stops every other CPU with an NMI (for panics and the end of a run); idempotent, never fails. */
void smp_stop_others(void);

/* The stop owner printed its exit line: stopped CPUs may now run the stop hook (which may lose them). */
void smp_exit_reported(void);

/* The NMI handler's part: true if this NMI was a stop request (then it does not return). */
bool smp_nmi_stop(void);

#endif
