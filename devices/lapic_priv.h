/* SPDX-License-Identifier: BSD-2-Clause */
/* What the local APIC model's files share: the outputs gathered under the lock and the helpers between files. */
#ifndef DEVICES_LAPIC_PRIV_H
#define DEVICES_LAPIC_PRIV_H

#include "devices/lapic.h"
#include "kernel/msr.h"

/* Outputs found under the lock, carried out by vlapic_unlock() once it is dropped (see struct vlapic_ops). */
struct vlapic_out {
    struct vlapic_ipi ipi;
    bool send;
    int eoi;                /* a level-triggered vector that was EOI'd, or -1 */
    bool kick;
};
#define VLAPIC_OUT_INIT { .eoi = -1 }

void vlapic_unlock(struct vlapic *l, struct vlapic_out *o);

static inline u64 vlapic_now(struct vlapic *l)
{
    return l->ops.guest_tsc(l->ops.ctx);
}

/* Hardware-enabled (IA32_APIC_BASE.EN), x2APIC mode, software-enabled (SVR bit 8). */
static inline bool vlapic_hw_enabled(const struct vlapic *l)
{
    return l->apic_base & APIC_BASE_EN;
}

static inline bool vlapic_x2(const struct vlapic *l)
{
    return (l->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) == (APIC_BASE_EN | APIC_BASE_EXTD);
}

static inline bool vlapic_sw_enabled(const struct vlapic *l)
{
    return l->svr & SVR_ENABLE;
}

/* 256-bit vectors (IRR, ISR, TMR): vector v is bit v % 32 of word v / 32, as in the xAPIC page. */
static inline bool vec_test(const u32 *b, unsigned v)
{
    return b[v >> 5] >> (v & 31) & 1;
}

static inline void vec_set(u32 *b, unsigned v)
{
    b[v >> 5] |= 1u << (v & 31);
}

static inline void vec_clear(u32 *b, unsigned v)
{
    b[v >> 5] &= ~(1u << (v & 31));
}

/* The highest vector set, or -1. */
static inline int vec_highest(const u32 *b)
{
    for (int i = 7; i >= 0; i--)
        if (b[i])
            return i * 32 + 31 - __builtin_clz(b[i]);
    return -1;
}

/* x2APIC LDR (11.12.10.2): cluster ID = ID[19:4] in 31:16, bit ID[3:0] set in 15:0. */
static inline u32 x2apic_ldr(u32 id)
{
    return (id >> 4) << 16 | 1u << (id & 15);
}

/* lapic_prio.c: priorities, acceptance, INTA and EOI (11.8). */
u8 vlapic_ppr(const struct vlapic *l);
u8 vlapic_apr(const struct vlapic *l);
void vlapic_accept_fixed(struct vlapic *l, u8 vector, bool level, struct vlapic_out *o);
void vlapic_raise_lvt(struct vlapic *l, unsigned lvt, struct vlapic_out *o);
void vlapic_error(struct vlapic *l, u32 esr_bits, struct vlapic_out *o);
int vlapic_pending_locked(const struct vlapic *l);
void vlapic_eoi_locked(struct vlapic *l, struct vlapic_out *o);

/* lapic_timer.c (11.5.4) */
void vlapic_timer_update(struct vlapic *l, u64 now, struct vlapic_out *o);
void vlapic_timer_reset(struct vlapic *l);
u32 vlapic_timer_current(const struct vlapic *l, u64 now);
void vlapic_timer_set_initial(struct vlapic *l, u64 now, u32 count);
void vlapic_timer_set_divide(struct vlapic *l, u64 now, u32 value);
void vlapic_timer_set_lvt(struct vlapic *l, u32 value);
bool vlapic_timer_deadline_mode(const struct vlapic *l);

/* lapic_regs.c: one register by xAPIC offset, for the page and the MSRs (x2 = the x2APIC rules). */
enum reg_status { REG_OK, REG_ABSENT, REG_WRITE_ONLY, REG_READ_ONLY, REG_RESERVED };
enum reg_status vlapic_reg_read(struct vlapic *l, u32 offset, u64 now, bool x2, u64 *value);
enum reg_status vlapic_reg_write(struct vlapic *l, u32 offset, u64 now, bool x2, u64 value, struct vlapic_out *o);

#endif
