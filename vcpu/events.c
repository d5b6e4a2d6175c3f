/* SPDX-License-Identifier: BSD-2-Clause */
/* The pending-event ring of a vCPU (pure: unit-tested on the host). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/events.h"

bool events_push(struct event_queue *q, struct event e)
{
    if (q->count == EVENT_QUEUE_SIZE)
        return false;
    q->slot[(q->head + q->count) % EVENT_QUEUE_SIZE] = e;
    q->count++;
    return true;
}

bool events_push_front(struct event_queue *q, struct event e)
{
    if (q->count == EVENT_QUEUE_SIZE)
        return false;
    q->head = (q->head + EVENT_QUEUE_SIZE - 1) % EVENT_QUEUE_SIZE;
    q->slot[q->head] = e;
    q->count++;
    return true;
}

void events_pop(struct event_queue *q)
{
    if (q->count) {
        q->head = (q->head + 1) % EVENT_QUEUE_SIZE;
        q->count--;
    }
}
