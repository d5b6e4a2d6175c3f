/* SPDX-License-Identifier: BSD-2-Clause */
/* A vCPU's timer list: fire what is due or poked, keep the earliest deadline for the VMX-preemption timer. */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/vtimer.h"

#define VTIMER_PASSES 4     /* a fire that pokes an earlier timer costs another pass; more is a loop of pokes */

void vtimer_add(struct vtimer_list *l, struct vtimer *t)
{
    struct vtimer **p = &l->first;
    while (*p)
        p = &(*p)->next;
    t->next = NULL;
    t->deadline = VTIMER_NONE;
    t->poked = true;
    *p = t;
    l->deadline = 0;        /* due at once: the first pass computes its deadline */
}

u64 vtimer_run(struct vtimer_list *l, u64 (*now)(void))
{
    u64 earliest = VTIMER_NONE;
    for (int pass = 0; pass < VTIMER_PASSES; pass++) {
        bool fired = false;
        u64 t_now = now();
        earliest = VTIMER_NONE;
        for (struct vtimer *t = l->first; t; t = t->next) {
            /* The poke is taken before fire reads the inputs, so a poke during fire is seen next time. */
            if (__atomic_exchange_n(&t->poked, false, __ATOMIC_ACQ_REL) || t_now >= t->deadline) {
                t->deadline = t->fire(t, t_now);
                fired = true;
            }
            earliest = earliest < t->deadline ? earliest : t->deadline;
        }
        if (!fired)
            break;
        bool again = false;
        for (struct vtimer *t = l->first; t; t = t->next)
            again |= __atomic_load_n(&t->poked, __ATOMIC_ACQUIRE);
        if (!again)
            break;
    }
    l->deadline = earliest;
    return earliest;
}
