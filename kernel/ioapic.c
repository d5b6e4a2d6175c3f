/* SPDX-License-Identifier: BSD-2-Clause */
/* The machine's I/O APICs (82093AA 3.0): an index/data pair at the MADT's address, one lock for the pair. */
#include "devices/ioapic.h"
#include "kernel/ioapic.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"

static struct hw_ioapic {
    volatile u32 *regs;         /* the identity map reaches it (below 4 GiB; UC by the firmware's MTRRs) */
    unsigned pins;
} ioapics[ACPI_MAX_IOAPICS];
static struct spinlock lock = SPINLOCK_INIT;     /* IOREGSEL then IOWIN: one access at a time, machine-wide */

static u32 reg_read(struct hw_ioapic *io, u8 reg)
{
    io->regs[IOAPIC_IOREGSEL / 4] = reg;
    return io->regs[IOAPIC_IOWIN / 4];
}

static void reg_write(struct hw_ioapic *io, u8 reg, u32 v)
{
    io->regs[IOAPIC_IOREGSEL / 4] = reg;
    io->regs[IOAPIC_IOWIN / 4] = v;
}

void hw_ioapic_init(const struct acpi_info *acpi)
{
    for (u32 n = 0; acpi && n < acpi->ioapic_count; n++) {
        struct hw_ioapic *io = &ioapics[n];
        io->regs = (volatile u32 *)(uintptr_t)acpi->ioapics[n].address;
        u32 ver = reg_read(io, IOAPIC_REG_VER);
        if (ver == 0xFFFFFFFF) {
            pr_warn("ioapic: %u at %x does not answer: no pins", n, acpi->ioapics[n].address);
            io->regs = NULL;
            continue;
        }
        io->pins = MIN(((ver >> IOAPIC_VER_MRE_SHIFT) & 0xFF) + 1, IOAPIC_MAX_PINS);
        for (unsigned pin = 0; pin < io->pins; pin++)
            hw_ioapic_write_rte(n, pin, IOAPIC_RTE_RESET);
        pr_info("ioapic: %u: ID %u at %x, GSI %u-%u, version %x, every pin masked", n, acpi->ioapics[n].id,
                acpi->ioapics[n].address, acpi->ioapics[n].gsi_base, acpi->ioapics[n].gsi_base + io->pins - 1,
                ver & 0xFF);
    }
}

unsigned hw_ioapic_pins(unsigned n)
{
    return n < ACPI_MAX_IOAPICS ? ioapics[n].pins : 0;
}

void hw_ioapic_write_rte(unsigned n, unsigned pin, u64 rte)
{
    if (n >= ACPI_MAX_IOAPICS || pin >= ioapics[n].pins)
        return;
    struct hw_ioapic *io = &ioapics[n];
    spin_lock(&lock);
    /* Mask first: the two halves are separate writes, and the pin must never send a half-written entry. The
     * masking write already has the new trigger mode: a level line must not see its entry edge-triggered. */
    reg_write(io, (u8)(IOAPIC_REG_REDTBL + 2 * pin), (u32)rte | IOAPIC_RTE_MASKED);
    reg_write(io, (u8)(IOAPIC_REG_REDTBL + 2 * pin + 1), (u32)(rte >> 32));
    reg_write(io, (u8)(IOAPIC_REG_REDTBL + 2 * pin), (u32)rte);
    spin_unlock(&lock);
}
