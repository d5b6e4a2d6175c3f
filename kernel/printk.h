/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel log: whole lines with a CPU prefix, filtered by level (loglevel= on the command line). */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>

#include "kernel/cmdline.h"
#include "kernel/types.h"

/* Prints one line "[cpuN] <msg>" (ERROR and WARN lines add "error: " / "warning: "). */
void printk(enum log_level level, const char *fmt, ...) PRINTF(2, 3);
void vprintk(enum log_level level, const char *fmt, va_list ap);
void printk_set_level(enum log_level level);
/*
 * An INFO line that may wait in the console's queue while the caller runs on (a guest's console lines: the
 * wire's time then overlaps the guest's work); whatever printk prints later comes after it. Returns true when
 * the caller must see that printk_pump runs (every console_fifo_ns) until it returns false.
 */
bool printk_queued(const char *fmt, ...) PRINTF(1, 2);
/* Sends what the UART's FIFO takes of the queue, without waiting; returns whether bytes remain. */
bool printk_pump(void);
/* For the panic path: take the console even if a stopped CPU holds its lock. */
void printk_break_lock(void);
void printk_release_if_owner(void);

#define pr_err(...)   printk(LOG_ERROR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

#endif
