/* SPDX-License-Identifier: BSD-2-Clause */
/* What the local APIC unit tests share: a guest TSC the test moves, and recorders for kicks, IPIs and EOIs. */
#ifndef TESTS_UNIT_LAPIC_ENV_H
#define TESTS_UNIT_LAPIC_ENV_H

#include "devices/lapic.h"
#include "kernel/msr.h"
#include "unit.h"

struct lenv {
    u64 tsc;
    unsigned kicks;
    struct vlapic_ipi ipi[16];
    unsigned ipis;
    int eoi[16];
    unsigned eois;
};

static inline u64 lenv_tsc(void *ctx)
{
    return ((struct lenv *)ctx)->tsc;
}

static inline void lenv_kick(void *ctx)
{
    ((struct lenv *)ctx)->kicks++;
}

static inline void lenv_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
    struct lenv *e = ctx;
    if (e->ipis < 16)
        e->ipi[e->ipis] = *ipi;
    e->ipis++;
}

static inline void lenv_eoi(void *ctx, u8 vector)
{
    struct lenv *e = ctx;
    if (e->eois < 16)
        e->eoi[e->eois] = vector;
    e->eois++;
}

/* A BSP with APIC ID id, CMCI, TSC-deadline, 10 TSC ticks per timer tick, 39 physical address bits. */
static inline struct vlapic_config lenv_config(u32 id)
{
    return (struct vlapic_config){ .apic_id = id, .bsp = true, .cmci = true, .tsc_deadline = true,
                                   .phys_addr_bits = 39, .tsc_per_tick = 10 };
}

static inline void lenv_setup_cfg(struct vlapic *l, struct lenv *e, const struct vlapic_config *cfg)
{
    *e = (struct lenv){ .tsc = 1000000 };
    struct vlapic_ops ops = { lenv_tsc, lenv_kick, lenv_ipi, lenv_eoi, e };
    vlapic_init(l, cfg, &ops);
}

static inline void lenv_setup(struct vlapic *l, struct lenv *e, u32 id)
{
    struct vlapic_config cfg = lenv_config(id);
    lenv_setup_cfg(l, e, &cfg);
}

static inline u32 rd(struct vlapic *l, u32 offset)
{
    return vlapic_mmio_read(l, offset, 4);
}

static inline void wr(struct vlapic *l, u32 offset, u32 v)
{
    vlapic_mmio_write(l, offset, 4, v);
}

/* Software-enable with spurious vector 0xFF, as every OS does first. */
static inline void sw_enable(struct vlapic *l)
{
    wr(l, APIC_SVR, SVR_ENABLE | 0xFF);
}

static inline void to_x2apic(struct vlapic *l)
{
    CHECK_EQ(vlapic_apic_base_write(l, vlapic_apic_base_read(l) | APIC_BASE_EXTD), VLAPIC_OK);
}

static inline u64 msr_rd(struct vlapic *l, u32 msr)
{
    u64 v = 0xDEAD;
    CHECK_EQ(vlapic_msr_read(l, msr, &v), VLAPIC_OK);
    return v;
}

static inline void msr_wr(struct vlapic *l, u32 msr, u64 v)
{
    CHECK_EQ(vlapic_msr_write(l, msr, v), VLAPIC_OK);
}

/* Reads ESR the architectural way: write, then read. */
static inline u32 esr(struct vlapic *l)
{
    if (vlapic_x2apic_mode(l)) {
        msr_wr(l, X2APIC_MSR(APIC_ESR), 0);
        return (u32)msr_rd(l, X2APIC_MSR(APIC_ESR));
    }
    wr(l, APIC_ESR, 0);
    return rd(l, APIC_ESR);
}

#endif
