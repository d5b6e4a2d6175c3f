/* SPDX-License-Identifier: BSD-2-Clause */
/* The physical console: the 16550 UART at COM1, 115200 8N1, polled. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

void console_init(void);
/* Writes raw bytes; "\n" becomes "\r\n". Callers serialise through printk's lock. */
void console_write(const char *s, size_t n);
/* Typed input, without waiting: the next received byte or -1; console_getc() consumes it. One reader only. */
int console_peek(void);
void console_getc(void);
/* Waits until the last byte has left the UART, so an exit port does not cut the log short. */
void console_flush(void);
/* Forgets what the transmit FIFO was known to hold room for: printk's lock was given up by a CPU that may have
 * stopped between a byte and its count, so the next byte waits for THRE instead of overrunning the FIFO. */
void console_resync(void);

#endif
