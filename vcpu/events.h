/* SPDX-License-Identifier: BSD-2-Clause */
/* What a vCPU owes its guest: an exception, an NMI, external-interrupt vectors; delivered when the guest can take them. */
#ifndef VCPU_EVENTS_H
#define VCPU_EVENTS_H

#include "kernel/types.h"

struct event {
    u8 vector;
    u8 type;            /* enum intr_type */
    bool has_error;
    u32 error;
};

/*
 * None of these can overflow, as in the hardware: at most one exception is pending (a second one while it
 * waits combines with it, SDM Vol. 3A 6.15 Table 6-5), NMIs coalesce into one pending NMI (SDM Vol. 3A 6.7.1),
 * and external-interrupt vectors are one bit each, like a local APIC's IRR, delivered highest first.
 */
struct vcpu_events {
    bool has_exception;
    bool nmi;
    struct event exception;
    u64 vectors[4];
};

enum exception_outcome {
    EXCEPTION_RAISED,           /* pending now (alone, or benign next to the one that was) */
    EXCEPTION_DOUBLE_FAULT,     /* the two combined into #DF(0) */
    EXCEPTION_TRIPLE_FAULT,     /* a fault while delivering #DF: the CPU shuts down (the caller stops the VM) */
};

/* Raises a hardware exception (type INTR_TYPE_HW_EXCEPTION or a software one). */
enum exception_outcome events_raise_exception(struct vcpu_events *q, struct event e);
static inline void events_raise_nmi(struct vcpu_events *q) { q->nmi = true; }
void events_raise_vector(struct vcpu_events *q, u8 vector);
/* The highest pending external-interrupt vector, or -1; events_take_vector clears it. */
int events_highest_vector(const struct vcpu_events *q);
void events_take_vector(struct vcpu_events *q, u8 vector);

static inline bool events_has_vector(const struct vcpu_events *q)
{
    return (q->vectors[0] | q->vectors[1] | q->vectors[2] | q->vectors[3]) != 0;
}

static inline bool events_empty(const struct vcpu_events *q)
{
    return !q->has_exception && !q->nmi && !events_has_vector(q);
}

#endif
