/* SPDX-License-Identifier: BSD-2-Clause */
/* The local APIC timer (SDM 11.5.4): one-shot, periodic and TSC-deadline, counted in guest TSC ticks. */
#include "devices/lapic_priv.h"

static u64 sat_add(u64 a, u64 b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* Guest TSC ticks per count: the divide configuration (Figure 11-10) is 2^((bits 3,1:0) + 1) mod 8, 111 = 1. */
static u64 tick(const struct vlapic *l)
{
    u32 d = l->timer_divide;
    unsigned code = (d & 8) >> 1 | (d & 3);
    return (u64)l->cfg.tsc_per_tick << ((code + 1) & 7);
}

bool vlapic_timer_deadline_mode(const struct vlapic *l)
{
    return l->cfg.tsc_deadline && (l->lvt[VLAPIC_LVT_TIMER] & LVT_TIMER_MODE_MASK) == LVT_TIMER_TSC_DEADLINE;
}

/* The reserved mode 11 (and 10 without TSC-deadline support) counts as one-shot. */
static bool periodic(const struct vlapic *l)
{
    return (l->lvt[VLAPIC_LVT_TIMER] & LVT_TIMER_MODE_MASK) == LVT_TIMER_PERIODIC;
}

void vlapic_timer_reset(struct vlapic *l)
{
    l->timer_initial = l->timer_divide = l->c0 = 0;
    l->timer_running = false;
    l->t0 = l->expire = l->tsc_deadline = 0;
}

static void start(struct vlapic *l, u64 now, u32 count)
{
    l->timer_running = count != 0;
    l->c0 = count;
    l->t0 = now;
    l->expire = sat_add(now, count * tick(l));      /* count < 2^32, tick <= 2^27: no overflow */
}

/*
 * Brings the timer up to now. A count that reached 0 raises the LVT timer interrupt unless masked (a masked timer
 * still counts, 11.5.1); periodic mode reloads the initial count, and periods the board let pass unseen raise one
 * interrupt, as an IRR bit holds one request. An armed TSC deadline at or before now fires once and reads 0 after.
 */
void vlapic_timer_update(struct vlapic *l, u64 now, struct vlapic_out *o)
{
    if (vlapic_timer_deadline_mode(l)) {
        if (l->tsc_deadline && now >= l->tsc_deadline) {
            l->tsc_deadline = 0;
            vlapic_raise_lvt(l, VLAPIC_LVT_TIMER, o);
        }
        return;
    }
    if (!l->timer_running || now < l->expire)
        return;
    if (periodic(l) && l->timer_initial) {
        u64 period = l->timer_initial * tick(l);
        u64 missed = (now - l->expire) / period;
        l->t0 = l->expire + missed * period;
        l->c0 = l->timer_initial;
        l->expire = sat_add(l->t0, period);
    } else {
        l->timer_running = false;
        l->c0 = 0;
    }
    vlapic_raise_lvt(l, VLAPIC_LVT_TIMER, o);
}

/* Current count (after vlapic_timer_update): 0 when stopped and always in TSC-deadline mode (11.5.4.1). A guest
 * TSC that went back without vlapic_tsc_moved() reads as no time passed. */
u32 vlapic_timer_current(const struct vlapic *l, u64 now)
{
    if (!l->timer_running || vlapic_timer_deadline_mode(l))
        return 0;
    u64 elapsed = now > l->t0 ? (now - l->t0) / tick(l) : 0;
    return elapsed >= l->c0 ? 0 : (u32)(l->c0 - elapsed);
}

/* Initial count: a write (re)starts the count from it, 0 stops the timer; ignored in TSC-deadline mode. */
void vlapic_timer_set_initial(struct vlapic *l, u64 now, u32 count)
{
    if (vlapic_timer_deadline_mode(l))
        return;
    l->timer_initial = count;
    start(l, now, count);
}

/* A new divider applies from the current count on (the SDM leaves a running change open). */
void vlapic_timer_set_divide(struct vlapic *l, u64 now, u32 value)
{
    u32 current = vlapic_timer_current(l, now);
    l->timer_divide = value & TIMER_DIVIDE_MASK;
    if (l->timer_running && !vlapic_timer_deadline_mode(l))
        start(l, now, current);
}

/* Switching into or out of TSC-deadline mode disarms the timer (11.5.4.1); one-shot <-> periodic keeps counting
 * and takes effect at the next expiry. */
void vlapic_timer_set_lvt(struct vlapic *l, u32 value)
{
    bool was_deadline = vlapic_timer_deadline_mode(l);
    l->lvt[VLAPIC_LVT_TIMER] = value;
    if (was_deadline != vlapic_timer_deadline_mode(l)) {
        l->timer_initial = l->c0 = 0;
        l->timer_running = false;
        l->tsc_deadline = 0;
    }
}

u64 vlapic_next_deadline(struct vlapic *l)
{
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    vlapic_timer_update(l, vlapic_now(l), &o);
    u64 d = DEV_NO_DEADLINE;
    if (vlapic_hw_enabled(l) && !(l->lvt[VLAPIC_LVT_TIMER] & LVT_MASKED)) {
        if (vlapic_timer_deadline_mode(l))
            d = l->tsc_deadline ? l->tsc_deadline : DEV_NO_DEADLINE;
        else if (l->timer_running)
            d = l->expire;
    }
    vlapic_unlock(l, &o);
    return d;
}

void vlapic_tsc_moved(struct vlapic *l, s64 delta)
{
    spin_lock(&l->lock);
    if (l->timer_running) {
        l->t0 += (u64)delta;
        if (l->expire != UINT64_MAX)
            l->expire += (u64)delta;
    }
    spin_unlock(&l->lock);
}

enum vlapic_status vlapic_tsc_deadline_read(struct vlapic *l, u64 *value)
{
    if (!l->cfg.tsc_deadline)
        return VLAPIC_GP;
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    vlapic_timer_update(l, vlapic_now(l), &o);
    *value = vlapic_hw_enabled(l) && vlapic_timer_deadline_mode(l) ? l->tsc_deadline : 0;
    vlapic_unlock(l, &o);
    return VLAPIC_OK;
}

/* Arms at a guest TSC value (one already past fires at once), 0 disarms; ignored outside TSC-deadline mode. */
enum vlapic_status vlapic_tsc_deadline_write(struct vlapic *l, u64 value)
{
    if (!l->cfg.tsc_deadline)
        return VLAPIC_GP;
    struct vlapic_out o = VLAPIC_OUT_INIT;
    spin_lock(&l->lock);
    u64 now = vlapic_now(l);
    vlapic_timer_update(l, now, &o);
    if (vlapic_hw_enabled(l) && vlapic_timer_deadline_mode(l)) {
        l->tsc_deadline = value;
        vlapic_timer_update(l, now, &o);
    }
    vlapic_unlock(l, &o);
    return VLAPIC_OK;
}
