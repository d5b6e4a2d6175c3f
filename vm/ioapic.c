/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's I/O APICs (DESIGN.md "The guest's platform"): one model per MADT entry, at its address, ID and GSI
 * base, with as many pins as the machine's. The board's ISA lines drive the pins their GSIs are; every other pin
 * is a passed-through device's: while the guest has it unmasked, the machine's pin of the same number sends a host
 * vector (PASSTHROUGH_VECTOR_FIRST + GSI) to the CPU of the vCPU the guest's entry names, and the exit for that
 * vector raises the guest's pin. A level pin is masked physically from its interrupt until the guest's EOI.
 */
#include "kernel/acpi.h"
#include "kernel/ioapic.h"
#include "kernel/lapic.h"
#include "kernel/printk.h"
#include "vm/vm.h"

#define ISA_PIT_IRQ     0
#define ISA_UART_IRQ    4
#define ISA_RTC_IRQ     8
#define MPS_POLARITY    0x3     /* override flags bits 1:0 (ACPI 5.2.12.5, MPS INTI flags) */
#define MPS_ACTIVE_LOW  0x3
#define MPS_ACTIVE_HIGH 0x1

static bool test(const u32 *bits, unsigned n)
{
    return bits[n / 32] & (1u << (n % 32));
}

static void put(u32 *bits, unsigned n, bool v)
{
    if (v)
        bits[n / 32] |= 1u << (n % 32);
    else
        bits[n / 32] &= ~(1u << (n % 32));
}

/* The I/O APIC that has gsi, and the pin; NULL if none has it. */
static struct board_ioapic *ioapic_of_gsi(struct board *b, u32 gsi, unsigned *pin)
{
    for (u32 i = 0; i < b->ioapic_count; i++) {
        struct board_ioapic *x = &b->ioapic[i];
        if (gsi >= x->gsi_base && gsi - x->gsi_base < x->io.pins) {
            *pin = gsi - x->gsi_base;
            return x;
        }
    }
    return NULL;
}

static bool passthrough_pin(const struct board_ioapic *x, unsigned pin)
{
    return !test(x->model, pin) && x->gsi_base + pin < PASSTHROUGH_PINS;
}

/* Fixed and lowest priority only are level-triggered (82093AA 3.2.4; devices/ioapic.c says the same). */
static bool entry_level(u64 e)
{
    u64 dm = (e & IOAPIC_RTE_DM_MASK) >> IOAPIC_RTE_DM_SHIFT;
    return (e & IOAPIC_RTE_LEVEL) && (dm == IOAPIC_DM_FIXED || dm == IOAPIC_DM_LOWEST);
}

/*
 * The machine's pin follows the guest's entry: unmasked while the guest's is and no level interrupt is held for
 * the guest's EOI; the host vector, the guest's trigger and polarity, physical destination: the APIC of the CPU
 * running the vCPU the entry names (else the boot vCPU's). A held pin is released once remote IRR is clear.
 */
static void sync_pin(struct board_ioapic *x, unsigned pin)
{
    struct board *b = &x->vm->board;
    spin_lock(&b->passthrough_lock);
    u64 e = ioapic_entry(&x->io, pin), phys = IOAPIC_RTE_MASKED;
    if (!(e & IOAPIC_RTE_REMOTE_IRR))
        put(x->held, pin, false);
    if (!ioapic_rte_masked(e) && !test(x->held, pin)) {
        u32 dest = apic_physical_dest(x->vm, (u8)(e >> IOAPIC_RTE_DEST_SHIFT), e & IOAPIC_RTE_LOGICAL);
        phys = (PASSTHROUGH_VECTOR_FIRST + x->gsi_base + pin) | (entry_level(e) ? IOAPIC_RTE_LEVEL : 0) |
               (e & IOAPIC_RTE_ACTIVE_LOW) | ((u64)(dest & 0xFF) << IOAPIC_RTE_DEST_SHIFT);
    }
    if (phys != x->phys[pin]) {
        hw_ioapic_write_rte(x->index, pin, phys);
        x->phys[pin] = phys;
    }
    spin_unlock(&b->passthrough_lock);
}

static u64 mmio_read(void *dev, u64 offset, unsigned size)
{
    struct board_ioapic *x = dev;
    return ioapic_mmio_read(&x->io, offset, size);
}

/*
 * A write to a passed-through pin's entry moves the machine's pin after it. The pin's idle electrical level
 * follows the polarity being written (high for active low), before the write, so that the model sees no edge; an
 * entry is reprogrammed masked, as the 82093AA data sheet and Linux do, for that to be exact. IOREGSEL is the
 * guest's to keep stable between its IOREGSEL and IOWIN accesses, as on the hardware.
 */
static void mmio_write(void *dev, u64 offset, unsigned size, u64 value)
{
    struct board_ioapic *x = dev;
    unsigned reg = __atomic_load_n(&x->io.sel, __ATOMIC_RELAXED), pin = (reg - IOAPIC_REG_REDTBL) / 2;
    bool entry = offset == IOAPIC_IOWIN && size == 4 && reg >= IOAPIC_REG_REDTBL && pin < x->io.pins &&
                 passthrough_pin(x, pin);
    if (entry && !(reg & 1))
        ioapic_set_irq(&x->io, pin, value & IOAPIC_RTE_ACTIVE_LOW);
    ioapic_mmio_write(&x->io, offset, size, value);
    if (entry)
        sync_pin(x, pin);
}

static void deliver(void *ctx, const struct ioapic_msg *m)
{
    struct board_ioapic *x = ctx;
    apic_ioapic_message(x->vm, m);
}

/* The MADT's interrupt source overrides for the ISA bus (ACPI 5.2.12.5); without one, IRQ n is GSI n, active high,
 * but for the SCI, which is active low unless an override says active high (ACPI 5.2.9, SCI_INT). */
static void read_overrides(struct isa_routing *r, const struct acpi_info *a)
{
    u32 sci = a && a->has_fadt ? a->sci_irq : ISA_IRQS;
    for (u32 irq = 0; irq < ISA_IRQS; irq++)
        r->gsi[irq] = irq;
    if (sci < ISA_IRQS)
        r->active_low |= 1u << sci;
    for (u32 i = 0; a && i < a->override_count; i++) {
        const struct acpi_override *o = &a->overrides[i];
        if (o->bus != 0 || o->source >= ISA_IRQS)
            continue;
        r->gsi[o->source] = o->gsi;
        if ((o->flags & MPS_POLARITY) == MPS_ACTIVE_LOW)
            r->active_low |= 1u << o->source;
        else if ((o->flags & MPS_POLARITY) == MPS_ACTIVE_HIGH)
            r->active_low &= ~(1u << o->source);
    }
}

bool board_ioapic_init(struct vm *vm)
{
    struct board *b = &vm->board;
    const struct acpi_info *a = acpi_tables();
    static const u8 model_irqs[] = { ISA_PIT_IRQ, ISA_UART_IRQ, ISA_RTC_IRQ };

    b->passthrough_lock = (struct spinlock)SPINLOCK_INIT;
    read_overrides(&b->isa, a);
    for (u32 n = 0; a && n < a->ioapic_count && b->ioapic_count < BOARD_MAX_IOAPICS; n++) {
        struct board_ioapic *x = &b->ioapic[b->ioapic_count++];
        unsigned pins = hw_ioapic_pins(n);
        x->vm = vm;
        x->address = a->ioapics[n].address;
        x->gsi_base = a->ioapics[n].gsi_base;
        x->index = (u8)n;
        ioapic_init(&x->io, a->ioapics[n].id, pins ? pins : IOAPIC_PC_PINS, deliver, x);
        for (unsigned pin = 0; pin < x->io.pins; pin++)
            x->phys[pin] = IOAPIC_RTE_MASKED;      /* as hw_ioapic_init left it */
        struct mmio_region r = { x->address, x->address + IOAPIC_MMIO_SIZE - 1, mmio_read, mmio_write, x,
                                 "I/O APIC" };
        if (!vm_add_mmio(vm, &r))
            return false;
        if (!pins)
            pr_warn("ioapic: the machine's I/O APIC %u is missing: no pin of it is passed through", n);
        else if (x->gsi_base + pins > PASSTHROUGH_PINS)
            pr_warn("ioapic: GSIs %u and up are not passed through (host vectors for GSIs 0-%u only)",
                    MAX(PASSTHROUGH_PINS, x->gsi_base), PASSTHROUGH_PINS - 1);
    }
    /* The models' pins, and pin 0 with IRQ 0 on GSI 2: the 8259's INTR on a PC, no device's. Lines idle. */
    unsigned pin;
    struct board_ioapic *x = ioapic_of_gsi(b, 0, &pin);
    if (x)
        put(x->model, pin, true);
    for (u32 i = 0; i < ARRAY_SIZE(model_irqs); i++) {
        u8 irq = model_irqs[i];
        if ((x = ioapic_of_gsi(b, b->isa.gsi[irq], &pin))) {
            put(x->model, pin, true);
            board_ioapic_isa_irq(b, irq, false);
        }
    }
    return true;
}

void board_ioapic_isa_irq(struct board *b, unsigned irq, bool asserted)
{
    if (irq < ISA_IRQS)
        board_ioapic_gsi(b, b->isa.gsi[irq], asserted, b->isa.active_low & (1u << irq));
}

void board_ioapic_gsi(struct board *b, u32 gsi, bool asserted, bool active_low)
{
    unsigned pin;
    struct board_ioapic *x = ioapic_of_gsi(b, gsi, &pin);
    if (x)
        ioapic_set_irq(&x->io, pin, asserted != active_low);
}

void board_ioapic_eoi(struct vm *vm, u8 vector)
{
    struct board *b = &vm->board;
    for (u32 i = 0; i < b->ioapic_count; i++) {
        struct board_ioapic *x = &b->ioapic[i];
        ioapic_eoi(&x->io, vector);
        for (unsigned pin = 0; pin < x->io.pins; pin++)
            if (test(x->held, pin) && (ioapic_entry(&x->io, pin) & IOAPIC_RTE_VECTOR) == vector)
                sync_pin(x, pin);
    }
}

/*
 * A passed-through pin interrupted (it is in the physical ISR). A level pin is masked physically first, then
 * the physical EOI ends it at the machine's I/O APIC (remote IRR) with no new interrupt; sync_pin unmasks it after
 * the guest's EOI. The guest's pin sees one pulse at its asserted level: an edge pin sends once, a level pin sends
 * and keeps remote IRR until the guest's EOI, then sees its line low (the device's next interrupt comes from the
 * machine's pin again). The vector is a pin's only while that pin is armed (unmasked, or held): any other
 * interrupt on it is an MSI the guest programmed, for the caller's path into the local APIC.
 */
bool board_ioapic_interrupt(struct vm *vm, u8 vector)
{
    struct board *b = &vm->board;
    unsigned pin;
    if (vector < PASSTHROUGH_VECTOR_FIRST || vector >= PASSTHROUGH_VECTOR_FIRST + PASSTHROUGH_PINS)
        return false;
    struct board_ioapic *x = ioapic_of_gsi(b, vector - PASSTHROUGH_VECTOR_FIRST, &pin);
    if (!x || !passthrough_pin(x, pin))
        return false;
    spin_lock(&b->passthrough_lock);
    u64 phys = x->phys[pin];
    bool armed = !(phys & IOAPIC_RTE_MASKED) || test(x->held, pin), level = phys & IOAPIC_RTE_LEVEL;
    if (armed && level) {
        put(x->held, pin, true);
        x->phys[pin] = phys | IOAPIC_RTE_MASKED;
        hw_ioapic_write_rte(x->index, pin, x->phys[pin]);
    }
    spin_unlock(&b->passthrough_lock);
    if (!armed)
        return false;
    lapic_eoi();
    bool active_low = ioapic_entry(&x->io, pin) & IOAPIC_RTE_ACTIVE_LOW;
    ioapic_set_irq(&x->io, pin, !active_low);
    ioapic_set_irq(&x->io, pin, active_low);
    if (level)
        sync_pin(x, pin);           /* nothing held if the guest's pin sent nothing (masked meanwhile) */
    return true;
}
