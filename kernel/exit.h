/* SPDX-License-Identifier: BSD-2-Clause */
/* Ending a run with a status the caller can read. The values are an interface: see README "Exit status". */
#ifndef KERNEL_EXIT_H
#define KERNEL_EXIT_H

#include "kernel/cmdline.h"
#include "kernel/types.h"

enum exit_status {
    EXIT_OK            = 0,     /* the run finished cleanly (0-119 may also be a guest's own code) */
    EXIT_BAD_BOOT_INFO = 120,   /* the boot loader's information was missing or malformed */
    EXIT_NO_VMX        = 121,   /* the machine lacks a hardware feature the hypervisor needs */
    EXIT_VM_STOPPED    = 122,   /* a guest misbehaved and the hypervisor stopped it */
    EXIT_PANIC         = 123,   /* the hypervisor hit a bug of its own (panic or CPU exception) */
    EXIT_GUEST_RESET   = 124,   /* the guest reset the machine (0xCF9, 8042, port 0x92, ACPI, triple fault) */
    EXIT_GUEST_SLEEP   = 125,   /* the guest asked for an ACPI sleep state other than S5 (S1-S4) */
};

void exit_set_action(enum exit_action action);

/* Stops the other CPUs, prints "exit: status=N (name)", runs the stop hook and ends the run as on_exit= says. */
NORETURN void run_exit(u32 status);

const char *exit_status_name(u32 status);

/* Whether the run ends in a reboot (on_exit=reboot): the CPUs must then let a reset's INIT through. */
bool exit_resets(void);

#endif
