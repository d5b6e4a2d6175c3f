/* SPDX-License-Identifier: BSD-2-Clause */
/* The local APIC's life cycle (reset, INIT, IA32_APIC_BASE), its inputs (messages, LINT pins) and its events. */
#include "devices/lapic_priv.h"
#include "kernel/assert.h"

void vlapic_unlock(struct vlapic *l, struct vlapic_out *o)
{
    spin_unlock(&l->lock);
    if (o->send && l->ops.send_ipi)
        l->ops.send_ipi(l->ops.ctx, &o->ipi);
    if (o->eoi >= 0 && l->ops.eoi)
        l->ops.eoi(l->ops.ctx, (u8)o->eoi);
    if (o->kick && l->ops.kick)
        l->ops.kick(l->ops.ctx);
}

/*
 * The register state after power-up or RESET (11.4.7.1): IRR, ISR, TMR, ICR, LDR, TPR, the timer registers 0;
 * DFR all ones; LVT entries masked; SVR 0xFF, which is software-disabled. The ID and IA32_APIC_BASE are the
 * caller's; pending events go, the pin levels stay (they are wires).
 */
static void reset_registers(struct vlapic *l)
{
    l->tpr = 0;
    l->ldr = vlapic_x2(l) ? x2apic_ldr(l->id) : 0;
    l->dfr = 0xFFFFFFFF;
    l->svr = 0xFF;
    for (unsigned i = 0; i < 8; i++)
        l->irr[i] = l->isr[i] = l->tmr[i] = 0;
    l->isr_top = -1;
    l->esr = l->esr_pending = 0;
    l->icr_low = l->icr_high = 0;
    for (unsigned i = 0; i < VLAPIC_LVT_ENTRIES; i++)
        l->lvt[i] = LVT_MASKED;
    vlapic_timer_reset(l);
    l->nmi = l->init = l->extint_msg = false;
}

void vlapic_init(struct vlapic *l, const struct vlapic_config *cfg, const struct vlapic_ops *ops)
{
    ASSERT(cfg->tsc_per_tick >= 1 && cfg->tsc_per_tick <= (1u << 20));
    ASSERT(cfg->phys_addr_bits >= 32 && cfg->phys_addr_bits <= 52);
    ASSERT(ops->guest_tsc);
    *l = (struct vlapic){ .lock = SPINLOCK_INIT, .cfg = *cfg, .ops = *ops };
    l->apic_base = XAPIC_DEFAULT_BASE | APIC_BASE_EN | (cfg->bsp ? APIC_BASE_BSP : 0);
    l->id = cfg->apic_id & 0xFF;
    reset_registers(l);
}

/* INIT (11.4.7.3): as after power-up, but the APIC ID is not affected; IA32_APIC_BASE and so the x2APIC mode
 * stay (11.12.5.1). A SIPI that arrived after the INIT is the vCPU's next step, so it stays latched. */
void vlapic_init_reset(struct vlapic *l)
{
    spin_lock(&l->lock);
    reset_registers(l);
    spin_unlock(&l->lock);
}

void vlapic_firmware_handoff(struct vlapic *l)
{
    spin_lock(&l->lock);
    l->svr |= SVR_ENABLE;
    l->lvt[VLAPIC_LVT_LINT0] = LVT_EXTINT | (l->apic_base & APIC_BASE_BSP ? 0 : LVT_MASKED);
    l->lvt[VLAPIC_LVT_LINT1] = LVT_NMI;
    spin_unlock(&l->lock);
}

/* ---- IA32_APIC_BASE ---- */

u64 vlapic_apic_base_read(struct vlapic *l)
{
    spin_lock(&l->lock);
    u64 v = l->apic_base;
    spin_unlock(&l->lock);
    return v;
}

/*
 * The transitions of Figure 11-27 (11.12.5): disabled -> xAPIC, xAPIC -> x2APIC, any -> disabled; EN=0 with
 * EXTD=1, x2APIC -> xAPIC and disabled -> x2APIC are #GP, as are bits 7:0, 9 and those above MAXPHYADDR.
 * Disabling returns the registers to their power-up state (11.4.3); entering x2APIC mode loads the 32-bit ID
 * and derives the LDR; the rest of the state carries over (11.12.5.1).
 */
enum vlapic_status vlapic_apic_base_write(struct vlapic *l, u64 value)
{
    u64 addr = ((1ULL << l->cfg.phys_addr_bits) - 1) & ~(PAGE_SIZE - 1);
    if (value & ~(addr | APIC_BASE_BSP | APIC_BASE_EXTD | APIC_BASE_EN))
        return VLAPIC_GP;
    enum { DISABLED = 0, INVALID = APIC_BASE_EXTD, XAPIC = APIC_BASE_EN, X2APIC = APIC_BASE_EN | APIC_BASE_EXTD };
    u64 to = value & (APIC_BASE_EN | APIC_BASE_EXTD);
    if (to == INVALID)
        return VLAPIC_GP;

    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    u64 from = l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD);
    if ((from == X2APIC && to == XAPIC) || (from == DISABLED && to == X2APIC)) {
        spin_unlock(&l->lock);
        return VLAPIC_GP;
    }
    if (from != DISABLED)
        vlapic_timer_update(l, vlapic_now(l), &o);
    l->apic_base = value;
    if (to == DISABLED && from != DISABLED) {
        l->id = l->cfg.apic_id & 0xFF;
        reset_registers(l);
        l->sipi = false;
    } else if (to == X2APIC && from == XAPIC) {
        l->id = l->cfg.apic_id;
        l->ldr = x2apic_ldr(l->id);
    }
    vlapic_unlock(l, &o);
    return VLAPIC_OK;
}

u64 vlapic_xapic_base(struct vlapic *l)
{
    spin_lock(&l->lock);
    u64 base = vlapic_hw_enabled(l) && !vlapic_x2(l) ? l->apic_base & ~(PAGE_SIZE - 1) : 0;
    spin_unlock(&l->lock);
    return base;
}

bool vlapic_x2apic_mode(struct vlapic *l)
{
    spin_lock(&l->lock);
    bool x2 = vlapic_x2(l);
    spin_unlock(&l->lock);
    return x2;
}

/* ---- inputs ---- */

void vlapic_deliver(struct vlapic *l, unsigned delivery, u8 vector, bool level_trigger)
{
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    if (vlapic_hw_enabled(l)) {                 /* a disabled APIC hears no messages (11.4.3) */
        switch (delivery) {
        case VLAPIC_DM_FIXED:
        case VLAPIC_DM_LOWEST:
            vlapic_accept_fixed(l, vector, level_trigger, &o);
            break;
        case VLAPIC_DM_NMI:
            l->nmi = o.kick = true;
            break;
        case VLAPIC_DM_INIT:
            l->init = o.kick = true;
            break;
        case VLAPIC_DM_STARTUP:
            l->sipi = o.kick = true;
            l->sipi_vector = vector;
            break;
        case VLAPIC_DM_EXTINT:
            l->extint_msg = o.kick = true;
            break;
        default:                                /* SMI: no SMM here; reserved modes */
            break;
        }
    }
    vlapic_unlock(l, &o);
}

bool vlapic_accepts_fixed(struct vlapic *l)
{
    spin_lock(&l->lock);
    bool v = vlapic_hw_enabled(l) && vlapic_sw_enabled(l);
    spin_unlock(&l->lock);
    return v;
}

/*
 * A LINT pin changes (11.5.1): level is the asserted state, the board applies no polarity. NMI, INIT and fixed
 * edge entries act on the rising edge; a fixed level entry (LINT0 only: "level-sensitive interrupts are not
 * supported for LINT1") is accepted with remote IRR until its EOI; ExtINT is sampled by vlapic_extint_pending.
 * With the APIC disabled the pins are the CPU's INTR and NMI (11.4.3 "functionally equivalent to ... without
 * an on-chip APIC").
 */
void vlapic_set_lint(struct vlapic *l, unsigned pin, bool level)
{
    ASSERT(pin < 2);
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    bool rising = level && !l->lint[pin];
    l->lint[pin] = level;
    u32 *e = &l->lvt[VLAPIC_LVT_LINT0 + pin];
    if (!vlapic_hw_enabled(l)) {
        if (rising && pin == 1)
            l->nmi = true;
        o.kick = rising;
    } else if (!(*e & LVT_MASKED)) {
        switch (*e & LVT_DELIVERY_MASK) {
        case LVT_FIXED:
            if (pin == 0 && (*e & LVT_LEVEL)) {
                if (level && !(*e & LVT_REMOTE_IRR) && vlapic_sw_enabled(l)) {
                    *e |= LVT_REMOTE_IRR;
                    vlapic_accept_fixed(l, *e & LVT_VECTOR_MASK, true, &o);
                }
            } else if (rising) {
                vlapic_accept_fixed(l, *e & LVT_VECTOR_MASK, false, &o);
            }
            break;
        case LVT_NMI:
            if (rising)
                l->nmi = o.kick = true;
            break;
        case LVT_INIT:
            if (rising)
                l->init = o.kick = true;
            break;
        case LVT_EXTINT:
            o.kick = rising;
            break;
        default:
            break;
        }
    }
    vlapic_unlock(l, &o);
}

/* ---- events for the vCPU ---- */

static bool take(struct vlapic *l, bool *flag)
{
    spin_lock(&l->lock);
    bool v = *flag;
    *flag = false;
    spin_unlock(&l->lock);
    return v;
}

bool vlapic_take_nmi(struct vlapic *l)
{
    return take(l, &l->nmi);
}

bool vlapic_take_init(struct vlapic *l)
{
    return take(l, &l->init);
}

bool vlapic_take_sipi(struct vlapic *l, u8 *vector)
{
    spin_lock(&l->lock);
    bool v = l->sipi;
    *vector = l->sipi_vector;
    l->sipi = false;
    spin_unlock(&l->lock);
    return v;
}

static bool extint_pending_locked(const struct vlapic *l)
{
    bool wire = !vlapic_hw_enabled(l) ||
                (l->lvt[VLAPIC_LVT_LINT0] & (LVT_DELIVERY_MASK | LVT_MASKED)) == LVT_EXTINT;
    return l->extint_msg || (wire && l->lint[0]);
}

bool vlapic_extint_pending(struct vlapic *l)
{
    spin_lock(&l->lock);
    bool v = extint_pending_locked(l);
    spin_unlock(&l->lock);
    return v;
}

bool vlapic_interrupt_pending(struct vlapic *l)
{
    spin_lock(&l->lock);
    bool v = extint_pending_locked(l) || vlapic_pending_locked(l) >= 0;
    spin_unlock(&l->lock);
    return v;
}

void vlapic_extint_ack(struct vlapic *l)
{
    take(l, &l->extint_msg);
}
