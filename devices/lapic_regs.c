/* SPDX-License-Identifier: BSD-2-Clause */
/* The local APIC's register file: the xAPIC page (SDM 11.4.1) and the x2APIC MSRs (11.12.1) over one decoder. */
#include "devices/lapic_priv.h"
#include "kernel/assert.h"

/* The LVT bits software may write, by entry (Figure 11-8), and the read-only ones it may write back unchanged. */
static u32 lvt_writable(const struct vlapic *l, unsigned i)
{
    switch (i) {
    case VLAPIC_LVT_TIMER:
        return LVT_VECTOR_MASK | LVT_MASKED | (l->cfg.tsc_deadline ? LVT_TIMER_MODE_MASK : LVT_TIMER_PERIODIC);
    case VLAPIC_LVT_LINT0:
    case VLAPIC_LVT_LINT1:
        return LVT_VECTOR_MASK | LVT_DELIVERY_MASK | LVT_POLARITY_LOW | LVT_LEVEL | LVT_MASKED;
    case VLAPIC_LVT_ERROR:
        return LVT_VECTOR_MASK | LVT_MASKED;
    default:                                    /* thermal, performance counters, CMCI */
        return LVT_VECTOR_MASK | LVT_DELIVERY_MASK | LVT_MASKED;
    }
}

#define LVT_READ_ONLY   (LVT_PENDING | LVT_REMOTE_IRR)

/* ICR bits 31:0 that are kept (11.6.1); delivery status reads 0: the model delivers at once. */
#define ICR_WRITABLE    (ICR_VECTOR_MASK | ICR_DELIVERY_MASK | ICR_LOGICAL | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL | \
                         ICR_SHORTHAND_MASK)

/* SVR bits kept: vector, software enable, focus checking; EOI-broadcast suppression is not offered (version). */
#define SVR_WRITABLE    (SVR_VECTOR_MASK | SVR_ENABLE | SVR_FOCUS_DISABLE)

/* The LVT index of an offset, or -1. */
static int lvt_index(const struct vlapic *l, u32 offset)
{
    if (offset == APIC_LVT_CMCI)
        return l->cfg.cmci ? VLAPIC_LVT_CMCI : -1;
    if (offset >= APIC_LVT_TIMER && offset <= APIC_LVT_ERROR)
        return (int)(offset - APIC_LVT_TIMER) / 16;
    return -1;
}

static u32 version(const struct vlapic *l)
{
    return VLAPIC_VERSION | (u32)(l->cfg.cmci ? VLAPIC_LVT_CMCI : VLAPIC_LVT_ERROR) << APIC_VERSION_MAXLVT_SHIFT;
}

enum reg_status vlapic_reg_read(struct vlapic *l, u32 offset, u64 now, bool x2, u64 *value)
{
    int lvt = lvt_index(l, offset);
    if (lvt >= 0) {
        *value = l->lvt[lvt];
        return REG_OK;
    }
    if (offset >= APIC_ISR && offset < APIC_IRR + 0x80) {
        unsigned word = (offset & 0x70) >> 4;
        const u32 *bits = offset < APIC_TMR ? l->isr : offset < APIC_IRR ? l->tmr : l->irr;
        *value = bits[word];
        return REG_OK;
    }
    switch (offset) {
    case APIC_ID:
        *value = x2 ? l->id : l->id << XAPIC_ID_SHIFT;
        return REG_OK;
    case APIC_VERSION:
        *value = version(l);
        return REG_OK;
    case APIC_TPR:
        *value = l->tpr;
        return REG_OK;
    case APIC_APR:
        *value = vlapic_apr(l);
        return x2 ? REG_ABSENT : REG_OK;
    case APIC_PPR:
        *value = vlapic_ppr(l);
        return REG_OK;
    case APIC_EOI:
    case APIC_SELF_IPI:
        *value = 0;
        return x2 ? REG_WRITE_ONLY : offset == APIC_EOI ? REG_OK : REG_ABSENT;
    case APIC_RRD:
        *value = 0;
        return x2 ? REG_ABSENT : REG_OK;
    case APIC_LDR:
        *value = l->ldr;
        return REG_OK;
    case APIC_DFR:
        *value = l->dfr;
        return x2 ? REG_ABSENT : REG_OK;
    case APIC_SVR:
        *value = l->svr;
        return REG_OK;
    case APIC_ESR:
        *value = l->esr;
        return REG_OK;
    case APIC_ICR_LOW:
        *value = x2 ? (u64)l->icr_high << X2APIC_ICR_DEST_SHIFT | l->icr_low : l->icr_low;
        return REG_OK;
    case APIC_ICR_HIGH:
        *value = (u64)(l->icr_high << XAPIC_ICR_DEST_SHIFT);
        return x2 ? REG_ABSENT : REG_OK;
    case APIC_TIMER_INITIAL:
        *value = l->timer_initial;
        return REG_OK;
    case APIC_TIMER_CURRENT:
        *value = vlapic_timer_current(l, now);
        return REG_OK;
    case APIC_TIMER_DIVIDE:
        *value = l->timer_divide;
        return REG_OK;
    default:
        *value = 0;
        return REG_ABSENT;
    }
}

/*
 * An ICR write sends (11.6.1). Vectors 0-15 in fixed or lowest-priority mode are "send illegal vector" errors and
 * go nowhere; the reserved delivery modes 011 and 111 go nowhere either. A self-IPI (shorthand, or the x2APIC
 * SELF IPI register) is accepted here as a fixed interrupt, the only mode the self shorthand allows (11.6.1, the
 * table of valid ICR combinations); every other request goes to the router.
 */
static void send_ipi(struct vlapic *l, struct vlapic_out *o)
{
    u32 low = l->icr_low;
    struct vlapic_ipi ipi = {
        .vector = low & ICR_VECTOR_MASK,
        .delivery = (low & ICR_DELIVERY_MASK) >> 8,
        .logical = low & ICR_LOGICAL,
        .assert = low & ICR_LEVEL_ASSERT,
        .level_trigger = low & ICR_TRIGGER_LEVEL,
        .shorthand = (low & ICR_SHORTHAND_MASK) >> ICR_SHORTHAND_SHIFT,
        .dest = l->icr_high,
        .x2apic = vlapic_x2(l),
    };
    if ((ipi.delivery == VLAPIC_DM_FIXED || ipi.delivery == VLAPIC_DM_LOWEST) && ipi.vector < 16) {
        vlapic_error(l, ESR_SEND_ILLEGAL_VECTOR, o);
        return;
    }
    if (ipi.delivery == 3 || ipi.delivery == VLAPIC_DM_EXTINT)
        return;
    if (ipi.shorthand == ICR_SELF >> ICR_SHORTHAND_SHIFT) {
        if (ipi.delivery == VLAPIC_DM_FIXED)
            vlapic_accept_fixed(l, ipi.vector, ipi.level_trigger, o);
        return;
    }
    o->ipi = ipi;
    o->send = true;
}

static void write_svr(struct vlapic *l, u32 value)
{
    l->svr = value & SVR_WRITABLE;
    if (!vlapic_sw_enabled(l))                  /* software disable masks every LVT entry (11.4.7.2) */
        for (unsigned i = 0; i < VLAPIC_LVT_ENTRIES; i++)
            l->lvt[i] |= LVT_MASKED;
}

/* An LVT write; while software-disabled the mask bit stays set. x2APIC: #GP for reserved bits, timer mode 11. */
static enum reg_status write_lvt(struct vlapic *l, unsigned i, bool x2, u32 value, struct vlapic_out *o)
{
    u32 w = lvt_writable(l, i);
    if (x2 && ((value & ~(w | LVT_READ_ONLY)) ||
               (i == VLAPIC_LVT_TIMER && (value & LVT_TIMER_MODE_MASK) == LVT_TIMER_MODE_MASK)))
        return REG_RESERVED;
    u32 v = (value & w) | (l->lvt[i] & LVT_REMOTE_IRR);
    if (!vlapic_sw_enabled(l))
        v |= LVT_MASKED;
    if (i == VLAPIC_LVT_TIMER) {
        vlapic_timer_set_lvt(l, v);
        return REG_OK;
    }
    bool extint_was = (l->lvt[i] & (LVT_DELIVERY_MASK | LVT_MASKED)) == LVT_EXTINT;
    l->lvt[i] = v;
    if (i == VLAPIC_LVT_LINT0 && !extint_was && (v & (LVT_DELIVERY_MASK | LVT_MASKED)) == LVT_EXTINT && l->lint[0])
        o->kick = true;                         /* the 8259's INTR now reaches the CPU */
    return REG_OK;
}

enum reg_status vlapic_reg_write(struct vlapic *l, u32 offset, u64 now, bool x2, u64 value, struct vlapic_out *o)
{
    if (x2 && offset != APIC_ICR_LOW && value >> 32)
        return REG_RESERVED;                    /* 63:32 are reserved but in the ICR (11.12.1.2) */
    u32 v = (u32)value;
    int lvt = lvt_index(l, offset);
    if (lvt >= 0)
        return write_lvt(l, (unsigned)lvt, x2, v, o);
    if (offset >= APIC_ISR && offset < APIC_IRR + 0x80)
        return REG_READ_ONLY;
    switch (offset) {
    case APIC_ID:                               /* writable in xAPIC mode on the parts that allow it (11.4.6) */
        if (x2)
            return REG_READ_ONLY;
        l->id = v >> XAPIC_ID_SHIFT;
        return REG_OK;
    case APIC_VERSION:
    case APIC_PPR:
    case APIC_TIMER_CURRENT:
        return REG_READ_ONLY;
    case APIC_APR:
    case APIC_RRD:
        return x2 ? REG_ABSENT : REG_READ_ONLY;
    case APIC_TPR:
        if (x2 && (v & ~0xFFu))
            return REG_RESERVED;
        l->tpr = v & 0xFF;
        return REG_OK;
    case APIC_EOI:                              /* x2APIC: "a non-zero write to EOI ... #GP" (11.12.1.2) */
        if (x2 && v)
            return REG_RESERVED;
        vlapic_eoi_locked(l, o);
        return REG_OK;
    case APIC_LDR:
        if (x2)
            return REG_READ_ONLY;
        l->ldr = v & 0xFF000000;
        return REG_OK;
    case APIC_DFR:
        if (x2)
            return REG_ABSENT;
        l->dfr = (v & DFR_MODEL_MASK) | ~DFR_MODEL_MASK;
        return REG_OK;
    case APIC_SVR:
        if (x2 && (v & ~SVR_WRITABLE))
            return REG_RESERVED;
        write_svr(l, v);
        return REG_OK;
    case APIC_ESR:                              /* x2APIC: only 0 may be written (11.5.3) */
        if (x2 && v)
            return REG_RESERVED;
        l->esr = l->esr_pending;
        l->esr_pending = 0;
        return REG_OK;
    case APIC_ICR_LOW:
        if (x2 && (value & ICR_X2APIC_RESERVED))
            return REG_RESERVED;
        l->icr_low = v & ICR_WRITABLE;
        if (x2)
            l->icr_high = (u32)(value >> X2APIC_ICR_DEST_SHIFT);
        send_ipi(l, o);
        return REG_OK;
    case APIC_ICR_HIGH:
        if (x2)
            return REG_ABSENT;
        l->icr_high = v >> XAPIC_ICR_DEST_SHIFT;
        return REG_OK;
    case APIC_TIMER_INITIAL:
        vlapic_timer_set_initial(l, now, v);
        return REG_OK;
    case APIC_TIMER_DIVIDE:
        if (x2 && (v & ~(u32)TIMER_DIVIDE_MASK))
            return REG_RESERVED;
        vlapic_timer_set_divide(l, now, v);
        return REG_OK;
    case APIC_SELF_IPI:                         /* x2APIC only: a fixed, edge self-IPI (11.12.11) */
        if (!x2)
            return REG_ABSENT;
        if (v & ~0xFFu)
            return REG_RESERVED;
        if (v < 16)
            vlapic_error(l, ESR_SEND_ILLEGAL_VECTOR, o);
        else
            vlapic_accept_fixed(l, (u8)v, false, o);
        return REG_OK;
    default:
        return REG_ABSENT;
    }
}

/* ---- the xAPIC page ---- */

static bool xapic_mapped(const struct vlapic *l)
{
    return (l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EN;
}

u32 vlapic_mmio_read(struct vlapic *l, u32 offset, unsigned size)
{
    ASSERT(offset < PAGE_SIZE && (size == 1 || size == 2 || size == 4 || size == 8));
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    u32 result = 0;
    if (!xapic_mapped(l)) {
        result = ~0u;                           /* nothing there: what a read of no device gives */
    } else if ((offset & 15) + size <= 4) {
        u64 now = vlapic_now(l), v;
        vlapic_timer_update(l, now, &o);
        if (vlapic_reg_read(l, offset & ~15u, now, false, &v) == REG_ABSENT)
            vlapic_error(l, ESR_ILLEGAL_REGISTER, &o);
        v >>= (offset & 3) * 8;
        result = size == 4 ? (u32)v : (u32)v & ((1u << size * 8) - 1);
    }
    vlapic_unlock(l, &o);
    return result;
}

void vlapic_mmio_write(struct vlapic *l, u32 offset, unsigned size, u32 value)
{
    ASSERT(offset < PAGE_SIZE && (size == 1 || size == 2 || size == 4 || size == 8));
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    if (xapic_mapped(l) && size == 4 && !(offset & 15)) {
        u64 now = vlapic_now(l);
        vlapic_timer_update(l, now, &o);
        if (vlapic_reg_write(l, offset, now, false, value, &o) == REG_ABSENT)
            vlapic_error(l, ESR_ILLEGAL_REGISTER, &o);
    }
    vlapic_unlock(l, &o);
}

/* ---- the x2APIC MSRs: every failure is #GP (11.12.1.2, 11.12.1.3) ---- */

enum vlapic_status vlapic_msr_read(struct vlapic *l, u32 msr, u64 *value)
{
    ASSERT(msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    enum reg_status s = REG_ABSENT;
    *value = 0;
    if (vlapic_x2(l)) {
        u64 now = vlapic_now(l);
        vlapic_timer_update(l, now, &o);
        s = vlapic_reg_read(l, (msr - MSR_X2APIC_FIRST) << 4, now, true, value);
        if (s != REG_OK)
            *value = 0;
    }
    vlapic_unlock(l, &o);
    return s == REG_OK ? VLAPIC_OK : VLAPIC_GP;
}

enum vlapic_status vlapic_msr_write(struct vlapic *l, u32 msr, u64 value)
{
    ASSERT(msr >= MSR_X2APIC_FIRST && msr <= MSR_X2APIC_LAST);
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    enum reg_status s = REG_ABSENT;
    if (vlapic_x2(l)) {
        u64 now = vlapic_now(l);
        vlapic_timer_update(l, now, &o);
        s = vlapic_reg_write(l, (msr - MSR_X2APIC_FIRST) << 4, now, true, value, &o);
    }
    vlapic_unlock(l, &o);
    return s == REG_OK ? VLAPIC_OK : VLAPIC_GP;
}

enum vlapic_status vlapic_msr_eoi(struct vlapic *l, u64 value)
{
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    bool ok = vlapic_x2(l) && value == 0;       /* "a non-zero write to EOI ... #GP" (11.12.1.2) */
    if (ok)
        vlapic_eoi_locked(l, &o);
    vlapic_unlock(l, &o);
    return ok ? VLAPIC_OK : VLAPIC_GP;
}

u8 vlapic_cr8_read(struct vlapic *l)
{
    spin_lock(&l->lock);
    u8 v = l->tpr >> 4;
    spin_unlock(&l->lock);
    return v;
}

/* TPR[3:0] become 0 (11.8.6.1). A lower TPR may let an IRR vector through: the vCPU asks before its next entry. */
void vlapic_cr8_write(struct vlapic *l, u8 cr8)
{
    spin_lock(&l->lock);
    l->tpr = (u8)((cr8 & 0xF) << 4);
    spin_unlock(&l->lock);
}
