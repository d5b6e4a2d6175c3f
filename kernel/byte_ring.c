/* SPDX-License-Identifier: BSD-2-Clause */
/* A byte queue in a caller's buffer (kernel/byte_ring.h). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/byte_ring.h"

size_t byte_ring_push(struct byte_ring *r, const char *s, size_t n)
{
    size_t done = 0;
    for (; done < n && byte_ring_count(r) < r->size; done++)
        r->buf[r->head++ % r->size] = s[done];
    return done;
}

size_t byte_ring_pop(struct byte_ring *r, char *out, size_t n)
{
    size_t done = 0;
    for (; done < n && r->tail != r->head; done++)
        out[done] = r->buf[r->tail++ % r->size];
    return done;
}
