/* SPDX-License-Identifier: BSD-2-Clause */
/* The physical console: the 16550 UART at COM1, 115200 8N1, polled. */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include "kernel/types.h"

void console_init(void);
/* Writes raw bytes, after whatever is queued; "\n" becomes "\r\n". Callers serialise through printk's lock. */
void console_write(const char *s, size_t n);
/*
 * Queues bytes for the UART and sends what its FIFO takes now, without waiting (waiting only for the oldest
 * bytes when the queue is full); with no FIFO, console_write. Returns true when the queue was empty before and
 * holds bytes now: the caller then makes sure console_pump runs until it returns false. printk's lock held.
 */
bool console_write_queued(const char *s, size_t n);
/* Sends what the FIFO takes of the queue now, without waiting; returns whether bytes remain. printk's lock held. */
bool console_pump(void);
/* How long the UART takes to send a FIFO-full: how often console_pump keeps it busy. */
u64 console_fifo_ns(void);
/* Typed input, without waiting: the next received byte or -1; console_getc() consumes it. One reader only. */
int console_peek(void);
void console_getc(void);
/* Sends the queue and waits until the last byte has left the UART, so an exit port does not cut the log short. */
void console_flush(void);
/* Forgets what the transmit FIFO was known to hold room for: printk's lock was given up by a CPU that may have
 * stopped between a byte and its count, so the next byte waits for THRE instead of overrunning the FIFO. */
void console_resync(void);

#endif
