/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the vCPU's pure parts: the event queue, register-width writes, the single-step trap owed. */
#include "unit.h"
#include "vcpu/events.h"
#include "vcpu/gpr.h"
#include "vcpu/vmx/single_step.h"

TEST(events_fifo_front_and_full)
{
    struct event_queue q = { 0 };
    CHECK(events_empty(&q));
    for (int i = 0; i < EVENT_QUEUE_SIZE; i++)
        CHECK(events_push(&q, (struct event){ (u8)(0x20 + i), 0, false, 0 }));
    CHECK(!events_push(&q, (struct event){ 0x99, 0, false, 0 }));       /* full: refused, not dropped */
    CHECK(!events_push_front(&q, (struct event){ 0x99, 0, false, 0 }));
    CHECK_EQ(events_peek(&q)->vector, 0x20);
    events_pop(&q);
    CHECK(events_push_front(&q, (struct event){ 13, 3, true, 0 }));     /* #GP goes first */
    CHECK_EQ(events_peek(&q)->vector, 13);
    CHECK(events_peek(&q)->has_error);
    events_pop(&q);
    for (int i = 1; i < EVENT_QUEUE_SIZE; i++) {
        CHECK_EQ(events_peek(&q)->vector, 0x20 + i);
        events_pop(&q);
    }
    CHECK(events_empty(&q));
    events_pop(&q);                                                     /* popping empty is harmless */
    CHECK_EQ(q.count, 0);
}

TEST(gpr_merge_widths)
{
    u64 old = 0x1122334455667788ULL;
    CHECK_EQ(gpr_merge(old, 0xAB, 1), 0x11223344556677ABULL);
    CHECK_EQ(gpr_merge(old, 0xFFFFABCD, 2), 0x112233445566ABCDULL);
    CHECK_EQ(gpr_merge(old, 0x9ABCDEF0, 4), 0x000000009ABCDEF0ULL);      /* 32-bit writes zero-extend */
    CHECK_EQ(gpr_merge(old, 0xFFFFFFFF12345678ULL, 4), 0x12345678ULL);
    CHECK_EQ(gpr_merge(old, 0xCAFE, 8), 0xCAFEULL);
}

TEST(single_step_after_emulation)
{
    /* TF: the emulated instruction owes its trap (BS), and its STI/MOV-SS shadow is over. */
    struct single_step s = single_step_after_emulation(0, 0, INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI);
    CHECK_EQ(s.pending_dbg, PENDING_DBG_BS);
    CHECK_EQ(s.interruptibility, INTERRUPTIBILITY_NMI);
    s = single_step_after_emulation(0, PENDING_DBG_BS | 1, INTERRUPTIBILITY_STI);
    CHECK_EQ(s.pending_dbg, PENDING_DBG_BS | 1);        /* one trap, whatever was pending already */
    CHECK_EQ(s.interruptibility, 0);
    /* With DEBUGCTL.BTF, TF traps on branches only: an emulated OUT, CPUID, RDMSR ... owes nothing. */
    s = single_step_after_emulation(DEBUGCTL_BTF, 0, INTERRUPTIBILITY_STI);
    CHECK_EQ(s.pending_dbg, 0);
    CHECK_EQ(s.interruptibility, INTERRUPTIBILITY_STI);
}
