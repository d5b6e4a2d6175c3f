/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the vCPU's pure parts: pending events, register-width writes, the single-step trap owed. */
#include "unit.h"
#include "vcpu/events.h"
#include "vcpu/gpr.h"
#include "vcpu/vmx/vmx_defs.h"
#include "vcpu/vmx/single_step.h"

#define HW_EXCEPTION INTR_TYPE_HW_EXCEPTION

static struct event exc(u8 vector)
{
    return (struct event){ vector, HW_EXCEPTION, true, 0 };
}

TEST(events_vectors_coalesce_and_come_highest_first)
{
    struct vcpu_events q = { 0 };
    CHECK(events_empty(&q));
    CHECK_EQ(events_highest_vector(&q), -1);
    for (int v = 32; v < 256; v++)          /* far more than any queue: nothing is refused or lost */
        events_raise_vector(&q, (u8)v);
    events_raise_vector(&q, 0x40);          /* again: one pending, as in an IRR */
    for (int v = 255; v >= 32; v--) {
        CHECK_EQ(events_highest_vector(&q), v);
        events_take_vector(&q, (u8)v);
    }
    CHECK_EQ(events_highest_vector(&q), -1);
    CHECK(events_empty(&q));
    events_raise_vector(&q, 63);
    events_raise_vector(&q, 64);
    CHECK_EQ(events_highest_vector(&q), 64);   /* across the words of the bitmap */
    events_take_vector(&q, 64);
    CHECK_EQ(events_highest_vector(&q), 63);
}

TEST(events_nmis_coalesce_and_exceptions_always_find_room)
{
    struct vcpu_events q = { 0 };
    for (int v = 32; v < 256; v++)
        events_raise_vector(&q, (u8)v);
    for (int i = 0; i < 200; i++)
        events_raise_nmi(&q);
    CHECK(q.nmi);
    CHECK_EQ(events_raise_exception(&q, exc(13)), EXCEPTION_RAISED);
    CHECK(q.has_exception);
    CHECK_EQ(q.exception.vector, 13);
    CHECK(q.exception.has_error);
    CHECK(!events_empty(&q));
}

TEST(events_second_exception_follows_the_double_fault_table)
{
    struct vcpu_events q = { 0 };
    events_raise_exception(&q, exc(13));
    CHECK_EQ(events_raise_exception(&q, exc(11)), EXCEPTION_DOUBLE_FAULT);    /* contributory twice */
    CHECK_EQ(q.exception.vector, 8);
    CHECK_EQ(q.exception.error, 0);
    CHECK_EQ(q.exception.type, INTR_TYPE_HW_EXCEPTION);
    CHECK_EQ(events_raise_exception(&q, exc(14)), EXCEPTION_TRIPLE_FAULT);    /* a page fault on #DF */
    CHECK(!q.has_exception);

    events_raise_exception(&q, exc(14));
    CHECK_EQ(events_raise_exception(&q, exc(14)), EXCEPTION_DOUBLE_FAULT);    /* page fault twice */
    q.has_exception = false;
    events_raise_exception(&q, exc(14));
    CHECK_EQ(events_raise_exception(&q, exc(0)), EXCEPTION_DOUBLE_FAULT);     /* #PF then #DE */
    q.has_exception = false;
    events_raise_exception(&q, exc(13));
    CHECK_EQ(events_raise_exception(&q, exc(14)), EXCEPTION_RAISED);          /* contributory then #PF: serial */
    CHECK_EQ(q.exception.vector, 14);
    events_raise_exception(&q, (struct event){ 6, HW_EXCEPTION, false, 0 });  /* benign: serial */
    CHECK_EQ(q.exception.vector, 6);
    CHECK_EQ(events_raise_exception(&q, exc(13)), EXCEPTION_RAISED);
    CHECK_EQ(q.exception.vector, 13);
    CHECK_EQ(events_raise_exception(&q, exc(21)), EXCEPTION_DOUBLE_FAULT);    /* #CP is contributory */
    q.has_exception = false;
    events_raise_exception(&q, exc(20));
    CHECK_EQ(events_raise_exception(&q, exc(13)), EXCEPTION_DOUBLE_FAULT);    /* #VE counts as a page fault */
    q.has_exception = false;
    events_raise_exception(&q, (struct event){ 3, 6, false, 0 });             /* INT3 (software exception) */
    CHECK_EQ(events_raise_exception(&q, exc(13)), EXCEPTION_RAISED);
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
