/* SPDX-License-Identifier: BSD-2-Clause */
/* The PC devices a VM gets: 16550A at 0x3F8 (IRQ 4), MC146818 at 0x70 (IRQ 8), 8259A pair, debug-exit at 0xF4. */
#ifndef VM_BOARD_H
#define VM_BOARD_H

#include "devices/debug_exit.h"
#include "devices/guest_console.h"
#include "devices/pic8259.h"
#include "devices/rtc.h"
#include "devices/uart16550.h"

struct vm;
struct vcpu;

struct board {
    struct uart uart;
    struct rtc rtc;
    struct pic pic;
    struct debug_exit debug_exit;
    struct guest_console console;   /* the UART's transmitted bytes and hypercall text, as "[guest] " lines */
    u64 uart_deadline_ns, rtc_deadline_ns;  /* each device's next timer, DEV_NO_DEADLINE if none */
    u64 deadline_tsc;               /* the earliest of them as a TSC value, DEV_NO_DEADLINE if none */
    bool uart_dirty, rtc_dirty;     /* an access may have moved that device's deadline */
    u64 input_polled_tsc;           /* when a UART read last looked at the physical console */
    u64 input_poll_gap_tsc;         /* at most that often (INPUT_READ_POLL_NS) */
};

/* Initialises the devices and registers their ports on the VM's bus (and so in its I/O bitmap). */
bool board_init(struct vm *vm);

/*
 * Before each VM entry of the vCPU that owns the devices' timers: catch up with what is due and return the
 * next deadline as a TSC value (DEV_NO_DEADLINE if none). Reads no clock unless something is due or changed.
 */
u64 platform_timers(struct vm *vm);

/* The common case of platform_timers(), inline: nothing changed and nothing pending. */
static inline bool platform_timers_idle(const struct board *d)
{
    return d->deadline_tsc == DEV_NO_DEADLINE && !d->uart_dirty && !d->rtc_dirty;
}

/* Moves bytes typed on the physical console into the guest's UART, as long as it takes them. */
void board_console_input(struct vm *vm);

/* Prints one guest console line (struct guest_console's emit). */
void vm_console_emit(void *ctx, const char *line, size_t len);

/* Ends the run with the guest's exit code (debug-exit port or hypercall): "guest: exit code N". */
void vm_guest_exit(struct vm *vm, u64 code);

#endif
