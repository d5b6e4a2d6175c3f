/* SPDX-License-Identifier: BSD-2-Clause */
/* A small vsnprintf: %d %i %u %x %X %p %s %c %%, flags '-' '0' '#', width, precision, l/ll/z/h/hh. */
#ifndef KERNEL_FORMAT_H
#define KERNEL_FORMAT_H

#include <stdarg.h>

#include "kernel/types.h"

/* Formats into buf (always NUL-terminated when size > 0); returns the length the full output would have. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) PRINTF(3, 4);

#endif
