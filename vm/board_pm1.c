/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The RTC's ACPI fixed event (devices/acpi_pm1.h) at the FADT's PM1a event block: the block's ports are trapped,
 * the machine's block answers for every other bit, and the event drives the SCI's line (FADT SCI_INT) on the
 * board. The machine's own SCI keeps reaching the guest through the passed-through pin: an OS's SCI handler reads
 * every fixed event's status, so one interrupt serves both.
 */
#include "kernel/acpi.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "vm/vm.h"

static u32 machine_in(u16 port, unsigned size)
{
    return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

static void machine_out(u16 port, unsigned size, u32 value)
{
    if (size == 1)
        outb(port, (u8)value);
    else if (size == 2)
        outw(port, (u16)value);
    else
        outl(port, value);
}

static u32 pm1_io_read(void *dev, u16 offset, unsigned size)
{
    struct board *b = dev;
    u32 machine = machine_in((u16)(b->pm1_port + offset), size);
    spin_lock(&b->lines_lock);
    u32 v = pm1_event_read(&b->pm1, offset, size, machine);
    spin_unlock(&b->lines_lock);
    return v;
}

static void pm1_io_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct board *b = dev;
    spin_lock(&b->lines_lock);
    u32 machine = pm1_event_write(&b->pm1, offset, size, value);
    board_sci_update_locked(b);
    spin_unlock(&b->lines_lock);
    machine_out((u16)(b->pm1_port + offset), size, machine);
}

void board_pm1_rtc_interrupt_locked(struct board *b)
{
    if (!b->has_pm1)
        return;
    pm1_rtc_interrupt(&b->pm1);
    board_sci_update_locked(b);
}

bool board_pm1_init(struct vm *vm)
{
    struct board *b = &vm->board;
    const struct acpi_info *a = acpi_tables();
    if (!a || !a->pm1a_event || a->pm1_event_len < 4 || a->sci_irq >= ISA_IRQS) {
        pr_info("acpi: no PM1a event block or no ISA SCI in the FADT: the guest's RTC has no ACPI event");
        return true;
    }
    b->pm1 = (struct pm1_rtc_event){ .len = a->pm1_event_len };
    b->pm1_port = a->pm1a_event;
    b->sci_irq = (u8)a->sci_irq;
    struct io_region r = { a->pm1a_event, (u16)(a->pm1a_event + a->pm1_event_len - 1), 4, pm1_io_read,
                           pm1_io_write, b, "PM1a event" };
    if (!vm_add_io(vm, &r))
        return false;
    b->has_pm1 = true;
    pr_info("acpi: the RTC's fixed event emulated at PM1a event 0x%x (the SCI on IRQ %u)", a->pm1a_event,
            a->sci_irq);
    return true;
}
