/* SPDX-License-Identifier: BSD-2-Clause */
/* ASSERT: our own bugs. In the hypervisor it panics with file:line; in host unit tests it is libc assert. */
#ifndef KERNEL_ASSERT_H
#define KERNEL_ASSERT_H

#if __STDC_HOSTED__
#include <assert.h>
#define ASSERT(c) assert(c)
#else
#include "kernel/panic.h"
#define ASSERT(c) \
    do { if (!(c)) panic_at(__FILE__, __LINE__, "assertion failed: %s", #c); } while (0)
#endif

#endif
