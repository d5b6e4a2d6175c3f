/* SPDX-License-Identifier: BSD-2-Clause */
/* Timers a vCPU serves on the VMX-preemption timer: each says when it is next due and what to do then. */
#ifndef VCPU_VTIMER_H
#define VCPU_VTIMER_H

#include "kernel/types.h"

#define VTIMER_NONE UINT64_MAX      /* no deadline: the timer sleeps until it is poked */

/*
 * A device's (or a local APIC's) timer, on the list of the vCPU that serves it. `fire` runs on that vCPU,
 * before an entry, when the deadline has passed or someone poked the timer: it does what is due and returns
 * the next deadline as a TSC value (VTIMER_NONE for none). Only the serving vCPU writes `deadline`; any CPU
 * may poke (the deadline's inputs changed: a guest wrote a register on another vCPU), through vcpu_poke_timer.
 */
struct vtimer {
    u64 (*fire)(struct vtimer *t, u64 now_tsc);
    u64 deadline;
    bool poked;
    struct vtimer *next;
};

struct vtimer_list {
    struct vtimer *first;
    u64 deadline;               /* the earliest of the timers' deadlines, VTIMER_NONE if none */
};

/* Adds t, poked so that it computes its first deadline before the vCPU next runs guest code. */
void vtimer_add(struct vtimer_list *l, struct vtimer *t);

/* Marks t poked (any CPU): its inputs changed. The caller then makes the serving vCPU look (vcpu_poke_timer). */
static inline void vtimer_poke(struct vtimer *t)
{
    __atomic_store_n(&t->poked, true, __ATOMIC_RELEASE);
}

/* Whether vtimer_run has work at `now`: a deadline passed (a poke comes with its own request to the vCPU). */
static inline bool vtimer_due(const struct vtimer_list *l, u64 now)
{
    return now >= l->deadline;
}

/*
 * Fires every timer that is due or poked, in list order, until none is (a timer's fire may poke another);
 * returns the earliest deadline left. `now` reads the clock (the TSC; a counter in unit tests).
 */
u64 vtimer_run(struct vtimer_list *l, u64 (*now)(void));

#endif
