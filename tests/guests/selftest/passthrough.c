/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A passed-through interrupt pin: the machine's 8042 keyboard controller raises ISA IRQ 1, a pin of the guest's
 * I/O APIC that no model drives. The hypervisor programs the machine's pin to a host vector while the guest's
 * entry is unmasked and raises the guest's pin on that interrupt (a level pin held masked physically until the
 * guest's EOI). The guest owns the 8042 (ports 0x60 and 0x64); its command 0xD2 puts a byte in the output buffer
 * as if the keyboard had sent it, which interrupts on IRQ 1 when the command byte allows.
 */
#include "tests/guests/selftest/hw.h"
#include "tests/guests/selftest/ioapic_regs.h"
#include "tests/guests/selftest/vectors.h"

#define GSI_KBD         1               /* ISA IRQ 1: no override on a PC */
#define IRQ_KBD         1
#define KBC_DATA        0x60
#define KBC_STATUS      0x64            /* read: status; write: command (trapped for its reset pulse only) */
#define   KBC_OBF       0x01            /* output buffer full: a byte for the guest at 0x60 */
#define   KBC_IBF       0x02            /* input buffer full: the controller has not taken the last write */
#define KBC_STATUS_NONE 0xFF            /* no controller answers */
#define KBC_WRITE_CONFIG 0x60
#define KBC_WRITE_KBD_OUTPUT 0xD2
#define CONFIG_KBD_IRQ  0x01
#define CONFIG_SYSTEM   0x04
#define CONFIG_NO_AUX   0x20            /* the mouse's clock off: it says nothing */
#define BYTES_PER_MODE  2               /* the second one shows the pin was unmasked again after the EOI */
#define SPINS           1000000

extern volatile unsigned irq_count[16];
static volatile int kbd_byte = -1;      /* the byte the last IRQ 1 found at 0x60 */
static volatile unsigned kbd_irr_seen;  /* IRQ 1 handlers that found remote IRR set (level mode) */

static void kbc_wait_input_empty(void)
{
    for (unsigned i = 0; inb(KBC_STATUS) & KBC_IBF; i++)
        if (i > SPINS)
            finish(110, "the 8042 does not take its input");
}

static void kbc_command(u8 command, u8 data)
{
    kbc_wait_input_empty();
    outb(KBC_STATUS, command);
    kbc_wait_input_empty();
    outb(KBC_DATA, data);
}

/* IRQ 1, before the EOI: the byte is read first (that lowers the line), remote IRR is seen in level mode. */
void passthrough_kbd_interrupt(void)
{
    if (ioapic_read(REDTBL(GSI_KBD)) & RTE_REMOTE_IRR)
        kbd_irr_seen++;
    kbd_byte = (inb(KBC_STATUS) & KBC_OBF) ? inb(KBC_DATA) : -1;
}

static void kbd_interrupts(bool level, u8 first)
{
    ioapic_write(REDTBL(GSI_KBD), RTE_MASKED);
    ioapic_write(REDTBL(GSI_KBD) + 1, apic_id() << 24);
    ioapic_write(REDTBL(GSI_KBD), (IRQ_BASE + IRQ_KBD) | (level ? RTE_LEVEL : 0));
    irq_count[IRQ_KBD] = kbd_irr_seen = 0;
    for (unsigned n = 1; n <= BYTES_PER_MODE; n++) {
        u8 byte = (u8)(first + n);
        kbd_byte = -1;
        kbc_command(KBC_WRITE_KBD_OUTPUT, byte);
        sti();                          /* polled, not halted: nothing else may come to end a HLT */
        for (unsigned spins = 0; irq_count[IRQ_KBD] < n && spins < SPINS; spins++)
            __asm__ volatile("pause");
        for (unsigned spins = 0; spins < SPINS / 10; spins++)
            __asm__ volatile("pause");  /* time for a second interrupt, if one were wrongly coming */
        cli();
        if (irq_count[IRQ_KBD] < n)
            finish(111, "the 8042's IRQ 1 does not come through the I/O APIC (passed-through pin)");
        if (irq_count[IRQ_KBD] != n || kbd_byte != byte)
            finish(112, "IRQ 1 came more than once per byte, or without the byte written");
    }
    ioapic_write(REDTBL(GSI_KBD), ioapic_read(REDTBL(GSI_KBD)) | RTE_MASKED);
    if (level && kbd_irr_seen != BYTES_PER_MODE)
        finish(113, "a level IRQ 1 did not hold remote IRR until its EOI");
    if (ioapic_read(REDTBL(GSI_KBD)) & RTE_REMOTE_IRR)
        finish(114, "remote IRR of GSI 1 stayed set after the EOI");
}

/* With the I/O APIC routing (ioapic.c: 8259 pair masked, EOI to the local APIC). Interrupts are on only while a
 * byte is awaited. */
void passthrough_checks(void)
{
    print_flush();
    if (inb(KBC_STATUS) == KBC_STATUS_NONE) {
        print("selftest: passthrough: no 8042 keyboard controller here, IRQ 1 not checked\n");
        return;
    }
    cli();
    ioapic_write(REDTBL(GSI_KBD), RTE_MASKED);
    for (unsigned i = 0; (inb(KBC_STATUS) & KBC_OBF) && i < 16; i++)
        inb(KBC_DATA);                  /* whatever the firmware left */
    kbc_command(KBC_WRITE_CONFIG, CONFIG_KBD_IRQ | CONFIG_SYSTEM | CONFIG_NO_AUX);
    kbd_interrupts(false, 0x50);
    kbd_interrupts(true, 0x60);
    sti();
    print("selftest: passthrough: the 8042's IRQ 1 through GSI 1, a pin no model drives: one interrupt per byte, "
          "twice edge- and twice level-triggered\n");
}
