/* SPDX-License-Identifier: BSD-2-Clause */
/* The local APIC's interrupt path: TPR/PPR/APR, acceptance into IRR, INTA (IRR -> ISR), EOI, errors (SDM 11.5.3, 11.8). */
#include "devices/lapic_priv.h"

static u8 class_of(int vector)
{
    return vector < 0 ? 0 : (u8)(vector & 0xF0);
}

/* PPR (11.8.3.1): TPR if its class is at least that of the highest in-service vector, else that class. */
u8 vlapic_ppr(const struct vlapic *l)
{
    u8 isrv = class_of(l->isr_top);
    return (l->tpr & 0xF0) >= isrv ? l->tpr : isrv;
}

/*
 * APR (11.6.2.4, Figure 11-15): TPR when its class is at least the highest requested one and above the highest
 * in service; else the highest of the three classes, with 3:0 clear.
 */
u8 vlapic_apr(const struct vlapic *l)
{
    u8 tpr = l->tpr & 0xF0, irrv = class_of(vec_highest(l->irr)), isrv = class_of(l->isr_top);
    if (tpr >= irrv && tpr > isrv)
        return l->tpr;
    return MAX(tpr, MAX(irrv, isrv));
}

/*
 * An error (11.5.3): it accumulates until the next ESR write latches it, and raises the LVT error interrupt. An
 * illegal vector in that entry is recorded without raising it again.
 */
void vlapic_error(struct vlapic *l, u32 esr_bits, struct vlapic_out *o)
{
    l->esr_pending |= esr_bits;
    u32 lvt = l->lvt[VLAPIC_LVT_ERROR];
    if (lvt & LVT_MASKED)
        return;
    u8 vector = lvt & LVT_VECTOR_MASK;
    if (vector < 16) {
        l->esr_pending |= ESR_RECV_ILLEGAL_VECTOR;
        return;
    }
    vec_set(l->irr, vector);
    vec_clear(l->tmr, vector);
    o->kick = true;
}

/*
 * A fixed (or arbitrated lowest-priority) interrupt: IRR, and TMR set for level / clear for edge (11.8.4).
 * Vectors 0-15 are illegal (ESR receive illegal vector). A software-disabled APIC responds "normally" only to
 * INIT, NMI, SMI and SIPI (11.4.7.2), so it drops these, as KVM does; what IRR already held stays pending.
 */
void vlapic_accept_fixed(struct vlapic *l, u8 vector, bool level, struct vlapic_out *o)
{
    if (!vlapic_hw_enabled(l) || !vlapic_sw_enabled(l))
        return;
    if (vector < 16) {
        vlapic_error(l, ESR_RECV_ILLEGAL_VECTOR, o);
        return;
    }
    vec_set(l->irr, vector);
    if (level)
        vec_set(l->tmr, vector);
    else
        vec_clear(l->tmr, vector);
    o->kick = true;
}

/* A local source (timer, thermal, perf, CMCI, error) fires through its LVT entry; the timer and error entries
 * are always fixed and edge (11.5.1). NMI, INIT and SMI modes of the others become the vCPU's events. */
void vlapic_raise_lvt(struct vlapic *l, unsigned lvt, struct vlapic_out *o)
{
    u32 e = l->lvt[lvt];
    if (e & LVT_MASKED)
        return;
    u32 mode = lvt == VLAPIC_LVT_TIMER || lvt == VLAPIC_LVT_ERROR ? LVT_FIXED : e & LVT_DELIVERY_MASK;
    if (mode == LVT_NMI) {
        l->nmi = o->kick = true;
    } else if (mode == LVT_FIXED) {
        vlapic_accept_fixed(l, e & LVT_VECTOR_MASK, false, o);
    }
}

/*
 * The vector the APIC would hand the CPU: the highest IRR vector whose class is above PPR's (11.8.3). The SDM
 * says interrupts held in IRR while software-disabled "require masking or handling by the CPU" (11.4.7.2), so
 * they stay deliverable.
 */
int vlapic_pending_locked(const struct vlapic *l)
{
    if (!vlapic_hw_enabled(l))
        return -1;
    int v = vec_highest(l->irr);
    if (v < 0 || class_of(v) <= (vlapic_ppr(l) & 0xF0))
        return -1;
    return v;
}

/* EOI (11.8.5): the highest ISR vector is done; a level-triggered one is reported to the I/O APICs and releases
 * a LINT pin's remote IRR (which re-asserts if the pin is still high). */
void vlapic_eoi_locked(struct vlapic *l, struct vlapic_out *o)
{
    int v = l->isr_top;
    if (v < 0)
        return;
    vec_clear(l->isr, (unsigned)v);
    l->isr_top = vec_highest(l->isr);
    if (!vec_test(l->tmr, (unsigned)v))
        return;
    o->eoi = v;
    for (unsigned pin = 0; pin < 2; pin++) {
        u32 *e = &l->lvt[VLAPIC_LVT_LINT0 + pin];
        if (!(*e & LVT_REMOTE_IRR) || (*e & LVT_VECTOR_MASK) != (u32)v)
            continue;
        *e &= ~(u32)LVT_REMOTE_IRR;
        if (l->lint[pin] && !(*e & LVT_MASKED)) {
            *e |= LVT_REMOTE_IRR;
            vlapic_accept_fixed(l, (u8)v, true, o);
        }
    }
}

int vlapic_pending(struct vlapic *l)
{
    spin_lock(&l->lock);
    int v = vlapic_pending_locked(l);
    spin_unlock(&l->lock);
    return v;
}

u8 vlapic_ack(struct vlapic *l)
{
    spin_lock(&l->lock);
    int v = vlapic_pending_locked(l);
    u8 vector;
    if (v < 0) {
        vector = l->svr & SVR_VECTOR_MASK;      /* spurious: no ISR bit, no EOI expected (11.9) */
    } else {
        vec_clear(l->irr, (unsigned)v);
        vec_set(l->isr, (unsigned)v);
        l->isr_top = v;                         /* above PPR, so above every vector in service */
        vector = (u8)v;
    }
    spin_unlock(&l->lock);
    return vector;
}
