/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The board's interrupt lines: ISA IRQ 0-15 as their devices (PIT, UART, RTC) and the HPET drive them, into the
 * 8259 pair and the I/O APIC pin of each line's GSI (the MADT's overrides), and the HPET's routed timers into
 * I/O APIC pins directly. In legacy replacement mode the HPET's timers 0 and 1 take IRQ 0 and IRQ 8 from the PIT
 * and the RTC (HPET spec 1.0a, LEG_RT_CNF): those devices still run, but their lines are cut off. A pin with more
 * than one driver is asserted while any of them asserts it. The SCI's line is driven by the RTC's ACPI event
 * (vm/board_pm1.c).
 */
#include "vm/vm.h"

#define PIT_IRQ 0
#define RTC_IRQ 8

/* The ISA line as the 8259 sees it. */
static bool isa_level(const struct board *b, unsigned irq)
{
    bool cut = b->hpet_legacy && (irq == PIT_IRQ || irq == RTC_IRQ);
    return ((b->isa_device & (1u << irq)) && !cut) || ((b->isa_hpet | b->isa_acpi) & (1u << irq));
}

/* The I/O APIC pin of gsi follows every driver of it; its polarity is the first ISA line's on it (else high). */
static void gsi_update(struct board *b, u32 gsi)
{
    bool asserted = gsi < 32 && (b->gsi_hpet & (1u << gsi)), isa = false, active_low = false;
    for (unsigned irq = 0; irq < ISA_IRQS; irq++) {
        if (b->isa.gsi[irq] != gsi)
            continue;
        asserted |= isa_level(b, irq);
        if (!isa)
            active_low = b->isa.active_low & (1u << irq);
        isa = true;
    }
    board_ioapic_gsi(b, gsi, asserted, active_low);
}

static void isa_update(struct board *b, unsigned irq)
{
    bool level = isa_level(b, irq);
    if (level != !!(b->isa_out & (1u << irq))) {
        b->isa_out ^= (u16)(1u << irq);
        pic_set_irq(&b->pic, irq, level);
    }
    gsi_update(b, b->isa.gsi[irq]);
}

static void put(u16 *bits, unsigned n, bool v)
{
    *bits = (u16)(v ? *bits | 1u << n : *bits & ~(1u << n));
}

void board_isa_irq(void *ctx, unsigned irq, bool level)
{
    struct board *b = ctx;
    spin_lock(&b->lines_lock);
    bool rose = level && !(b->isa_device & (1u << irq));
    put(&b->isa_device, irq, level);
    isa_update(b, irq);
    if (irq == RTC_IRQ && rose)             /* the chipset sees the RTC's output, HPET or not */
        board_pm1_rtc_interrupt_locked(b);
    spin_unlock(&b->lines_lock);
}

/* The SCI follows the RTC event (the machine's own SCI sources stay on the passed-through pin). */
void board_sci_update_locked(struct board *b)
{
    if (!b->has_pm1 || b->sci_irq >= ISA_IRQS)
        return;
    bool on = pm1_sci(&b->pm1);
    if (on != !!(b->isa_acpi & (1u << b->sci_irq))) {
        put(&b->isa_acpi, b->sci_irq, on);
        isa_update(b, b->sci_irq);
    }
}

void board_hpet_irq(void *ctx, unsigned line, bool level)
{
    struct board *b = ctx;
    spin_lock(&b->lines_lock);
    if (line == HPET_LINE_IRQ0 || line == HPET_LINE_IRQ8) {
        unsigned irq = line == HPET_LINE_IRQ0 ? PIT_IRQ : RTC_IRQ;
        put(&b->isa_hpet, irq, level);
        isa_update(b, irq);
    } else if (line < 32) {
        b->gsi_hpet = level ? b->gsi_hpet | 1u << line : b->gsi_hpet & ~(1u << line);
        gsi_update(b, line);
    }
    spin_unlock(&b->lines_lock);
}

void board_hpet_legacy(void *ctx, bool on)
{
    struct board *b = ctx;
    spin_lock(&b->lines_lock);
    b->hpet_legacy = on;
    isa_update(b, PIT_IRQ);
    isa_update(b, RTC_IRQ);
    spin_unlock(&b->lines_lock);
}
