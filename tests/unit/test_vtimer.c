/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for a vCPU's timer list: due and poked timers fire, the earliest deadline is kept. */
#include "unit.h"
#include "vcpu/vtimer.h"

static u64 clock_now;

static u64 test_now(void)
{
    return clock_now;
}

struct test_timer {
    struct vtimer t;        /* first: the fire functions cast back */
    u64 period;             /* 0: one deadline, then none */
    u64 next;
    unsigned fired;
    struct vtimer *pokes;   /* poked by this timer's fire */
};

static u64 fire_periodic(struct vtimer *t, u64 now)
{
    struct test_timer *tt = (struct test_timer *)t;
    tt->fired++;
    if (tt->pokes)
        vtimer_poke(tt->pokes);
    if (now >= tt->next)
        tt->next = tt->period ? now + tt->period : VTIMER_NONE;
    return tt->next;
}

TEST(vtimer_new_timers_compute_their_deadline_first)
{
    struct vtimer_list l = { NULL, VTIMER_NONE };
    struct test_timer a = { { .fire = fire_periodic }, 100, 100, 0, NULL }, b = { { .fire = fire_periodic }, 0, 50, 0, NULL };
    clock_now = 0;
    vtimer_add(&l, &a.t);
    vtimer_add(&l, &b.t);
    CHECK(vtimer_due(&l, 0));
    CHECK_EQ(vtimer_run(&l, test_now), 50);
    CHECK_EQ(a.fired, 1);
    CHECK_EQ(b.fired, 1);
    CHECK(!vtimer_due(&l, 49));
    CHECK(vtimer_due(&l, 50));
}

TEST(vtimer_only_due_or_poked_timers_fire)
{
    struct vtimer_list l = { NULL, VTIMER_NONE };
    struct test_timer a = { { .fire = fire_periodic }, 100, 100, 0, NULL }, b = { { .fire = fire_periodic }, 0, 50, 0, NULL };
    clock_now = 0;
    vtimer_add(&l, &a.t);
    vtimer_add(&l, &b.t);
    vtimer_run(&l, test_now);
    clock_now = 60;                         /* b is due, a is not */
    CHECK_EQ(vtimer_run(&l, test_now), 100);
    CHECK_EQ(a.fired, 1);
    CHECK_EQ(b.fired, 2);
    CHECK_EQ(b.t.deadline, VTIMER_NONE);    /* one-shot: done */
    vtimer_poke(&b.t);                      /* its inputs changed: it runs though not due */
    CHECK_EQ(vtimer_run(&l, test_now), 100);
    CHECK_EQ(b.fired, 3);
    CHECK_EQ(a.fired, 1);
    clock_now = 250;                        /* late: a fires once and rearms from now */
    CHECK_EQ(vtimer_run(&l, test_now), 350);
    CHECK_EQ(a.fired, 2);
}

TEST(vtimer_a_poke_from_a_fire_is_served_in_the_same_run)
{
    struct vtimer_list l = { NULL, VTIMER_NONE };
    struct test_timer a = { { .fire = fire_periodic }, 0, VTIMER_NONE, 0, NULL }, b = { { .fire = fire_periodic }, 0, 80, 0, NULL };
    clock_now = 0;
    vtimer_add(&l, &a.t);
    vtimer_add(&l, &b.t);
    vtimer_run(&l, test_now);
    b.pokes = &a.t;                         /* b pokes a, which comes before it in the list */
    clock_now = 80;
    vtimer_run(&l, test_now);
    CHECK_EQ(a.fired, 2);
    CHECK(!a.t.poked);
}

TEST(vtimer_poking_loops_are_bounded)
{
    struct vtimer_list l = { NULL, VTIMER_NONE };
    struct test_timer a = { { .fire = fire_periodic }, 0, VTIMER_NONE, 0, NULL };
    a.pokes = &a.t;                         /* pokes itself on every fire: the run still ends */
    clock_now = 0;
    vtimer_add(&l, &a.t);
    vtimer_run(&l, test_now);
    CHECK(a.fired >= 2);
    CHECK(a.fired <= 8);
}

TEST(vtimer_empty_list_has_no_deadline)
{
    struct vtimer_list l = { NULL, VTIMER_NONE };
    clock_now = 5;
    CHECK(!vtimer_due(&l, 5));
    CHECK_EQ(vtimer_run(&l, test_now), VTIMER_NONE);
}
