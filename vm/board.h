/* SPDX-License-Identifier: BSD-2-Clause */
/* The VM's board: 16550A at 0x3F8 (IRQ 4), MC146818 at 0x70 (IRQ 8), 8254 at 0x40 and 0x61 (IRQ 0), 8259A pair,
 * I/O APICs, the HPET where ACPI lists one, debug-exit at 0xF4, and their wiring. */
#ifndef VM_BOARD_H
#define VM_BOARD_H

#include "devices/acpi_pm1.h"
#include "devices/debug_exit.h"
#include "devices/guest_console.h"
#include "devices/hpet.h"
#include "devices/pic8259.h"
#include "devices/pit8254.h"
#include "devices/rtc.h"
#include "devices/uart16550.h"
#include "kernel/smp.h"
#include "vm/apic.h"
#include "vm/ioapic.h"
#include "vcpu/vtimer.h"
#include "vm/power.h"

struct vm;
struct vcpu;

struct board {
    struct uart uart;
    struct rtc rtc;
    struct pit pit;
    struct pic pic;
    struct debug_exit debug_exit;
    struct guest_power power;       /* the machine's power-off, sleep and reset ports, trapped (vm/power.c) */
    struct guest_console console;   /* the UART's transmitted bytes and hypercall text, as "[guest] " lines */
    struct vcpu *timer_vcpu;        /* the vCPU that takes the PIC's interrupts and serves the device timers */
    struct vtimer uart_timer;       /* the UART's character timeout */
    struct vtimer rtc_timer;        /* the RTC's periodic, alarm and update interrupts */
    struct vtimer pit_timer;        /* the PIT's counter 0 (IRQ 0) */
    struct vtimer input_timer;      /* typed input for a guest that waits for receive interrupts */
    struct vtimer console_timer;    /* the guest's console lines queued for the machine's UART */
    struct hpet hpet;               /* emulated where the ACPI HPET table says (vm/board_hpet.c) */
    bool has_hpet;
    struct vtimer hpet_timer;       /* the HPET's comparators */
    /* The interrupt lines (vm/board_lines.c), under lines_lock: who drives what. */
    struct spinlock lines_lock;
    u16 isa_device;                 /* ISA IRQs their device (PIT, UART, RTC) asserts */
    u16 isa_hpet;                   /* ISA IRQs the HPET asserts: 0 and 8 in legacy replacement mode */
    u16 isa_out;                    /* the ISA lines as the 8259 pair last saw them */
    u32 gsi_hpet;                   /* I/O APIC inputs (GSI 0-31) the HPET's routed timers assert */
    bool hpet_legacy;               /* LEG_RT_CNF: the PIT's IRQ 0 and the RTC's IRQ 8 are cut off */
    u16 isa_acpi;                   /* the SCI's ISA IRQ while the RTC's ACPI event asserts it */
    struct pm1_rtc_event pm1;       /* the RTC's fixed event in the PM1a event block (vm/board_pm1.c) */
    bool has_pm1;
    u16 pm1_port;
    u8 sci_irq;
    struct vcpu_apic *apic[HV_MAX_CPUS];    /* each vCPU's local APIC, by vCPU index, allocated with it (vm/apic.c) */
    struct board_ioapic ioapic[BOARD_MAX_IOAPICS];  /* the guest's I/O APICs, MADT order (vm/ioapic.c) */
    u32 ioapic_count;
    struct isa_routing isa;         /* IRQ 0-15 to GSIs, from the MADT's overrides */
    struct spinlock passthrough_lock;       /* the physical entries of passed-through pins (vm/ioapic.c) */
    u64 input_polled_tsc;           /* when a UART read last looked at the physical console */
    u64 input_poll_gap_tsc;         /* at most that often (INPUT_READ_POLL_NS) */
    u64 console_refill_tsc;         /* how long the machine's UART takes to send a FIFO-full */
};

/* Initialises the devices and registers their ports on the VM's bus (and so in its I/O bitmap). */
bool board_init(struct vm *vm);

/* Wires a new vCPU to the board: its local APIC becomes its interrupt source; the boot vCPU's takes the PIC's
 * interrupts through LINT0 (virtual wire), and the boot vCPU serves the device timers. */
bool board_attach_vcpu(struct vm *vm, struct vcpu *v);

/* A device's ISA line (struct dev_irq's set, ctx the board), and the HPET's lines and legacy replacement switch
 * (struct hpet's irq.set and legacy): vm/board_lines.c. */
void board_isa_irq(void *ctx, unsigned irq, bool level);
void board_hpet_irq(void *ctx, unsigned line, bool level);
void board_hpet_legacy(void *ctx, bool on);

/* The RTC's ACPI fixed event at the FADT's PM1a event block, if there is one (vm/board_pm1.c). */
bool board_pm1_init(struct vm *vm);

/* The RTC raised its interrupt: the RTC event's status, and the SCI if it is enabled. Under lines_lock. */
void board_pm1_rtc_interrupt_locked(struct board *b);

/* The SCI's line follows the RTC event (vm/board_lines.c). Under lines_lock. */
void board_sci_update_locked(struct board *b);

/* The HPET at the ACPI HPET table's address, if there is one (vm/board_hpet.c); after board_ioapic_init. */
bool board_hpet_init(struct vm *vm);

/* A device timer's inputs changed: its vCPU recomputes it. A device deadline in host ns as a TSC deadline. */
void board_poke(struct board *b, struct vtimer *t);
u64 board_tsc_deadline(u64 deadline_ns);

/* Moves bytes typed on the physical console into the guest's UART, as long as it takes them. */
void board_console_input(struct vm *vm);

/* Print one guest console line (struct guest_console's emit): the UART's through the console's queue, the
 * console hypercall's at once. */
void vm_console_emit(void *ctx, const char *line, size_t len);
void vm_console_emit_now(void *ctx, const char *line, size_t len);

/* The guest ends the run with a status: claims the stop (false if the run was ending already: its first reason
 * stands) and flushes the guest's console lines, so that the caller's "guest: ..." line comes after them. */
bool vm_guest_end(struct vm *vm, u32 status);

/* Ends the run with the guest's exit code (debug-exit port or hypercall): "guest: exit code N". */
void vm_guest_exit(struct vm *vm, u64 code);

#endif
