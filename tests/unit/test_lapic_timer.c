/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the local APIC timer: one-shot, periodic, TSC-deadline, the divider, masking, TSC jumps. */
#include "lapic_env.h"

#define T0 1000000ULL       /* lenv's initial guest TSC; 10 TSC ticks per timer input tick */

static void setup_timer(struct vlapic *l, struct lenv *e, u32 lvt)
{
    lenv_setup(l, e, 0);
    sw_enable(l);
    wr(l, APIC_LVT_TIMER, lvt);
}

TEST(lapic_timer_one_shot)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, LVT_TIMER_ONESHOT | 0x40);
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    wr(&l, APIC_TIMER_DIVIDE, 0xB);                         /* divide by 1: a count is 10 TSC ticks */
    wr(&l, APIC_TIMER_INITIAL, 100);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 100);
    CHECK_EQ(vlapic_next_deadline(&l), T0 + 1000);
    e.tsc += 255;
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 75);               /* 25 whole counts passed */
    e.tsc = T0 + 999;
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 1);
    CHECK_EQ(vlapic_pending(&l), -1);
    e.tsc = T0 + 1000;
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);    /* fired, stopped */
    CHECK_EQ(vlapic_pending(&l), 0x40);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 0);
    CHECK_EQ(rd(&l, APIC_TIMER_INITIAL), 100);
    CHECK_EQ(vlapic_ack(&l), 0x40);
    e.tsc += 100000;
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK_EQ(vlapic_pending(&l), -1);                       /* once only */

    /* A write restarts the count; 0 stops it. */
    wr(&l, APIC_TIMER_INITIAL, 10);
    CHECK_EQ(vlapic_next_deadline(&l), e.tsc + 100);
    e.tsc += 50;
    wr(&l, APIC_TIMER_INITIAL, 10);
    CHECK_EQ(vlapic_next_deadline(&l), e.tsc + 100);
    wr(&l, APIC_TIMER_INITIAL, 0);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 0);
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
}

TEST(lapic_timer_divide_values)
{
    /* Divide configuration (Figure 11-10): bits 3, 1:0. */
    static const struct { u32 dcr, div; } table[] = {
        { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 }, { 0x8, 32 }, { 0x9, 64 }, { 0xA, 128 }, { 0xB, 1 },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(table); i++) {
        struct vlapic l;
        struct lenv e;
        setup_timer(&l, &e, 0x40);
        wr(&l, APIC_TIMER_DIVIDE, table[i].dcr);
        wr(&l, APIC_TIMER_INITIAL, 1000);
        CHECK_EQ(vlapic_next_deadline(&l), T0 + 1000ULL * 10 * table[i].div);
        e.tsc += 10 * table[i].div * 3;
        CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 997);
    }
}

TEST(lapic_timer_divide_change_while_running)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, 0x40);
    wr(&l, APIC_TIMER_DIVIDE, 0xB);
    wr(&l, APIC_TIMER_INITIAL, 100);
    e.tsc += 400;                                           /* 60 counts left */
    wr(&l, APIC_TIMER_DIVIDE, 0x0);                         /* now 20 TSC ticks a count */
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 60);
    CHECK_EQ(vlapic_next_deadline(&l), e.tsc + 1200);
}

TEST(lapic_timer_periodic)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, LVT_TIMER_PERIODIC | 0x41);
    wr(&l, APIC_TIMER_DIVIDE, 0xB);
    wr(&l, APIC_TIMER_INITIAL, 50);                         /* period 500 TSC ticks */
    for (unsigned i = 1; i <= 3; i++) {
        CHECK_EQ(vlapic_next_deadline(&l), T0 + 500 * i);
        e.tsc = T0 + 500 * i;
        CHECK_EQ(vlapic_next_deadline(&l), T0 + 500 * (i + 1));
        CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 50);            /* reloaded */
        CHECK_EQ(vlapic_ack(&l), 0x41);
        wr(&l, APIC_EOI, 0);
    }
    e.tsc += 120;
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 38);
    /* Periods nobody looked at: one interrupt, and the phase is kept. */
    e.tsc = T0 + 500 * 10 + 7;
    CHECK_EQ(vlapic_next_deadline(&l), T0 + 500 * 11);
    CHECK_EQ(vlapic_ack(&l), 0x41);
    CHECK_EQ(vlapic_pending(&l), -1);
    wr(&l, APIC_EOI, 0);
    /* A new initial count applies from the write on. */
    wr(&l, APIC_TIMER_INITIAL, 10);
    CHECK_EQ(vlapic_next_deadline(&l), e.tsc + 100);
    /* Switching to one-shot: the current count runs out once more, then it stops. */
    wr(&l, APIC_LVT_TIMER, LVT_TIMER_ONESHOT | 0x41);
    e.tsc += 100;
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK_EQ(vlapic_pending(&l), 0x41);
}

TEST(lapic_timer_masked_counts_without_interrupting)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, LVT_MASKED | LVT_TIMER_PERIODIC | 0x42);
    wr(&l, APIC_TIMER_DIVIDE, 0xB);
    wr(&l, APIC_TIMER_INITIAL, 100);
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);    /* nothing to raise */
    e.tsc += 1500;
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 50);               /* but it counts and reloads */
    CHECK_EQ(vlapic_pending(&l), -1);
    wr(&l, APIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x42);      /* unmasking raises nothing for the past */
    CHECK_EQ(vlapic_pending(&l), -1);
    CHECK_EQ(vlapic_next_deadline(&l), e.tsc + 500);
    e.tsc += 500;
    CHECK_EQ(vlapic_next_deadline(&l), e.tsc + 1000);
    CHECK_EQ(vlapic_pending(&l), 0x42);

    /* A software-disabled APIC's timer counts masked too. */
    wr(&l, APIC_SVR, 0xFF);
    e.tsc += 1000;
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 100);
}

TEST(lapic_timer_illegal_vector)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, 0x05);
    wr(&l, APIC_TIMER_INITIAL, 1);
    e.tsc += 1000;
    vlapic_next_deadline(&l);
    CHECK_EQ(vlapic_pending(&l), -1);
    CHECK_EQ(esr(&l), ESR_RECV_ILLEGAL_VECTOR);
}

TEST(lapic_tsc_deadline_arm_fire_disarm)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, LVT_TIMER_TSC_DEADLINE | 0x43);
    u64 v = 1;
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_OK);
    CHECK_EQ(v, 0);
    CHECK_EQ(vlapic_tsc_deadline_write(&l, T0 + 5000), VLAPIC_OK);
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_OK);
    CHECK_EQ(v, T0 + 5000);
    CHECK_EQ(vlapic_next_deadline(&l), T0 + 5000);
    /* Initial count writes are ignored and the current count reads 0. */
    wr(&l, APIC_TIMER_INITIAL, 10);
    CHECK_EQ(rd(&l, APIC_TIMER_INITIAL), 0);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 0);
    e.tsc = T0 + 4999;
    CHECK_EQ(vlapic_next_deadline(&l), T0 + 5000);
    e.tsc = T0 + 5000;
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK_EQ(vlapic_pending(&l), 0x43);
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_OK);
    CHECK_EQ(v, 0);                                         /* reads 0 once fired */
    CHECK_EQ(vlapic_ack(&l), 0x43);
    wr(&l, APIC_EOI, 0);
    /* A deadline in the past fires at once; 0 disarms. */
    CHECK_EQ(vlapic_tsc_deadline_write(&l, 1), VLAPIC_OK);
    CHECK_EQ(vlapic_pending(&l), 0x43);
    CHECK_EQ(vlapic_ack(&l), 0x43);
    CHECK_EQ(vlapic_tsc_deadline_write(&l, e.tsc + 10), VLAPIC_OK);
    CHECK_EQ(vlapic_tsc_deadline_write(&l, 0), VLAPIC_OK);
    e.tsc += 100;
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK_EQ(vlapic_pending(&l), -1);
}

TEST(lapic_tsc_deadline_mode_changes_disarm)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, LVT_TIMER_ONESHOT | 0x44);
    u64 v;
    /* Outside TSC-deadline mode the MSR reads 0 and ignores writes. */
    CHECK_EQ(vlapic_tsc_deadline_write(&l, T0 + 100), VLAPIC_OK);
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_OK);
    CHECK_EQ(v, 0);
    wr(&l, APIC_TIMER_INITIAL, 1000);
    wr(&l, APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | 0x44);  /* one-shot -> deadline stops the count */
    CHECK_EQ(rd(&l, APIC_TIMER_INITIAL), 0);
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK_EQ(vlapic_tsc_deadline_write(&l, T0 + 100), VLAPIC_OK);
    wr(&l, APIC_LVT_TIMER, LVT_TIMER_PERIODIC | 0x44);      /* deadline -> periodic disarms */
    wr(&l, APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | 0x44);
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_OK);
    CHECK_EQ(v, 0);
    e.tsc += 1000;
    CHECK_EQ(vlapic_pending(&l), -1);
    /* Masking alone does not disarm: it fires masked, so nothing arrives, and reads 0 after. */
    CHECK_EQ(vlapic_tsc_deadline_write(&l, e.tsc + 100), VLAPIC_OK);
    wr(&l, APIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_TSC_DEADLINE | 0x44);
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_OK);
    CHECK_EQ(v, e.tsc + 100);
    e.tsc += 100;
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_OK);
    CHECK_EQ(v, 0);
    CHECK_EQ(vlapic_pending(&l), -1);
}

TEST(lapic_timer_follows_guest_tsc_writes)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, 0x45);
    wr(&l, APIC_TIMER_DIVIDE, 0xB);
    wr(&l, APIC_TIMER_INITIAL, 100);
    e.tsc += 300;
    /* The guest sets its TSC back by 500000: the count keeps its pace. */
    e.tsc -= 500000;
    vlapic_tsc_moved(&l, -500000);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 70);
    CHECK_EQ(vlapic_next_deadline(&l), e.tsc + 700);
    /* TSC-deadline compares against the guest's new TSC. */
    wr(&l, APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | 0x45);
    CHECK_EQ(vlapic_tsc_deadline_write(&l, e.tsc + 50), VLAPIC_OK);
    vlapic_tsc_moved(&l, 1000);
    e.tsc += 1000;
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK_EQ(vlapic_pending(&l), 0x45);
}

TEST(lapic_timer_x2apic_registers)
{
    struct vlapic l;
    struct lenv e;
    setup_timer(&l, &e, 0x46);
    to_x2apic(&l);
    msr_wr(&l, X2APIC_MSR(APIC_TIMER_DIVIDE), 0xB);
    msr_wr(&l, X2APIC_MSR(APIC_TIMER_INITIAL), 0xFFFFFFFF);
    e.tsc += 10;
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_TIMER_CURRENT)), 0xFFFFFFFE);
    CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(APIC_TIMER_INITIAL), 1ULL << 32), VLAPIC_GP);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_TIMER_INITIAL)), 0xFFFFFFFF);
}
