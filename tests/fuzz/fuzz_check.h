/* SPDX-License-Identifier: BSD-2-Clause */
/* What the fuzz targets share: an invariant check that names the broken invariant and aborts. */
#ifndef TESTS_FUZZ_CHECK_H
#define TESTS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define INVARIANT(c)                                                             \
    do {                                                                         \
        if (!(c)) {                                                              \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
            abort();                                                             \
        }                                                                        \
    } while (0)

#endif
