/* SPDX-License-Identifier: BSD-2-Clause */
/* A vCPU's queue of pending events (vector, type, error code), delivered on VM entry when the guest can take them. */
#ifndef VCPU_EVENTS_H
#define VCPU_EVENTS_H

#include "kernel/types.h"

#define EVENT_QUEUE_SIZE 16

struct event {
    u8 vector;
    u8 type;            /* enum intr_type */
    bool has_error;
    u32 error;
};

/* Exceptions and NMIs go before external interrupts: they come from the instruction just run. */
struct event_queue {
    u32 head, count;
    struct event slot[EVENT_QUEUE_SIZE];
};

/* Returns false when the queue is full (the caller reports: an event must never vanish silently). */
bool events_push(struct event_queue *q, struct event e);
/* Puts an event in front of the others (an exception, or an event whose delivery a VM exit interrupted). */
bool events_push_front(struct event_queue *q, struct event e);
static inline bool events_empty(const struct event_queue *q) { return q->count == 0; }
static inline const struct event *events_peek(const struct event_queue *q) { return &q->slot[q->head]; }
void events_pop(struct event_queue *q);

#endif
