/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the local APIC model's interrupt path: priorities, INTA, EOI, IPIs, LINT pins, destinations. */
#include "lapic_env.h"

static void setup_enabled(struct vlapic *l, struct lenv *e, u32 id)
{
    lenv_setup(l, e, id);
    sw_enable(l);
}

TEST(lapic_priority_classes_tpr_ppr_isr)
{
    struct vlapic l;
    struct lenv e;
    setup_enabled(&l, &e, 0);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x31, false);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x52, false);
    CHECK_EQ(rd(&l, APIC_IRR + 0x10), 1u << 17);
    CHECK_EQ(vlapic_pending(&l), 0x52);
    CHECK(vlapic_interrupt_pending(&l));
    wr(&l, APIC_TPR, 0x52);                                /* class 5 blocks 0x52 (same class) */
    CHECK_EQ(rd(&l, APIC_PPR), 0x52);
    CHECK_EQ(vlapic_pending(&l), -1);
    CHECK(!vlapic_interrupt_pending(&l));                  /* IRR set, but below PPR: nothing to take */
    CHECK_EQ(vlapic_ack(&l), 0xFF);                        /* spurious: TPR rose before INTA */
    CHECK_EQ(rd(&l, APIC_ISR + 0x20), 0);
    wr(&l, APIC_TPR, 0x2F);
    CHECK_EQ(vlapic_ack(&l), 0x52);
    CHECK_EQ(rd(&l, APIC_ISR + 0x20), 1u << 18);
    CHECK_EQ(rd(&l, APIC_PPR), 0x50);                      /* ISR class above TPR: PPR = 0x50 */
    CHECK_EQ(vlapic_pending(&l), -1);                      /* 0x31 waits below the in-service class */
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x5F, false);
    CHECK_EQ(vlapic_pending(&l), -1);                      /* same class as in service: not above PPR */
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x60, false);
    CHECK_EQ(vlapic_ack(&l), 0x60);                        /* nests */
    CHECK_EQ(rd(&l, APIC_PPR), 0x60);
    wr(&l, APIC_EOI, 0);
    CHECK_EQ(rd(&l, APIC_PPR), 0x50);
    wr(&l, APIC_EOI, 0);
    CHECK_EQ(rd(&l, APIC_PPR), 0x2F);                      /* TPR again */
    CHECK_EQ(vlapic_ack(&l), 0x5F);
    wr(&l, APIC_EOI, 0);
    CHECK_EQ(vlapic_pending(&l), 0x31);
    CHECK_EQ(e.eois, 0);                                   /* all edge */
}

TEST(lapic_apr_for_lowest_priority)
{
    struct vlapic l;
    struct lenv e;
    setup_enabled(&l, &e, 0);
    wr(&l, APIC_TPR, 0x45);
    CHECK_EQ(rd(&l, APIC_APR), 0x45);                      /* TPR above IRR and ISR */
    CHECK_EQ(vlapic_arb_priority(&l), 0x45);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x73, false);
    CHECK_EQ(rd(&l, APIC_APR), 0x70);                      /* IRRV class */
    wr(&l, APIC_TPR, 0);
    CHECK_EQ(vlapic_ack(&l), 0x73);
    wr(&l, APIC_TPR, 0x75);
    CHECK_EQ(rd(&l, APIC_APR), 0x70);                      /* TPR class not above ISRV's */
    wr(&l, APIC_TPR, 0x85);
    CHECK_EQ(rd(&l, APIC_APR), 0x85);
    /* Focus: the vector already in service here. */
    CHECK(vlapic_is_focus(&l, 0x73));
    CHECK(!vlapic_is_focus(&l, 0x74));
    wr(&l, APIC_SVR, SVR_ENABLE | SVR_FOCUS_DISABLE | 0xFF);
    CHECK(!vlapic_is_focus(&l, 0x73));
}

TEST(lapic_eoi_of_level_vectors_reaches_the_ioapic)
{
    struct vlapic l;
    struct lenv e;
    setup_enabled(&l, &e, 0);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x41, true);
    vlapic_deliver(&l, VLAPIC_DM_LOWEST, 0x42, false);
    CHECK_EQ(rd(&l, APIC_TMR + 0x20), 1u << 1);
    CHECK_EQ(vlapic_ack(&l), 0x42);
    wr(&l, APIC_EOI, 0);
    CHECK_EQ(e.eois, 0);
    CHECK_EQ(vlapic_ack(&l), 0x41);
    wr(&l, APIC_EOI, 0);
    CHECK_EQ(e.eois, 1);
    CHECK_EQ(e.eoi[0], 0x41);
    wr(&l, APIC_EOI, 0);                                   /* nothing in service: nothing happens */
    CHECK_EQ(e.eois, 1);
    /* An edge delivery of the same vector clears its TMR bit. */
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x41, false);
    CHECK_EQ(rd(&l, APIC_TMR + 0x20), 0);
    /* x2APIC EOI. */
    to_x2apic(&l);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x90, true);
    CHECK_EQ(vlapic_ack(&l), 0x90);
    msr_wr(&l, MSR_X2APIC_EOI, 0);
    CHECK_EQ(e.eois, 2);
    CHECK_EQ(e.eoi[1], 0x90);
    /* The EOI MSR's own entry point: the same EOI, the same #GP for a non-zero value. */
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x91, true);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x60, false);
    CHECK_EQ(vlapic_ack(&l), 0x91);
    CHECK_EQ(vlapic_msr_eoi(&l, 1), VLAPIC_GP);
    CHECK_EQ(e.eois, 2);                                   /* refused: still in service */
    CHECK_EQ(vlapic_msr_eoi(&l, 0), VLAPIC_OK);
    CHECK_EQ(e.eois, 3);
    CHECK_EQ(e.eoi[2], 0x91);
    CHECK_EQ(vlapic_ack(&l), 0x60);                        /* the ISR bit is gone: the lower vector comes */
    CHECK_EQ(vlapic_msr_eoi(&l, 0), VLAPIC_OK);            /* edge: no EOI to the I/O APIC */
    CHECK_EQ(e.eois, 3);
    CHECK_EQ(vlapic_msr_eoi(&l, 0), VLAPIC_OK);            /* nothing in service: ignored */
}

/* Outside x2APIC mode the EOI MSR does not exist: #GP, and the ISR stays. */
TEST(lapic_msr_eoi_needs_x2apic_mode)
{
    struct vlapic l;
    struct lenv e;
    setup_enabled(&l, &e, 0);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x50, false);
    CHECK_EQ(vlapic_ack(&l), 0x50);
    CHECK_EQ(vlapic_msr_eoi(&l, 0), VLAPIC_GP);
    CHECK_EQ(rd(&l, APIC_ISR + 0x20), 1u << 16);
}

TEST(lapic_icr_sends_ipis)
{
    struct vlapic l;
    struct lenv e;
    setup_enabled(&l, &e, 0);
    /* INIT-SIPI-SIPI as an OS writes it: destination first, then the low half, which sends. */
    wr(&l, APIC_ICR_HIGH, 0x03000000);
    CHECK_EQ(e.ipis, 0);
    wr(&l, APIC_ICR_LOW, ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
    wr(&l, APIC_ICR_LOW, ICR_STARTUP | 0x9A);
    CHECK_EQ(e.ipis, 2);
    CHECK_EQ(e.ipi[0].delivery, VLAPIC_DM_INIT);
    CHECK(e.ipi[0].assert && e.ipi[0].level_trigger && !e.ipi[0].logical && !e.ipi[0].x2apic);
    CHECK_EQ(e.ipi[0].dest, 3);
    CHECK_EQ(e.ipi[1].delivery, VLAPIC_DM_STARTUP);
    CHECK_EQ(e.ipi[1].vector, 0x9A);
    CHECK_EQ(rd(&l, APIC_ICR_LOW), ICR_STARTUP | 0x9A);    /* delivery status idle */
    CHECK_EQ(rd(&l, APIC_ICR_HIGH), 0x03000000);
    /* Shorthands: all-but-self goes to the router; self is delivered here. */
    wr(&l, APIC_ICR_LOW, ICR_ALL_BUT_SELF | ICR_LOWEST | 0x44);
    CHECK_EQ(e.ipis, 3);
    CHECK_EQ(e.ipi[2].shorthand, 3);
    CHECK_EQ(e.ipi[2].delivery, VLAPIC_DM_LOWEST);
    wr(&l, APIC_ICR_LOW, ICR_SELF | 0x45);
    CHECK_EQ(e.ipis, 3);
    CHECK_EQ(vlapic_pending(&l), 0x45);
    wr(&l, APIC_ICR_LOW, ICR_SELF | ICR_NMI);              /* self allows fixed only */
    CHECK(!vlapic_take_nmi(&l));
    wr(&l, APIC_ICR_LOW, ICR_ALL | ICR_LOGICAL | ICR_FIXED | 0x46);
    CHECK_EQ(e.ipis, 4);
    CHECK(e.ipi[3].logical);
    /* Reserved delivery modes and illegal vectors send nothing. */
    wr(&l, APIC_ICR_LOW, (3 << 8) | 0x47);
    wr(&l, APIC_ICR_LOW, (7 << 8) | 0x47);
    wr(&l, APIC_ICR_LOW, ICR_FIXED | 0x0F);
    CHECK_EQ(e.ipis, 4);
    CHECK_EQ(esr(&l), ESR_SEND_ILLEGAL_VECTOR);
}

TEST(lapic_match_dest_xapic)
{
    struct vlapic l;
    struct lenv e;
    setup_enabled(&l, &e, 5);
    /* Physical. */
    CHECK(vlapic_match_dest(&l, 5, false, false));
    CHECK(!vlapic_match_dest(&l, 6, false, false));
    CHECK(vlapic_match_dest(&l, 0xFF, false, false));
    CHECK(!vlapic_match_dest(&l, 0x105, false, true));
    CHECK(vlapic_match_dest(&l, 5, false, true));
    CHECK(vlapic_match_dest(&l, 0xFFFFFFFF, false, true));
    /* Logical flat. */
    wr(&l, APIC_LDR, 0x24000000);
    CHECK(vlapic_match_dest(&l, 0x04, true, false));
    CHECK(vlapic_match_dest(&l, 0x21, true, false));
    CHECK(!vlapic_match_dest(&l, 0x41, true, false));
    CHECK(vlapic_match_dest(&l, 0xFF, true, false));
    /* Logical cluster: cluster 2, member bit 4. */
    wr(&l, APIC_DFR, DFR_CLUSTER);
    CHECK(vlapic_match_dest(&l, 0x24, true, false));
    CHECK(vlapic_match_dest(&l, 0x2C, true, false));
    CHECK(!vlapic_match_dest(&l, 0x22, true, false));
    CHECK(!vlapic_match_dest(&l, 0x14, true, false));
    CHECK(vlapic_match_dest(&l, 0xFF, true, false));
    /* A software-disabled APIC still matches (NMI, INIT and SIPI reach it). */
    wr(&l, APIC_SVR, 0xFF);
    CHECK(vlapic_match_dest(&l, 5, false, false));
}

TEST(lapic_match_dest_x2apic)
{
    struct vlapic l;
    struct lenv e;
    struct vlapic_config cfg = lenv_config(0x10023);
    lenv_setup_cfg(&l, &e, &cfg);
    to_x2apic(&l);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_LDR)), 0x10020008);
    CHECK(vlapic_match_dest(&l, 0x10023, false, true));
    CHECK(!vlapic_match_dest(&l, 0x23, false, true));
    CHECK(vlapic_match_dest(&l, 0xFFFFFFFF, false, true));
    CHECK(vlapic_match_dest(&l, 0xFFFFFFFF, true, true));
    CHECK(vlapic_match_dest(&l, 0x1002000C, true, true));   /* cluster 0x1002, bits 2 and 3 */
    CHECK(!vlapic_match_dest(&l, 0x10020004, true, true));
    CHECK(!vlapic_match_dest(&l, 0x10030008, true, true));
    CHECK(vlapic_match_dest(&l, 0xFF, false, false));       /* an xAPIC-format broadcast (I/O APIC) */
    CHECK(!vlapic_match_dest(&l, 0xFF, false, true));
}

TEST(lapic_lint0_extint_and_lint1_nmi)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 0);
    /* A disabled APIC: the pins are INTR and NMI. */
    CHECK_EQ(vlapic_apic_base_write(&l, XAPIC_DEFAULT_BASE | APIC_BASE_BSP), VLAPIC_OK);
    vlapic_set_lint(&l, 0, true);
    CHECK(vlapic_extint_pending(&l));
    vlapic_set_lint(&l, 1, true);
    CHECK(vlapic_take_nmi(&l));
    vlapic_set_lint(&l, 0, false);
    vlapic_set_lint(&l, 1, false);
    CHECK_EQ(vlapic_apic_base_write(&l, XAPIC_DEFAULT_BASE | APIC_BASE_BSP | APIC_BASE_EN), VLAPIC_OK);

    /* Power-up: software-disabled, LINTs masked: nothing gets through. */
    vlapic_set_lint(&l, 0, true);
    CHECK(!vlapic_extint_pending(&l));
    vlapic_set_lint(&l, 0, false);

    vlapic_firmware_handoff(&l);                            /* virtual wire */
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_EXTINT);
    CHECK_EQ(rd(&l, APIC_LVT_LINT1), LVT_NMI);
    unsigned kicks = e.kicks;
    vlapic_set_lint(&l, 0, true);
    CHECK(e.kicks > kicks);
    CHECK(vlapic_extint_pending(&l));
    CHECK_EQ(vlapic_pending(&l), -1);                       /* the vector is the 8259's, not in IRR */
    CHECK(vlapic_interrupt_pending(&l));                    /* but the vCPU has an interrupt to take */
    vlapic_set_lint(&l, 0, false);
    CHECK(!vlapic_extint_pending(&l));
    vlapic_set_lint(&l, 1, true);
    vlapic_set_lint(&l, 1, true);                           /* no new edge */
    CHECK(vlapic_take_nmi(&l));
    CHECK(!vlapic_take_nmi(&l));
    wr(&l, APIC_LVT_LINT0, LVT_EXTINT | LVT_MASKED);        /* the OS switches to the I/O APIC */
    vlapic_set_lint(&l, 0, true);
    CHECK(!vlapic_extint_pending(&l));

    /* An ExtINT message (an I/O APIC entry in ExtINT mode). */
    vlapic_deliver(&l, VLAPIC_DM_EXTINT, 0, false);
    CHECK(vlapic_extint_pending(&l));
    vlapic_extint_ack(&l);
    CHECK(!vlapic_extint_pending(&l));
}

TEST(lapic_lint0_fixed_level_remote_irr)
{
    struct vlapic l;
    struct lenv e;
    setup_enabled(&l, &e, 0);
    wr(&l, APIC_LVT_LINT0, LVT_FIXED | LVT_LEVEL | 0x70);
    vlapic_set_lint(&l, 0, true);
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_REMOTE_IRR | LVT_LEVEL | 0x70);
    CHECK_EQ(vlapic_ack(&l), 0x70);
    wr(&l, APIC_EOI, 0);                                    /* still asserted: again */
    CHECK_EQ(e.eois, 1);
    CHECK_EQ(vlapic_pending(&l), 0x70);
    CHECK_EQ(vlapic_ack(&l), 0x70);
    vlapic_set_lint(&l, 0, false);
    wr(&l, APIC_EOI, 0);
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_LEVEL | 0x70);
    CHECK_EQ(vlapic_pending(&l), -1);
    /* Edge fixed on LINT1: one interrupt per rising edge. */
    wr(&l, APIC_LVT_LINT1, LVT_FIXED | 0x71);
    vlapic_set_lint(&l, 1, true);
    CHECK_EQ(vlapic_ack(&l), 0x71);
    wr(&l, APIC_EOI, 0);
    vlapic_set_lint(&l, 1, true);
    CHECK_EQ(vlapic_pending(&l), -1);
}

TEST(lapic_ipis_between_two_apics)
{
    /* A tiny router: physical and logical destinations over two APICs, as the hypervisor will do it. */
    struct vlapic a, b;
    struct lenv ea, eb;
    setup_enabled(&a, &ea, 0);
    setup_enabled(&b, &eb, 1);
    wr(&b, APIC_ICR_HIGH, 0);
    wr(&b, APIC_ICR_LOW, ICR_FIXED | 0x55);
    CHECK_EQ(eb.ipis, 1);
    struct vlapic *all[2] = { &a, &b };
    for (unsigned i = 0; i < 2; i++)
        if (vlapic_match_dest(all[i], eb.ipi[0].dest, eb.ipi[0].logical, eb.ipi[0].x2apic))
            vlapic_deliver(all[i], eb.ipi[0].delivery, eb.ipi[0].vector, eb.ipi[0].level_trigger);
    CHECK_EQ(vlapic_pending(&a), 0x55);
    CHECK_EQ(vlapic_pending(&b), -1);
    CHECK(ea.kicks > 0);
}

TEST(lapic_cr8_is_tpr_high_nibble_and_accepts_fixed_follows_enables)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 0);
    CHECK(!vlapic_accepts_fixed(&l));                      /* power-up: software-disabled */
    sw_enable(&l);
    CHECK(vlapic_accepts_fixed(&l));
    wr(&l, APIC_TPR, 0x5A);
    CHECK_EQ(vlapic_cr8_read(&l), 5);
    vlapic_cr8_write(&l, 0xF);
    CHECK_EQ(rd(&l, APIC_TPR), 0xF0);                      /* TPR[3:0] become 0 (11.8.6.1) */
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0xFE, false);
    CHECK_EQ(vlapic_pending(&l), -1);                      /* TPR 15 holds every vector */
    vlapic_cr8_write(&l, 0);
    CHECK_EQ(vlapic_pending(&l), 0xFE);
    CHECK_EQ(vlapic_apic_base_write(&l, 0), VLAPIC_OK);    /* hardware-disabled */
    CHECK(!vlapic_accepts_fixed(&l));
}
