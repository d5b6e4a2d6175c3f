/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's life: build the VM, load its image, run it, report how it ended. */
#ifndef VM_GUEST_H
#define VM_GUEST_H

#include "kernel/cmdline.h"
#include "kernel/multiboot.h"

/* Runs the guest the boot modules describe and returns the run's exit status (kernel/exit.h). */
u32 guest_boot(const struct boot_info *bi, struct range hv, const struct options *opt);

#endif
