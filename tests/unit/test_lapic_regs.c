/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the local APIC model's registers: reset state, xAPIC page rules, x2APIC MSR rules, IA32_APIC_BASE. */
#include "lapic_env.h"

#define BASE_XAPIC (XAPIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_BSP)

TEST(lapic_power_up_state)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 3);
    CHECK_EQ(vlapic_apic_base_read(&l), BASE_XAPIC);
    CHECK_EQ(vlapic_xapic_base(&l), XAPIC_DEFAULT_BASE);
    CHECK_EQ(rd(&l, APIC_ID), 3u << 24);
    CHECK_EQ(rd(&l, APIC_VERSION), 0x00060014);            /* version 0x14, max LVT 6 (CMCI) */
    CHECK_EQ(rd(&l, APIC_SVR), 0xFF);                      /* software-disabled */
    CHECK_EQ(rd(&l, APIC_DFR), 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_LDR), 0);
    CHECK_EQ(rd(&l, APIC_TPR), 0);
    static const u32 lvts[] = { APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PERF, APIC_LVT_LINT0, APIC_LVT_LINT1,
                                APIC_LVT_ERROR, APIC_LVT_CMCI };
    for (unsigned i = 0; i < ARRAY_SIZE(lvts); i++)
        CHECK_EQ(rd(&l, lvts[i]), LVT_MASKED);
    CHECK_EQ(rd(&l, APIC_TIMER_INITIAL), 0);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 0);
    CHECK_EQ(rd(&l, APIC_TIMER_DIVIDE), 0);

    struct vlapic_config cfg = lenv_config(1);
    cfg.bsp = cfg.cmci = false;
    lenv_setup_cfg(&l, &e, &cfg);
    CHECK_EQ(vlapic_apic_base_read(&l), XAPIC_DEFAULT_BASE | APIC_BASE_EN);
    CHECK_EQ(rd(&l, APIC_VERSION), 0x00050014);            /* max LVT 5: no CMCI entry */
    CHECK_EQ(rd(&l, APIC_LVT_CMCI), 0);
    CHECK_EQ(esr(&l), ESR_ILLEGAL_REGISTER);
}

TEST(lapic_xapic_register_writes)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 2);
    wr(&l, APIC_ID, 0x07123456);
    CHECK_EQ(rd(&l, APIC_ID), 0x07000000);                 /* 31:24 only */
    wr(&l, APIC_TPR, 0x1234);
    CHECK_EQ(rd(&l, APIC_TPR), 0x34);
    wr(&l, APIC_LDR, 0x12345678);
    CHECK_EQ(rd(&l, APIC_LDR), 0x12000000);
    wr(&l, APIC_DFR, 0x0);
    CHECK_EQ(rd(&l, APIC_DFR), 0x0FFFFFFF);                /* cluster model; 27:0 read as ones */
    wr(&l, APIC_SVR, 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_SVR), 0x3FF);                     /* no EOI-broadcast suppression */
    wr(&l, APIC_ICR_HIGH, 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_ICR_HIGH), 0xFF000000);
    wr(&l, APIC_LVT_LINT0, 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), 0x1A7FF);             /* no delivery status, no remote IRR */
    wr(&l, APIC_LVT_ERROR, 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_LVT_ERROR), 0x100FF);
    wr(&l, APIC_LVT_TIMER, 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_LVT_TIMER), 0x700FF);
    wr(&l, APIC_TIMER_DIVIDE, 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_TIMER_DIVIDE), 0xB);

    /* Read-only registers ignore writes, with no error. */
    u32 version = rd(&l, APIC_VERSION);
    wr(&l, APIC_VERSION, 0);
    wr(&l, APIC_PPR, 0xFF);
    wr(&l, APIC_IRR, 0xFFFFFFFF);
    wr(&l, APIC_ISR + 0x70, 0xFFFFFFFF);
    wr(&l, APIC_TIMER_CURRENT, 5);
    CHECK_EQ(rd(&l, APIC_VERSION), version);
    CHECK_EQ(rd(&l, APIC_IRR), 0);
    CHECK_EQ(rd(&l, APIC_ISR + 0x70), 0);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 0);
    CHECK_EQ(esr(&l), 0);
}

TEST(lapic_xapic_undefined_offsets_and_sizes)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 0);
    sw_enable(&l);
    CHECK_EQ(rd(&l, 0x000), 0);                            /* reserved */
    CHECK_EQ(esr(&l), ESR_ILLEGAL_REGISTER);
    CHECK_EQ(esr(&l), 0);                                  /* the next write latches nothing new */
    wr(&l, 0x3F0, 0x40);                                   /* SELF IPI is x2APIC only */
    CHECK_EQ(esr(&l), ESR_ILLEGAL_REGISTER);
    CHECK_EQ(rd(&l, APIC_IRR + 0x10), 0);                  /* no self-IPI happened */

    /* Illegal-register errors raise the LVT error interrupt when unmasked. */
    wr(&l, APIC_LVT_ERROR, 0xE3);
    rd(&l, 0xFF0);
    CHECK_EQ(vlapic_pending(&l), 0xE3);

    /* Narrow reads see the register's bytes; reads past its first dword see 0. */
    wr(&l, APIC_ID, 0xA5000000);
    CHECK_EQ(vlapic_mmio_read(&l, APIC_ID + 3, 1), 0xA5);
    CHECK_EQ(vlapic_mmio_read(&l, APIC_ID + 2, 2), 0xA500);
    CHECK_EQ(vlapic_mmio_read(&l, APIC_ID + 4, 4), 0);
    CHECK_EQ(vlapic_mmio_read(&l, APIC_ID, 8), 0);
    /* Writes other than aligned dwords are dropped. */
    vlapic_mmio_write(&l, APIC_TPR, 1, 0x20);
    vlapic_mmio_write(&l, APIC_TPR, 8, 0x20);
    vlapic_mmio_write(&l, APIC_TPR + 4, 4, 0x20);
    CHECK_EQ(rd(&l, APIC_TPR), 0);
}

TEST(lapic_esr_write_then_read)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 0);
    sw_enable(&l);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 5, false);          /* receive illegal vector */
    CHECK_EQ(rd(&l, APIC_ESR), 0);                         /* not latched yet */
    wr(&l, APIC_ICR_LOW, ICR_FIXED | 3);                   /* send illegal vector */
    CHECK_EQ(e.ipis, 0);
    wr(&l, APIC_ESR, 0xFFFFFFFF);                          /* the value written does not matter */
    CHECK_EQ(rd(&l, APIC_ESR), ESR_RECV_ILLEGAL_VECTOR | ESR_SEND_ILLEGAL_VECTOR);
    CHECK_EQ(rd(&l, APIC_ESR), ESR_RECV_ILLEGAL_VECTOR | ESR_SEND_ILLEGAL_VECTOR);   /* reads don't clear */
    wr(&l, APIC_ESR, 0);
    CHECK_EQ(rd(&l, APIC_ESR), 0);
    CHECK_EQ(rd(&l, APIC_IRR), 0);                         /* vectors 0-15 never reach IRR */
}

TEST(lapic_software_disable_masks_lvts)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 0);
    wr(&l, APIC_LVT_LINT0, LVT_EXTINT);                    /* software-disabled: the mask stays */
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_EXTINT | LVT_MASKED);
    sw_enable(&l);
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_EXTINT | LVT_MASKED);   /* enabling unmasks nothing */
    wr(&l, APIC_LVT_LINT0, LVT_EXTINT);
    wr(&l, APIC_LVT_TIMER, 0x40);
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_EXTINT);
    wr(&l, APIC_SVR, 0xFF);                                /* software disable sets every mask */
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_EXTINT | LVT_MASKED);
    CHECK_EQ(rd(&l, APIC_LVT_TIMER), 0x40 | LVT_MASKED);

    /* Fixed interrupts are dropped while disabled; NMI, INIT and SIPI are not; held IRR stays. */
    sw_enable(&l);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x50, false);
    wr(&l, APIC_SVR, 0xFF);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x60, false);
    CHECK_EQ(rd(&l, APIC_IRR + 0x20), 1u << 16);          /* 0x50 held, 0x60 dropped */
    CHECK_EQ(rd(&l, APIC_IRR + 0x30), 0);
    CHECK_EQ(vlapic_pending(&l), 0x50);
    vlapic_deliver(&l, VLAPIC_DM_NMI, 0, false);
    vlapic_deliver(&l, VLAPIC_DM_INIT, 0, false);
    vlapic_deliver(&l, VLAPIC_DM_STARTUP, 0x9A, false);
    u8 sipi = 0;
    CHECK(vlapic_take_nmi(&l));
    CHECK(!vlapic_take_nmi(&l));
    CHECK(vlapic_take_init(&l));
    CHECK(vlapic_take_sipi(&l, &sipi));
    CHECK_EQ(sipi, 0x9A);
    CHECK(!vlapic_take_sipi(&l, &sipi));
}

TEST(lapic_init_reset_keeps_id_and_base)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 4);
    sw_enable(&l);
    wr(&l, APIC_ID, 0x09000000);
    wr(&l, APIC_TPR, 0x30);
    wr(&l, APIC_LDR, 0x01000000);
    wr(&l, APIC_DFR, 0);
    wr(&l, APIC_LVT_LINT0, LVT_EXTINT);
    wr(&l, APIC_TIMER_INITIAL, 100);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x80, false);
    CHECK_EQ(vlapic_apic_base_write(&l, 0xFEC00000 | APIC_BASE_EN | APIC_BASE_BSP), VLAPIC_OK);
    vlapic_deliver(&l, VLAPIC_DM_STARTUP, 0x10, false);
    vlapic_init_reset(&l);
    CHECK_EQ(vlapic_xapic_base(&l), 0xFEC00000);
    CHECK_EQ(vlapic_apic_base_read(&l), 0xFEC00000 | APIC_BASE_EN | APIC_BASE_BSP);
    CHECK_EQ(vlapic_mmio_read(&l, APIC_ID, 4), 0x09000000);   /* not affected (11.4.7.3) */
    CHECK_EQ(rd(&l, APIC_TPR), 0);
    CHECK_EQ(rd(&l, APIC_LDR), 0);
    CHECK_EQ(rd(&l, APIC_DFR), 0xFFFFFFFF);
    CHECK_EQ(rd(&l, APIC_SVR), 0xFF);
    CHECK_EQ(rd(&l, APIC_LVT_LINT0), LVT_MASKED);
    CHECK_EQ(rd(&l, APIC_TIMER_INITIAL), 0);
    CHECK_EQ(rd(&l, APIC_IRR + 0x40), 0);
    u8 v;
    CHECK(vlapic_take_sipi(&l, &v));                      /* the SIPI after INIT stays */

    /* INIT in x2APIC mode keeps x2APIC mode and the 32-bit ID. */
    struct vlapic_config cfg = lenv_config(0x123);
    lenv_setup_cfg(&l, &e, &cfg);
    to_x2apic(&l);
    vlapic_init_reset(&l);
    CHECK(vlapic_x2apic_mode(&l));
    CHECK_EQ(msr_rd(&l, MSR_X2APIC_ID), 0x123);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_LDR)), 0x00120008);
}

TEST(lapic_apic_base_transitions)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 1);
    const u64 en = APIC_BASE_EN, x2 = APIC_BASE_EN | APIC_BASE_EXTD, bsp = APIC_BASE_BSP, base = XAPIC_DEFAULT_BASE;

    CHECK_EQ(vlapic_apic_base_write(&l, base | bsp | APIC_BASE_EXTD), VLAPIC_GP);   /* EN=0, EXTD=1 */
    CHECK_EQ(vlapic_apic_base_write(&l, base | bsp | en | 1), VLAPIC_GP);          /* bit 0 reserved */
    CHECK_EQ(vlapic_apic_base_write(&l, base | bsp | en | BIT(9)), VLAPIC_GP);     /* bit 9 reserved */
    CHECK_EQ(vlapic_apic_base_write(&l, BIT(39) | en), VLAPIC_GP);                 /* above MAXPHYADDR */
    CHECK_EQ(vlapic_apic_base_read(&l), base | bsp | en);

    CHECK_EQ(vlapic_apic_base_write(&l, base | bsp | x2), VLAPIC_OK);              /* xAPIC -> x2APIC */
    CHECK_EQ(vlapic_xapic_base(&l), 0);
    CHECK_EQ(vlapic_mmio_read(&l, APIC_ID, 4), 0xFFFFFFFF);                       /* page gone */
    CHECK_EQ(vlapic_apic_base_write(&l, base | bsp | en), VLAPIC_GP);              /* x2APIC -> xAPIC */
    CHECK(vlapic_x2apic_mode(&l));
    CHECK_EQ(vlapic_apic_base_write(&l, base | bsp), VLAPIC_OK);                   /* x2APIC -> disabled */
    CHECK_EQ(vlapic_apic_base_read(&l), base | bsp);
    CHECK_EQ(vlapic_mmio_read(&l, APIC_ID, 4), 0xFFFFFFFF);
    u64 v;
    CHECK_EQ(vlapic_msr_read(&l, MSR_X2APIC_ID, &v), VLAPIC_GP);
    CHECK_EQ(vlapic_apic_base_write(&l, base | bsp | x2), VLAPIC_GP);              /* disabled -> x2APIC */
    CHECK_EQ(vlapic_apic_base_write(&l, 0x80000000 | bsp | en), VLAPIC_OK);        /* disabled -> xAPIC, moved */
    CHECK_EQ(vlapic_xapic_base(&l), 0x80000000);
    CHECK_EQ(rd(&l, APIC_ID), 1u << 24);
    CHECK_EQ(vlapic_apic_base_write(&l, 0x80000000 | en), VLAPIC_OK);              /* BSP is r/w (Vol. 4) */
    CHECK_EQ(vlapic_apic_base_read(&l), 0x80000000 | en);
}

TEST(lapic_disable_resets_state)
{
    struct vlapic l;
    struct lenv e;
    lenv_setup(&l, &e, 1);
    sw_enable(&l);
    wr(&l, APIC_ID, 0x05000000);
    wr(&l, APIC_TPR, 0x20);
    wr(&l, APIC_LVT_TIMER, 0x40);
    wr(&l, APIC_TIMER_INITIAL, 1000);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x80, true);
    CHECK_EQ(vlapic_ack(&l), 0x80);
    vlapic_deliver(&l, VLAPIC_DM_NMI, 0, false);
    CHECK_EQ(vlapic_apic_base_write(&l, XAPIC_DEFAULT_BASE | APIC_BASE_BSP), VLAPIC_OK);
    vlapic_deliver(&l, VLAPIC_DM_FIXED, 0x90, false);       /* a disabled APIC hears nothing */
    CHECK(!vlapic_take_nmi(&l));
    CHECK_EQ(vlapic_next_deadline(&l), DEV_NO_DEADLINE);
    CHECK(!vlapic_match_dest(&l, 0xFF, false, false));
    CHECK_EQ(vlapic_apic_base_write(&l, XAPIC_DEFAULT_BASE | APIC_BASE_BSP | APIC_BASE_EN), VLAPIC_OK);
    CHECK_EQ(rd(&l, APIC_ID), 1u << 24);                   /* back to the initial ID */
    CHECK_EQ(rd(&l, APIC_TPR), 0);
    CHECK_EQ(rd(&l, APIC_SVR), 0xFF);
    CHECK_EQ(rd(&l, APIC_ISR + 0x40), 0);
    CHECK_EQ(rd(&l, APIC_TMR + 0x40), 0);
    CHECK_EQ(rd(&l, APIC_LVT_TIMER), LVT_MASKED);
    CHECK_EQ(rd(&l, APIC_TIMER_CURRENT), 0);
    CHECK_EQ(vlapic_pending(&l), -1);
}

TEST(lapic_x2apic_registers)
{
    struct vlapic l;
    struct lenv e;
    struct vlapic_config cfg = lenv_config(0x35);
    lenv_setup_cfg(&l, &e, &cfg);
    u64 v;
    CHECK_EQ(vlapic_msr_read(&l, MSR_X2APIC_ID, &v), VLAPIC_GP);   /* not in x2APIC mode yet */
    wr(&l, APIC_ID, 0x77000000);                                  /* the xAPIC ID is replaced ... */
    wr(&l, APIC_TPR, 0x45);
    sw_enable(&l);
    to_x2apic(&l);
    CHECK_EQ(msr_rd(&l, MSR_X2APIC_ID), 0x35);                    /* ... by the initial x2APIC ID */
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_VERSION)), 0x00060014);
    CHECK_EQ(msr_rd(&l, MSR_X2APIC_TPR), 0x45);                   /* the rest carries over */
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_SVR)), 0x1FF);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_LDR)), 0x00030020);       /* cluster 3, bit 5 */
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_PPR)), 0x45);

    /* Read-only registers: writes #GP and change nothing. */
    static const u32 ro[] = { APIC_ID, APIC_VERSION, APIC_PPR, APIC_LDR, APIC_ISR, APIC_TMR + 0x70, APIC_IRR + 0x30,
                              APIC_TIMER_CURRENT };
    for (unsigned i = 0; i < ARRAY_SIZE(ro); i++)
        CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(ro[i]), 0), VLAPIC_GP);
    CHECK_EQ(msr_rd(&l, MSR_X2APIC_ID), 0x35);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_LDR)), 0x00030020);
    /* Write-only registers: reads #GP. */
    CHECK_EQ(vlapic_msr_read(&l, MSR_X2APIC_EOI, &v), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_read(&l, MSR_X2APIC_SELF_IPI, &v), VLAPIC_GP);
    /* Registers that do not exist in x2APIC mode, and holes. */
    static const u32 none[] = { 0x800, 0x801, 0x809, 0x80C, 0x80E, 0x831, 0x83A, 0x840, 0x8FF };
    for (unsigned i = 0; i < ARRAY_SIZE(none); i++) {
        CHECK_EQ(vlapic_msr_read(&l, none[i], &v), VLAPIC_GP);
        CHECK_EQ(vlapic_msr_write(&l, none[i], 0), VLAPIC_GP);
    }
    /* Reserved bits. */
    CHECK_EQ(vlapic_msr_write(&l, MSR_X2APIC_TPR, 0x100), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, MSR_X2APIC_TPR, 1ULL << 32), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, MSR_X2APIC_EOI, 1), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(APIC_ESR), 1), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(APIC_SVR), SVR_EOI_SUPPRESS | 0x1FF), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(APIC_LVT_ERROR), LVT_NMI | 0x40), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(APIC_LVT_TIMER), LVT_TIMER_MODE_MASK | 0x40), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(APIC_TIMER_DIVIDE), 4), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, MSR_X2APIC_SELF_IPI, 0x140), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, MSR_X2APIC_ICR, ICR_PENDING | 0x40), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, MSR_X2APIC_ICR, BIT(13) | 0x40), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, MSR_X2APIC_ICR, BIT(20) | 0x40), VLAPIC_GP);
    CHECK_EQ(e.ipis, 0);
    CHECK_EQ(msr_rd(&l, MSR_X2APIC_TPR), 0x45);
    /* Read-only LVT bits written back unchanged are no fault; writable ones stick. */
    msr_wr(&l, X2APIC_MSR(APIC_LVT_LINT0), LVT_PENDING | LVT_LEVEL | 0x31);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_LVT_LINT0)), LVT_LEVEL | 0x31);
    msr_wr(&l, X2APIC_MSR(APIC_LVT_CMCI), LVT_MASKED | 0x32);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_LVT_CMCI)), LVT_MASKED | 0x32);
    msr_wr(&l, X2APIC_MSR(APIC_ESR), 0);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_ESR)), 0);

    /* The ICR is one 64-bit register; a write sends with the 32-bit destination. */
    msr_wr(&l, MSR_X2APIC_ICR, 0x12345678ULL << 32 | ICR_LOGICAL | ICR_NMI);
    CHECK_EQ(msr_rd(&l, MSR_X2APIC_ICR), 0x12345678ULL << 32 | ICR_LOGICAL | ICR_NMI);
    CHECK_EQ(e.ipis, 1);
    CHECK_EQ(e.ipi[0].dest, 0x12345678);
    CHECK(e.ipi[0].x2apic && e.ipi[0].logical);
    CHECK_EQ(e.ipi[0].delivery, VLAPIC_DM_NMI);
    /* SELF IPI. */
    msr_wr(&l, MSR_X2APIC_SELF_IPI, 0x66);
    CHECK_EQ(msr_rd(&l, X2APIC_MSR(APIC_IRR + 0x30)), 1u << 6);
    CHECK_EQ(e.ipis, 1);
}

TEST(lapic_x2apic_without_cmci_or_deadline)
{
    struct vlapic l;
    struct lenv e;
    struct vlapic_config cfg = lenv_config(0);
    cfg.cmci = cfg.tsc_deadline = false;
    lenv_setup_cfg(&l, &e, &cfg);
    to_x2apic(&l);
    u64 v;
    CHECK_EQ(vlapic_msr_read(&l, X2APIC_MSR(APIC_LVT_CMCI), &v), VLAPIC_GP);
    CHECK_EQ(vlapic_msr_write(&l, X2APIC_MSR(APIC_LVT_TIMER), LVT_TIMER_TSC_DEADLINE | 0x40), VLAPIC_GP);
    CHECK_EQ(vlapic_tsc_deadline_read(&l, &v), VLAPIC_GP);
    CHECK_EQ(vlapic_tsc_deadline_write(&l, 5), VLAPIC_GP);
}
