/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug-exit port (QEMU's isa-debug-exit at 0xF4): a guest's write ends the run with that code. */
#ifndef DEVICES_DEBUG_EXIT_H
#define DEVICES_DEBUG_EXIT_H

#include "kernel/types.h"

#define DEBUG_EXIT_PORT  0xF4
#define DEBUG_EXIT_PORTS 4

struct debug_exit {
    void (*exit)(void *ctx, u32 code);  /* called once per write, with the value written (any width) */
    void *ctx;
};

u32 debug_exit_io_read(void *dev, u16 offset, unsigned size);
void debug_exit_io_write(void *dev, u16 offset, unsigned size, u32 value);

#endif
