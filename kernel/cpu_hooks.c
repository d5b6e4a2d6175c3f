/* SPDX-License-Identifier: BSD-2-Clause */
/* The stop hook: kept here so that exit and the NMI stop need not know who set it. */
#include "kernel/cpu_hooks.h"

static cpu_stop_hook stop_hook;

void cpu_set_stop_hook(cpu_stop_hook hook)
{
    __atomic_store_n(&stop_hook, hook, __ATOMIC_RELEASE);
}

void cpu_run_stop_hook(bool reset)
{
    cpu_stop_hook hook = __atomic_load_n(&stop_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(reset);
}
