/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's HPET (devices/hpet.c, DESIGN.md "The guest's platform"): where the ACPI HPET table puts the
 * machine's, an emulated one takes its place, so that a guest which uses the HPET (Linux: clocksource, and legacy
 * replacement of the PIT's and RTC's lines) gets a coherent platform without touching the machine's, which stays
 * the hypervisor's. No HPET table, no HPET. It counts the hypervisor's clock at 10 MHz, its comparators are a
 * timer of the boot vCPU like the PIT's, and its interrupts go through the board's lines (vm/board_lines.c).
 */
#include "kernel/acpi.h"
#include "kernel/printk.h"
#include "kernel/wallclock.h"
#include "vm/vm.h"

#define PIT_IRQ 0
#define RTC_IRQ 8

static u64 mmio_read(void *dev, u64 offset, unsigned size)
{
    struct board *b = dev;
    return hpet_mmio_read(&b->hpet, offset, size);
}

static void mmio_write(void *dev, u64 offset, unsigned size, u64 value)
{
    struct board *b = dev;
    hpet_mmio_write(&b->hpet, offset, size, value);
    if (hpet_take_deadline_moved(&b->hpet))
        board_poke(b, &b->hpet_timer);
}

static u64 timer_fire(struct vtimer *t, u64 now_tsc)
{
    (void)now_tsc;      /* the deadline is the models' clock's, not a time from now */
    struct board *b = container_of(t, struct board, hpet_timer);
    return board_tsc_deadline(hpet_next_deadline(&b->hpet));
}

/* The I/O APIC inputs a timer may be routed to: IRQ 0's and IRQ 8's pins (GSI 2 and 8 on a PC), which the board
 * drives already (shared with the PIT and the RTC). QEMU's PC HPET offers GSI 2 alone; taking pins 20-23 as
 * chipsets do would take them from passed-through PCI devices. */
static u32 route_cap(const struct board *b)
{
    u32 cap = 0;
    if (b->isa.gsi[PIT_IRQ] < 32)
        cap |= 1u << b->isa.gsi[PIT_IRQ];
    if (b->isa.gsi[RTC_IRQ] < 32)
        cap |= 1u << b->isa.gsi[RTC_IRQ];
    return cap;
}

bool board_hpet_init(struct vm *vm)
{
    struct board *b = &vm->board;
    const struct acpi_info *a = acpi_tables();
    if (!a || !a->has_hpet) {
        pr_info("hpet: no ACPI HPET table: the guest has no HPET");
        return true;
    }
    hpet_init(&b->hpet, (struct dev_clock){ wallclock_now_ns, NULL }, (struct dev_irq){ board_hpet_irq, b, 0 },
              board_hpet_legacy, route_cap(b));
    struct mmio_region r = { a->hpet_address, a->hpet_address + HPET_MMIO_SIZE - 1, mmio_read, mmio_write, b,
                             "HPET" };
    if (!vm_add_mmio(vm, &r))
        return false;
    b->hpet_timer.fire = timer_fire;
    b->has_hpet = true;
    pr_info("hpet: emulated at 0x%llx: %u timers, 10 MHz, legacy replacement onto IRQ 0 and 8, routes 0x%x",
            (unsigned long long)a->hpet_address, HPET_TIMERS, b->hpet.route_cap);
    return true;
}
