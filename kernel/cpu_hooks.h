/* SPDX-License-Identifier: BSD-2-Clause */
/* The one hook the host calls in a layer it does not know: what a CPU must do as it stops for good. */
#ifndef KERNEL_CPU_HOOKS_H
#define KERNEL_CPU_HOOKS_H

#include "kernel/types.h"

/*
 * Runs on each CPU as it stops for good: on the CPU that ends the run (run_exit, panics included) after its
 * exit line, and on every other CPU in its NMI stop. `reset`: a reboot follows, which may reach this CPU as
 * an INIT. The VMX layer registers it (VMX operation blocks INIT); it must not wait on other CPUs.
 */
typedef void (*cpu_stop_hook)(bool reset);

/* One hook, set once at boot, before any CPU can stop; NULL clears it. */
void cpu_set_stop_hook(cpu_stop_hook hook);

/* Runs the hook on this CPU, if one is set. */
void cpu_run_stop_hook(bool reset);

#endif
