/* SPDX-License-Identifier: BSD-2-Clause */
/* The VM's board: 16550A at 0x3F8 (IRQ 4), MC146818 at 0x70 (IRQ 8), 8254 at 0x40 and 0x61 (IRQ 0), 8259A pair,
 * I/O APICs, debug-exit at 0xF4, and their wiring. */
#ifndef VM_BOARD_H
#define VM_BOARD_H

#include "devices/debug_exit.h"
#include "devices/guest_console.h"
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
    struct vcpu_apic *apic[HV_MAX_CPUS];    /* each vCPU's local APIC, by vCPU index, allocated with it (vm/apic.c) */
    struct board_ioapic ioapic[BOARD_MAX_IOAPICS];  /* the guest's I/O APICs, MADT order (vm/ioapic.c) */
    u32 ioapic_count;
    struct isa_routing isa;         /* IRQ 0-15 to GSIs, from the MADT's overrides */
    struct spinlock passthrough_lock;       /* the physical entries of passed-through pins (vm/ioapic.c) */
    u64 input_polled_tsc;           /* when a UART read last looked at the physical console */
    u64 input_poll_gap_tsc;         /* at most that often (INPUT_READ_POLL_NS) */
};

/* Initialises the devices and registers their ports on the VM's bus (and so in its I/O bitmap). */
bool board_init(struct vm *vm);

/* Wires a new vCPU to the board: its local APIC becomes its interrupt source; the boot vCPU's takes the PIC's
 * interrupts through LINT0 (virtual wire), and the boot vCPU serves the device timers. */
bool board_attach_vcpu(struct vm *vm, struct vcpu *v);

/* Moves bytes typed on the physical console into the guest's UART, as long as it takes them. */
void board_console_input(struct vm *vm);

/* Prints one guest console line (struct guest_console's emit). */
void vm_console_emit(void *ctx, const char *line, size_t len);

/* The guest ends the run with a status: claims the stop (false if the run was ending already: its first reason
 * stands) and flushes the guest's console lines, so that the caller's "guest: ..." line comes after them. */
bool vm_guest_end(struct vm *vm, u32 status);

/* Ends the run with the guest's exit code (debug-exit port or hypercall): "guest: exit code N". */
void vm_guest_exit(struct vm *vm, u64 code);

#endif
