/* SPDX-License-Identifier: BSD-2-Clause */
/* The UART back end's line assembler: the guest's transmitted bytes become whole "[guest] ..." console lines. */
#ifndef DEVICES_GUEST_CONSOLE_H
#define DEVICES_GUEST_CONSOLE_H

#include "kernel/spinlock.h"
#include "kernel/types.h"

#define GUEST_LINE_PREFIX "[guest] "
#define GUEST_LINE_MAX 160      /* text bytes per line; a longer line continues on the next "[guest] " line */

/*
 * emit(ctx, line, len) receives one whole line: the prefix, the text with control bytes shown as \xNN (a tab
 * stays a tab), and a final '\n'; never NUL-terminated. A CR before LF is dropped, so CRLF and LF guests look the
 * same. emit runs under the assembler's lock, so lines from one guest console never interleave; it may take the
 * physical console's lock but nothing that calls back in here.
 */
struct guest_console {
    struct spinlock lock;
    void (*emit)(void *ctx, const char *line, size_t len);
    void *ctx;
    size_t len;                 /* bytes in line[] after the prefix */
    bool cr;                    /* a CR is held back to see whether LF follows */
    char line[sizeof(GUEST_LINE_PREFIX) - 1 + GUEST_LINE_MAX + 1];
};

void guest_console_init(struct guest_console *c, void (*emit)(void *ctx, const char *line, size_t len), void *ctx);
/* One transmitted byte (from uart_tx_pop()). */
void guest_console_put(struct guest_console *c, u8 byte);
/* Emit a partial line now (a prompt with no newline yet, or the VM stopping); nothing if the line is empty. */
void guest_console_flush(struct guest_console *c);

#endif
