/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest's power-off, sleep and reset: trapped at the machine's ports, they end the run with a status. */
#include "kernel/acpi.h"
#include "kernel/exit.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "vm/power.h"
#include "vm/vm.h"

/* PM1 control (ACPI 6.5 4.8.3.2.1): SLP_TYP in bits 12:10 and SLP_EN in bit 13, both in the high byte. */
#define PM1_CNT_PORTS       2
#define PM1_SLP_TYP_SHIFT   10
#define PM1_SLP_EN          BIT(13)
/* PCI configuration address (0xCF8, dword) overlapping the reset control register (0xCF9, byte; Intel PIIX4 and
 * ICH datasheets "RC"): bit 2 starts the reset, bit 1 chooses hard or soft. */
#define PCI_CONFIG_ADDRESS  0xCF8
#define RESET_CONTROL       0xCF9
#define RC_RESET_CPU        BIT(2)
/* 8042 keyboard controller: commands 0xF0-0xFF pulse the output-port lines whose bits are 0 in the low nibble;
 * bit 0 is the CPU reset line (IBM PC AT Technical Reference, "Keyboard controller"). Linux uses 0xFE. */
#define KBC_COMMAND         0x64
#define KBC_PULSE_MASK      0xF1
#define KBC_PULSE_RESET     0xF0
/* System control port A (PS/2): a 0-to-1 transition of bit 0 resets the CPU ("fast reset"); bit 1 is A20. */
#define PORT_92             0x92
#define PORT_92_RESET       BIT(0)

static u32 phys_in(u16 port, unsigned size)
{
    return size == 4 ? inl(port) : size == 2 ? inw(port) : inb(port);
}

static void phys_out(u16 port, unsigned size, u32 value)
{
    if (size == 4)
        outl(port, value);
    else if (size == 2)
        outw(port, (u16)value);
    else
        outb(port, (u8)value);
}

bool vm_guest_reset(struct vm *vm, const char *via)
{
    if (!vm_guest_end(vm, EXIT_GUEST_RESET))
        return false;
    printk(LOG_ALWAYS, "guest: reset via %s", via);
    return true;
}

/* SLP_EN with a sleep type: \_S5 powers off (status 0: a plain power-off is success), any other sleep state
 * ends the run as one the hypervisor cannot come back from. The machine never sleeps for a guest. */
static void guest_sleeps(struct guest_power *p, unsigned block, unsigned typ)
{
    if ((p->sleep_states & BIT(ACPI_S5)) && p->slp_typ[block][ACPI_S5] == typ) {
        if (vm_guest_end(p->vm, EXIT_OK))
            printk(LOG_ALWAYS, "guest: power-off");
        return;
    }
    if (!vm_guest_end(p->vm, EXIT_GUEST_SLEEP))
        return;
    for (unsigned n = 1; n < ACPI_S5; n++)
        if ((p->sleep_states & BIT(n)) && p->slp_typ[block][n] == typ) {
            printk(LOG_ALWAYS, "guest: sleep state S%u requested", n);
            return;
        }
    printk(LOG_ALWAYS, "guest: sleep requested with SLP_TYP %u, which no \\_Sn object names", typ);
}

/* PM1 control, 16 bits wide: an access of 1 or 2 bytes within it (the bus splits anything else into bytes). */
static u32 pm1_read(struct guest_power *p, unsigned block, u16 offset, unsigned size)
{
    return phys_in((u16)(p->pm1_control[block] + offset), size);
}

static void pm1_write(struct guest_power *p, unsigned block, u16 offset, unsigned size, u32 value)
{
    u32 cnt = size == 2 ? value : value << (8 * offset);    /* the bits written, where PM1_CNT has them */
    if ((size == 2 || offset == 1) && (cnt & PM1_SLP_EN))
        guest_sleeps(p, block, (cnt >> PM1_SLP_TYP_SHIFT) & 7);
    else
        phys_out((u16)(p->pm1_control[block] + offset), size, value);   /* SCI_EN, SLP_TYP alone, ... */
}

static u32 pm1a_read(void *dev, u16 offset, unsigned size) { return pm1_read(dev, 0, offset, size); }
static u32 pm1b_read(void *dev, u16 offset, unsigned size) { return pm1_read(dev, 1, offset, size); }
static void pm1a_write(void *dev, u16 offset, unsigned size, u32 value) { pm1_write(dev, 0, offset, size, value); }
static void pm1b_write(void *dev, u16 offset, unsigned size, u32 value) { pm1_write(dev, 1, offset, size, value); }

/* 0xCF8-0xCFB, 32 bits wide so that the PCI configuration address goes through whole, as the guest wrote it. */
static u32 pci_address_read(void *dev, u16 offset, unsigned size)
{
    (void)dev;
    return phys_in((u16)(PCI_CONFIG_ADDRESS + offset), size);
}

static void pci_address_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct guest_power *p = dev;
    if (PCI_CONFIG_ADDRESS + offset == RESET_CONTROL && size == 1 && (value & RC_RESET_CPU))
        vm_guest_reset(p->vm, "0xcf9");
    else
        phys_out((u16)(PCI_CONFIG_ADDRESS + offset), size, value);
}

static u32 kbc_read(void *dev, u16 offset, unsigned size)
{
    (void)dev, (void)offset, (void)size;
    return inb(KBC_COMMAND);
}

static void kbc_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct guest_power *p = dev;
    (void)offset, (void)size;
    if ((value & KBC_PULSE_MASK) == KBC_PULSE_RESET)
        vm_guest_reset(p->vm, "keyboard controller");
    else
        outb(KBC_COMMAND, (u8)value);
}

static u32 port92_read(void *dev, u16 offset, unsigned size)
{
    (void)dev, (void)offset, (void)size;
    return inb(PORT_92);
}

static void port92_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct guest_power *p = dev;
    (void)offset, (void)size;
    /* Only the rising edge resets: a read-modify-write of A20 that keeps a set bit 0 does not. */
    if ((value & PORT_92_RESET) && !(inb(PORT_92) & PORT_92_RESET))
        vm_guest_reset(p->vm, "port 0x92");
    else
        outb(PORT_92, (u8)value);
}

static u32 reset_reg_read(void *dev, u16 offset, unsigned size)
{
    struct guest_power *p = dev;
    (void)offset, (void)size;
    return inb(p->reset_port);
}

static void reset_reg_write(void *dev, u16 offset, unsigned size, u32 value)
{
    struct guest_power *p = dev;
    (void)offset, (void)size;
    if ((u8)value == p->reset_value)
        vm_guest_reset(p->vm, "the ACPI reset register");
    else
        outb(p->reset_port, (u8)value);
}

static bool is_reset_port(u16 port)
{
    return port == RESET_CONTROL || port == KBC_COMMAND || port == PORT_92;
}

/* PM1 control blocks: only with the FADT's ports and \_S5's sleep type; otherwise they stay the machine's. */
static void trap_sleep(struct vm *vm, struct guest_power *p, const struct acpi_info *a)
{
    const char *why = !a ? "no ACPI tables" : !a->has_fadt ? "no FADT" : !a->pm1a_control ?
                      "no PM1a control block in the FADT" : a->pm1a_control > 0xFFFE ? "PM1a control is not a port" :
                      !acpi_has_sleep_state(a, ACPI_S5) ? "no \\_S5 object in the DSDT" : NULL;
    if (why) {
        pr_warn("power: the guest's ACPI power-off and sleep are not trapped (%s): PM1 control passes through", why);
        return;
    }
    p->sleep_states = a->sleep_states;
    for (unsigned n = 0; n <= ACPI_S5; n++)
        p->slp_typ[0][n] = a->slp_typ_a[n], p->slp_typ[1][n] = a->slp_typ_b[n];
    p->pm1_control[0] = (u16)a->pm1a_control;
    if (a->pm1b_control && a->pm1b_control <= 0xFFFE && a->pm1b_control != a->pm1a_control)
        p->pm1_control[1] = (u16)a->pm1b_control;
    const struct io_region pm1[] = {
        { p->pm1_control[0], (u16)(p->pm1_control[0] + PM1_CNT_PORTS - 1), 2, pm1a_read, pm1a_write, p,
          "ACPI PM1a control" },
        { p->pm1_control[1], (u16)(p->pm1_control[1] + PM1_CNT_PORTS - 1), 2, pm1b_read, pm1b_write, p,
          "ACPI PM1b control" },
    };
    /* Ports the firmware names may collide with a device's: that one stays unclaimed, and the line before says so. */
    if (!vm_add_io(vm, &pm1[0])) {
        p->pm1_control[0] = p->pm1_control[1] = 0;
        return;
    }
    if (p->pm1_control[1] && !vm_add_io(vm, &pm1[1]))
        p->pm1_control[1] = 0;
    if (p->pm1_control[1])
        pr_info("power: guest power-off and sleep trapped at PM1a control 0x%x and PM1b control 0x%x "
                "(\\_S5 SLP_TYP %u/%u)", p->pm1_control[0], p->pm1_control[1], p->slp_typ[0][ACPI_S5],
                p->slp_typ[1][ACPI_S5]);
    else
        pr_info("power: guest power-off and sleep trapped at PM1a control 0x%x (\\_S5 SLP_TYP %u)",
                p->pm1_control[0], p->slp_typ[0][ACPI_S5]);
}

bool power_init(struct vm *vm)
{
    struct guest_power *p = &vm->board.power;
    const struct acpi_info *a = acpi_tables();
    p->vm = vm;
    trap_sleep(vm, p, a);
    const struct io_region resets[] = {
        { PCI_CONFIG_ADDRESS, PCI_CONFIG_ADDRESS + 3, 4, pci_address_read, pci_address_write, p,
          "PCI config address / reset control" },
        { KBC_COMMAND, KBC_COMMAND, 1, kbc_read, kbc_write, p, "8042 command" },
        { PORT_92, PORT_92, 1, port92_read, port92_write, p, "system control port A" },
    };
    for (unsigned i = 0; i < ARRAY_SIZE(resets); i++)
        if (!vm_add_io(vm, &resets[i]))
            return false;
    if (a && a->has_reset_reg && !is_reset_port(a->reset_port)) {
        const struct io_region r = { a->reset_port, a->reset_port, 1, reset_reg_read, reset_reg_write, p,
                                     "ACPI reset register" };
        if (vm_add_io(vm, &r))      /* else it stays the machine's, and vm_add_io said why */
            p->reset_port = a->reset_port, p->reset_value = a->reset_value;
    }
    if (p->reset_port)
        pr_info("power: guest resets trapped at 0xcf9, 0x64, 0x92 and the ACPI reset register 0x%x (value 0x%x)",
                p->reset_port, p->reset_value);
    else
        pr_info("power: guest resets trapped at 0xcf9, 0x64 and 0x92%s", a && a->has_reset_reg &&
                is_reset_port(a->reset_port) ? " (the ACPI reset register is one of them)" : "");
    return true;
}
