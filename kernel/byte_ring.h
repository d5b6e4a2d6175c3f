/* SPDX-License-Identifier: BSD-2-Clause */
/* A byte queue in a caller's buffer: what the console holds for the UART while the guest runs on. */
#ifndef KERNEL_BYTE_RING_H
#define KERNEL_BYTE_RING_H

#include "kernel/types.h"

/* head and tail count every byte ever pushed and popped, so full and empty differ without a spare slot. */
struct byte_ring {
    char *buf;
    size_t size;
    u64 head, tail;
};

static inline size_t byte_ring_count(const struct byte_ring *r) { return (size_t)(r->head - r->tail); }
static inline size_t byte_ring_space(const struct byte_ring *r) { return r->size - byte_ring_count(r); }

/* Appends as many of the n bytes as fit; returns how many. */
size_t byte_ring_push(struct byte_ring *r, const char *s, size_t n);
/* Takes up to n bytes, oldest first; returns how many. */
size_t byte_ring_pop(struct byte_ring *r, char *out, size_t n);

#endif
