/* SPDX-License-Identifier: BSD-2-Clause */
/* What the IPI router asks a local APIC: does a destination name it, and its lowest-priority standing (SDM 11.6.2). */
#include "devices/lapic_priv.h"

/*
 * xAPIC (11.6.2.1, 11.6.2.2): physical = the 8-bit ID, 0xFF everyone; logical flat = any common bit of LDR[31:24],
 * logical cluster = the same cluster (high nibble) and a common bit in the low nibble; 0xFF is a broadcast in
 * logical mode too. An x2APIC-sized destination reaches an xAPIC only if it fits in 8 bits (or is the broadcast).
 */
static bool match_xapic(const struct vlapic *l, u32 dest, bool logical, bool x2apic_dest)
{
    if (x2apic_dest && dest == 0xFFFFFFFF)
        return true;
    if (dest > 0xFF)
        return false;
    if (dest == 0xFF)
        return true;
    if (!logical)
        return dest == (l->id & 0xFF);
    u32 ldr = l->ldr >> XAPIC_LDR_SHIFT;
    if ((l->dfr & DFR_MODEL_MASK) == DFR_FLAT)
        return dest & ldr;
    return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xF);
}

/*
 * x2APIC (11.12.9, 11.12.10): physical = the 32-bit ID, logical = cluster ID in 31:16 and a common bit in 15:0.
 * The broadcast is 0xFFFFFFFF; a message in the xAPIC format (an I/O APIC, or an xAPIC sender) broadcasts with 0xFF.
 */
static bool match_x2apic(const struct vlapic *l, u32 dest, bool logical, bool x2apic_dest)
{
    if (dest == (x2apic_dest ? 0xFFFFFFFF : 0xFF))
        return true;
    if (!logical)
        return dest == l->id;
    return (dest >> 16) == (l->ldr >> 16) && (dest & l->ldr & 0xFFFF);
}

bool vlapic_match_dest(struct vlapic *l, u32 dest, bool logical, bool x2apic_dest)
{
    spin_lock(&l->lock);
    bool m = vlapic_hw_enabled(l) &&
             (vlapic_x2(l) ? match_x2apic(l, dest, logical, x2apic_dest) : match_xapic(l, dest, logical, x2apic_dest));
    spin_unlock(&l->lock);
    return m;
}

u8 vlapic_arb_priority(struct vlapic *l)
{
    spin_lock(&l->lock);
    u8 apr = vlapic_apr(l);
    spin_unlock(&l->lock);
    return apr;
}

bool vlapic_is_focus(struct vlapic *l, u8 vector)
{
    spin_lock(&l->lock);
    bool f = !(l->svr & SVR_FOCUS_DISABLE) && (vec_test(l->irr, vector) || vec_test(l->isr, vector));
    spin_unlock(&l->lock);
    return f;
}
