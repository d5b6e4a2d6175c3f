/* SPDX-License-Identifier: BSD-2-Clause */
/* panic: the hypervisor found a bug of its own. Report, stop every CPU, end the run with EXIT_PANIC. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/types.h"

NORETURN void panic_at(const char *file, int line, const char *fmt, ...) PRINTF(3, 4);
#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)

/* Prints a frame-pointer backtrace with symbol names from rip, frame pointer rbp and (for a trap) rsp. */
void print_backtrace(u64 rip, u64 rbp, u64 rsp);

#endif
