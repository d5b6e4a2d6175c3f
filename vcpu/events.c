/* SPDX-License-Identifier: BSD-2-Clause */
/* The events a vCPU owes its guest: one exception slot with the double-fault rules, a coalescing NMI, a vector bitmap. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "kernel/x86_regs.h"
#include "vcpu/events.h"
#include "vcpu/vmx/vmx_defs.h"

enum exception_class { BENIGN, CONTRIBUTORY, PAGE_FAULT, DOUBLE_FAULT };

/* SDM Vol. 3A 6.15, Table 6-4: #DE, #TS, #NP, #SS, #GP and #CP are contributory; #VE counts as a page fault. */
static enum exception_class class_of(u8 vector)
{
    switch (vector) {
    case 0: case 10: case 11: case 12: case 13: case VECTOR_CP: return CONTRIBUTORY;
    case VECTOR_PF: case VECTOR_VE: return PAGE_FAULT;
    case VECTOR_DF: return DOUBLE_FAULT;
    default: return BENIGN;
    }
}

/*
 * A second exception while the first is still pending: SDM Vol. 3A 6.15, Table 6-5. Two contributory
 * exceptions, or a page fault followed by a contributory one or a page fault, make a double fault; a
 * contributory exception or page fault on top of a double fault shuts the CPU down; otherwise the first is
 * dropped and the second delivered, as the CPU handles them serially.
 */
enum exception_outcome events_raise_exception(struct vcpu_events *q, struct event e)
{
    if (q->has_exception) {
        enum exception_class first = class_of(q->exception.vector), second = class_of(e.vector);
        bool serious = second == CONTRIBUTORY || second == PAGE_FAULT;
        if (first == DOUBLE_FAULT && serious) {
            q->has_exception = false;
            return EXCEPTION_TRIPLE_FAULT;
        }
        if ((first == CONTRIBUTORY && second == CONTRIBUTORY) || (first == PAGE_FAULT && serious)) {
            q->exception = (struct event){ VECTOR_DF, INTR_TYPE_HW_EXCEPTION, true, 0 };
            return EXCEPTION_DOUBLE_FAULT;
        }
    }
    q->has_exception = true;
    q->exception = e;
    return EXCEPTION_RAISED;
}

void events_raise_vector(struct vcpu_events *q, u8 vector)
{
    q->vectors[vector / 64] |= 1ULL << (vector % 64);
}

int events_highest_vector(const struct vcpu_events *q)
{
    for (int i = 3; i >= 0; i--)
        if (q->vectors[i])
            return i * 64 + 63 - __builtin_clzll(q->vectors[i]);
    return -1;
}

void events_take_vector(struct vcpu_events *q, u8 vector)
{
    q->vectors[vector / 64] &= ~(1ULL << (vector % 64));
}
