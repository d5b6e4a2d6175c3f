/* SPDX-License-Identifier: BSD-2-Clause */
/* Debug-exit device: like QEMU's isa-debug-exit, a write of any width at its base hands the value on. */
#include "devices/debug_exit.h"

u32 debug_exit_io_read(void *dev, u16 offset, unsigned size)
{
    (void)dev;
    (void)offset;
    (void)size;
    return 0xFFFFFFFF;      /* nothing to read: the floating bus */
}

void debug_exit_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct debug_exit *d = dev;
    (void)size;
    if (offset == 0)
        d->exit(d->ctx, value);
}
