/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the local APIC: random xAPIC/x2APIC accesses, IA32_APIC_BASE, deliveries, INTA, EOI, time. */
#include <string.h>

#include "devices/lapic.h"
#include "fuzz_check.h"
#include "kernel/msr.h"

struct env {
    u64 tsc;
    unsigned kicks, ipis, eois;
};

static u64 env_tsc(void *ctx)
{
    return ((struct env *)ctx)->tsc;
}

static void env_kick(void *ctx)
{
    ((struct env *)ctx)->kicks++;
}

static void env_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
    INVARIANT(ipi->shorthand != 1);                         /* self-IPIs stay in the model */
    INVARIANT(ipi->delivery != 3 && ipi->delivery != VLAPIC_DM_EXTINT);
    if (ipi->delivery == VLAPIC_DM_FIXED || ipi->delivery == VLAPIC_DM_LOWEST)
        INVARIANT(ipi->vector >= 16);
    ((struct env *)ctx)->ipis++;
}

static void env_eoi(void *ctx, u8 vector)
{
    INVARIANT(vector >= 16);
    ((struct env *)ctx)->eois++;
}

struct input {
    const u8 *p;
    size_t n;
};

static u64 take(struct input *in, unsigned bytes)
{
    u64 v = 0;
    for (unsigned i = 0; i < bytes && in->n; i++, in->p++, in->n--)
        v |= (u64)*in->p << (8 * i);
    return v;
}

static bool test_bit(const u32 *b, unsigned v)
{
    return b[v >> 5] >> (v & 31) & 1;
}

static int highest(const u32 *b)
{
    for (int v = 255; v >= 0; v--)
        if (test_bit(b, (unsigned)v))
            return v;
    return -1;
}

/* PPR from the SDM's definition (11.8.3.1), independent of the model's code. */
static u8 ref_ppr(const struct vlapic *l)
{
    int isrv = highest(l->isr);
    u8 isrc = isrv < 0 ? 0 : (u8)(isrv & 0xF0);
    return (l->tpr >> 4) >= (isrc >> 4) ? l->tpr : isrc;
}

static bool x2(const struct vlapic *l)
{
    return (l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}

static void check_state(struct vlapic *l)
{
    INVARIANT((l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) != APIC_BASE_EXTD);
    INVARIANT((l->irr[0] & 0xFFFF) == 0 && (l->isr[0] & 0xFFFF) == 0);
    INVARIANT(l->isr_top == highest(l->isr));               /* the cache of the highest in-service vector */
    if (!(l->svr & SVR_ENABLE))
        for (unsigned i = 0; i < VLAPIC_LVT_ENTRIES; i++)
            INVARIANT(l->lvt[i] & LVT_MASKED);
    u64 ppr;
    if (x2(l)) {
        INVARIANT(vlapic_msr_read(l, X2APIC_MSR(APIC_PPR), &ppr) == VLAPIC_OK);
        INVARIANT(l->id == l->cfg.apic_id);
        INVARIANT(l->ldr == ((l->id >> 4) << 16 | 1u << (l->id & 15)));
    } else if (l->apic_base & APIC_BASE_EN) {
        ppr = vlapic_mmio_read(l, APIC_PPR, 4);
    } else {
        ppr = ref_ppr(l);
    }
    INVARIANT(ppr == ref_ppr(l));
    int pending = vlapic_pending(l);
    if (pending >= 0)
        INVARIANT(pending >= 16 && (pending & 0xF0) > (ref_ppr(l) & 0xF0) && test_bit(l->irr, (unsigned)pending));
}

/* Offsets worth hitting: every defined register, plus a random one now and then. */
static const u16 offsets[] = {
    APIC_ID, APIC_VERSION, APIC_TPR, APIC_APR, APIC_PPR, APIC_EOI, APIC_RRD, APIC_LDR, APIC_DFR, APIC_SVR,
    APIC_ISR, APIC_TMR + 0x10, APIC_IRR + 0x70, APIC_ESR, APIC_LVT_CMCI, APIC_ICR_LOW, APIC_ICR_HIGH,
    APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PERF, APIC_LVT_LINT0, APIC_LVT_LINT1, APIC_LVT_ERROR,
    APIC_TIMER_INITIAL, APIC_TIMER_CURRENT, APIC_TIMER_DIVIDE, APIC_SELF_IPI,
};

static u32 pick_offset(struct input *in)
{
    u16 r = (u16)take(in, 2);
    return r & 0x8000 ? r & 0xFFF : offsets[r % ARRAY_SIZE(offsets)];
}

/* In x2APIC mode, a write must leave the read-only registers as they were. */
static void msr_write_checked(struct vlapic *l, u32 msr, u64 value)
{
    bool was_x2 = x2(l);
    u32 id = l->id, ldr = l->ldr;
    enum vlapic_status s = vlapic_msr_write(l, msr, value);
    if (!was_x2) {
        INVARIANT(s == VLAPIC_GP);
        return;
    }
    INVARIANT(l->id == id && l->ldr == ldr);
    if (msr == MSR_X2APIC_ID || msr == X2APIC_MSR(APIC_VERSION) || msr == X2APIC_MSR(APIC_PPR) ||
        msr == X2APIC_MSR(APIC_LDR) || msr == X2APIC_MSR(APIC_TIMER_CURRENT) ||
        (msr >= X2APIC_MSR(APIC_ISR) && msr < X2APIC_MSR(APIC_ESR)))
        INVARIANT(s == VLAPIC_GP);
    if (value >> 32 && msr != MSR_X2APIC_ICR)
        INVARIANT(s == VLAPIC_GP);
}

static void ack_checked(struct vlapic *l)
{
    struct vlapic pre = *l;
    u8 v = vlapic_ack(l);
    int expect = vlapic_pending(&pre);
    if (expect < 0) {
        INVARIANT(v == (pre.svr & 0xFF));
        INVARIANT(memcmp(pre.isr, l->isr, sizeof l->isr) == 0);
        return;
    }
    INVARIANT(v == expect && v >= 16);
    INVARIANT((v & 0xF0) > (ref_ppr(&pre) & 0xF0));
    INVARIANT(test_bit(l->isr, v) && !test_bit(pre.isr, v) && !test_bit(l->irr, v));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    struct env e = { .tsc = 1000 };
    struct input in = { data, size };
    struct vlapic_config cfg = {
        .apic_id = (u32)take(&in, 2), .bsp = true, .cmci = take(&in, 1) & 1, .tsc_deadline = true,
        .phys_addr_bits = 39, .tsc_per_tick = 1 + (u32)(take(&in, 1) & 63),
    };
    struct vlapic_ops ops = { env_tsc, env_kick, env_ipi, env_eoi, &e };
    struct vlapic l;
    vlapic_init(&l, &cfg, &ops);

    while (in.n) {
        u8 op = (u8)take(&in, 1);
        switch (op % 16) {
        case 0: {
            u32 off = pick_offset(&in);
            unsigned sz = 1u << (take(&in, 1) & 3);
            vlapic_mmio_write(&l, off & ~(sz - 1), sz, (u32)take(&in, 4));
            break;
        }
        case 1: {
            u32 off = pick_offset(&in);
            unsigned sz = 1u << (take(&in, 1) & 3);
            u32 v = vlapic_mmio_read(&l, off & ~(sz - 1), sz);
            if (!(l.apic_base & APIC_BASE_EN) || x2(&l))
                INVARIANT(v == 0xFFFFFFFF);
            break;
        }
        case 2:
        {
            u32 msr = MSR_X2APIC_FIRST + (pick_offset(&in) >> 4);
            msr_write_checked(&l, msr, take(&in, 1) & 1 ? take(&in, 8) : take(&in, 4));
            break;
        }
        case 3: {
            u64 v;
            if (vlapic_msr_read(&l, MSR_X2APIC_FIRST + (u32)(pick_offset(&in) >> 4), &v) == VLAPIC_GP)
                INVARIANT(v == 0);
            break;
        }
        case 4: {
            u8 b = (u8)take(&in, 1);
            u64 v = (b & 3) << 10 | (b & 4 ? XAPIC_DEFAULT_BASE : (take(&in, 4) << 12)) | (b & 8 ? APIC_BASE_BSP : 0);
            if (b & 16)
                v |= 1ULL << (take(&in, 1) & 63);
            vlapic_apic_base_write(&l, v);
            break;
        }
        case 5: {
            u8 m = (u8)take(&in, 1);
            vlapic_deliver(&l, m & 7, (u8)take(&in, 1), m & 8);
            break;
        }
        case 6:
            ack_checked(&l);
            break;
        case 7:
            if (x2(&l))
                msr_write_checked(&l, MSR_X2APIC_EOI, 0);
            else
                vlapic_mmio_write(&l, APIC_EOI, 4, 0);
            break;
        case 8:
            e.tsc += take(&in, 1) & 1 ? take(&in, 1) : take(&in, 4);
            break;
        case 9: {
            u64 d = vlapic_next_deadline(&l);
            INVARIANT(d == DEV_NO_DEADLINE || d > e.tsc);
            break;
        }
        case 10:
            vlapic_tsc_deadline_write(&l, take(&in, 1) & 1 ? e.tsc + take(&in, 2) : take(&in, 8));
            break;
        case 11: {
            u64 v;
            vlapic_tsc_deadline_read(&l, &v);
            INVARIANT(v == 0 || v > e.tsc);                 /* an armed deadline is in the future */
            break;
        }
        case 12: {
            u8 b = (u8)take(&in, 1);
            vlapic_set_lint(&l, b & 1, b & 2);
            break;
        }
        case 13: {
            u8 sipi;
            vlapic_take_nmi(&l);
            vlapic_take_init(&l);
            vlapic_take_sipi(&l, &sipi);
            if (vlapic_extint_pending(&l))
                vlapic_extint_ack(&l);
            break;
        }
        case 14:
            if (take(&in, 1) == 0x5A)
                vlapic_init_reset(&l);
            else
                vlapic_match_dest(&l, (u32)take(&in, 4), op & 0x10, op & 0x20);
            break;
        default: {
            s64 delta = (s64)(int16_t)take(&in, 2);
            e.tsc += (u64)delta;
            vlapic_tsc_moved(&l, delta);
            break;
        }
        }
        check_state(&l);
    }
    return 0;
}
